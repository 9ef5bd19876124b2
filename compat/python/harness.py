"""What compat/python/organizations.py needs to talk to a running clerk-server and
report: the client, one line per call, Clerk error assertions and the local extensions.
(scenario.py keeps its own copy of these, written before this module.)"""

import base64
import json
import os
import sys
import time
import traceback

import httpx
from clerk_backend_api import Clerk, models
from clerk_backend_api.utils import BackoffStrategy, RetryConfig


def _required(name):
    value = os.environ.get(name)
    if not value:
        print(f"{name} must be set", file=sys.stderr)
        sys.exit(2)
    return value


API_URL = _required("COMPAT_API_URL")
SECRET_KEY = _required("COMPAT_SECRET_KEY")
# Each run uses its own identities and slugs, so runs can share a server.
TAG = f"py{int(time.time() * 1000):x}"


def email(name):
    return f"{TAG}.{name}@example.com"


def client(secret_key):
    # The default retry policy backs off for up to an hour on 5XX and connection
    # errors: bound it, so a broken server fails the suite in seconds.
    return Clerk(
        bearer_auth=secret_key,
        server_url=f"{API_URL}/v1",
        retry_config=RetryConfig("backoff", BackoffStrategy(200, 1000, 1.5, 3000), False),
        timeout_ms=20000,
    )


clerk = client(SECRET_KEY)
_tally = {"calls": 0}
_failures = []


def call(name):
    """Runs the decorated function at once as one call: prints
    `py <call> ok <detail>` or `py <call> FAILED <why>`."""

    def run(fn):
        _tally["calls"] += 1
        try:
            detail = fn()
            print(f"py  {name:<62} ok  {detail if detail is not None else ''}", flush=True)
        except Exception:  # noqa: BLE001 - every failure is reported, then counted
            _failures.append(name)
            reason = traceback.format_exc().strip().replace("\n", "\n      ")
            print(f"py  {name:<62} FAILED  {reason}", flush=True)
        return fn

    return run


def api_error(fn, status, code):
    """Asserts `fn()` raises models.ClerkErrors with this status and first code."""
    try:
        fn()
    except models.ClerkErrors as err:
        assert err.status_code == status, f"status {err.status_code}, expected {status}: {err.body}"
        first = err.data.errors[0]
        assert first.code == code, f"code {first.code}, expected {code}"
        assert first.message and first.long_message, "message and long_message"
        assert err.headers.get("clerk-trace-id"), "Clerk-Trace-Id header"
        return f"{status} {code}"
    raise AssertionError(f"expected a {status} {code} error, got success")


def sdk_error(fn, status, code):
    """Asserts `fn()` raises models.SDKError (the client's error for statuses the
    spec documents without a body, or not at all) with this status and first code."""
    try:
        fn()
    except models.SDKError as err:
        assert err.status_code == status, f"status {err.status_code}, expected {status}: {err.body}"
        first = json.loads(err.body)["errors"][0]
        assert first["code"] == code, f"code {first['code']}, expected {code}"
        return f"{status} {code} (SDKError)"
    raise AssertionError(f"expected a {status} {code} error, got success")


def text(value):
    """An enum's value, or the value itself."""
    return getattr(value, "value", value)


def claims_of(jwt):
    payload = jwt.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


def local(method, path, body=None):
    """A local extension of clerk-server (not part of Clerk's API)."""
    answer = httpx.request(
        method,
        f"{API_URL}/v1/_local/{path}",
        headers={"Authorization": f"Bearer {SECRET_KEY}"},
        json=body,
    )
    assert answer.status_code == 200, f"{method} /v1/_local/{path}: {answer.status_code}"
    return answer.json()


def finish():
    """Prints the tally and exits 1 if any call failed."""
    if _failures:
        print(f"py  {len(_failures)} of {_tally['calls']} calls FAILED: {', '.join(_failures)}")
        sys.exit(1)
    print(f"py  all {_tally['calls']} calls ok")
