"""Clerk's official Python backend client (clerk-backend-api, pinned in
requirements.txt) against a running clerk-server: every call of
shared/reference/official-clients.md section 4 (py), asserting what comes back,
plus token verification with the client's own verifier.

Usage: COMPAT_API_URL=http://127.0.0.1:PORT COMPAT_SECRET_KEY=sk_test_... python scenario.py
Prints one line per call; exits 1 if any call did not give what Clerk gives.
"""

import base64
import json
import os
import sys
import time
import traceback
import warnings

import httpx
from clerk_backend_api import Clerk, models
from clerk_backend_api.security import (
    AuthenticateRequestOptions,
    TokenVerificationError,
    VerifyTokenOptions,
    authenticate_request,
    verify_token,
)
from clerk_backend_api.utils import BackoffStrategy, RetryConfig


def required(name):
    value = os.environ.get(name)
    if not value:
        print(f"{name} must be set", file=sys.stderr)
        sys.exit(2)
    return value


API_URL = required("COMPAT_API_URL")
SECRET_KEY = required("COMPAT_SECRET_KEY")
# Each run uses its own identities, so runs can share a server.
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
calls = 0
failures = []
state = {}


def call(name):
    """Runs the decorated function at once as one call: prints
    `py <call> ok <detail>` or `py <call> FAILED <why>`."""

    def run(fn):
        global calls
        calls += 1
        try:
            detail = fn()
            print(f"py  {name:<62} ok  {detail if detail is not None else ''}", flush=True)
        except Exception:  # noqa: BLE001 - every failure is reported, then counted
            failures.append(name)
            reason = traceback.format_exc().strip().replace("\n", "\n      ")
            print(f"py  {name:<62} FAILED  {reason}", flush=True)
        return fn

    return run


def api_error(fn, status, code):
    """Asserts `fn()` raises models.ClerkErrors with this status and first code."""
    try:
        fn()
    except models.ClerkErrors as err:
        assert err.status_code == status, f"status {err.status_code}, expected {status}"
        first = err.data.errors[0]
        assert first.code == code, f"code {first.code}, expected {code}"
        assert first.message and first.long_message, "message and long_message"
        trace = err.headers.get("clerk-trace-id")
        assert trace, "Clerk-Trace-Id header"
        return f"{status} {code} trace={trace[:8]}…"
    raise AssertionError(f"expected a {status} {code} error, got success")


def sdk_error(fn, status, code):
    """Asserts `fn()` raises models.SDKError (the client's error for statuses the
    spec documents without a body) with this status and first code in the body."""
    try:
        fn()
    except models.SDKError as err:
        assert err.status_code == status, f"status {err.status_code}, expected {status}"
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


def local(method, path):
    """A local extension of clerk-server (not part of Clerk's API)."""
    answer = httpx.request(
        method,
        f"{API_URL}/v1/_local/{path}",
        headers={"Authorization": f"Bearer {SECRET_KEY}"},
    )
    assert answer.status_code == 200, f"{method} /v1/_local/{path}: {answer.status_code}"
    return answer.json()


@call("users.create")
def _():
    user = clerk.users.create(
        first_name="Ann", email_address=[email("a")], password="Sup3r-Secret-Pw!"
    )
    assert user.id.startswith("user_") and len(user.id) == 32, user.id
    assert user.object == "user"
    assert user.email_addresses[0].email_address == email("a")
    assert user.email_addresses[0].verification.status == "verified"
    assert user.primary_email_address_id == user.email_addresses[0].id
    assert user.first_name == "Ann"
    assert user.password_enabled is True
    assert isinstance(user.created_at, int)
    state["ann"] = user
    return user.id


@call("users.create#2")
def _():
    user = clerk.users.create(
        first_name="Bob", last_name="B", email_address=[email("b")], password="Sup3r-Secret-Pw!"
    )
    assert user.last_name == "B"
    state["bob"] = user
    return user.id


@call("users.create (duplicate email)")
def _():
    return api_error(
        lambda: clerk.users.create(email_address=[email("a")]), 422, "form_identifier_exists"
    )


@call("users.list()")
def _():
    users = clerk.users.list()
    assert isinstance(users, list)
    assert len(users) == min(10, clerk.users.count().total_count)
    # Newest first by default.
    assert [u.created_at for u in users] == sorted((u.created_at for u in users), reverse=True)
    return f"{len(users)} users"


@call("users.list(email_address=[2])")
def _():
    users = clerk.users.list(request={"email_address": [email("a"), email("b")]})
    assert {u.id for u in users} == {state["ann"].id, state["bob"].id}
    return f"{len(users)} users"


@call("users.list(limit,offset,order_by)")
def _():
    everyone = clerk.users.list(request={"limit": 500, "order_by": "-created_at"})
    page = clerk.users.list(request={"limit": 5, "offset": 1, "order_by": "-created_at"})
    assert [u.id for u in page] == [u.id for u in everyone[1:6]]
    return f"{len(page)} users"


@call("users.get")
def _():
    user = clerk.users.get(user_id=state["ann"].id)
    assert user.id == state["ann"].id
    assert user.public_metadata == {}
    return user.id


@call("users.update")
def _():
    user = clerk.users.update(user_id=state["ann"].id, first_name="Anna")
    assert user.first_name == "Anna"
    return f"first_name={user.first_name}"


@call("users.verify_password")
def _():
    answer = clerk.users.verify_password(user_id=state["ann"].id, password="Sup3r-Secret-Pw!")
    assert answer.verified is True
    # The spec documents this 422 without a body, so the client raises SDKError.
    return sdk_error(
        lambda: clerk.users.verify_password(user_id=state["ann"].id, password="wrong-password"),
        422,
        "incorrect_password",
    )


@call("users.count()")
def _():
    count = clerk.users.count()
    assert count.object == "total_count"
    assert count.total_count >= 2
    return str(count.total_count)


@call("users.count(email_address)")
def _():
    count = clerk.users.count(request={"email_address": [email("a")]})
    assert count.total_count == 1
    return str(count.total_count)


@call("allowlist_identifiers.create")
def _():
    item = clerk.allowlist_identifiers.create(request={"identifier": email("x"), "notify": False})
    assert item.id.startswith("alid_")
    assert item.identifier == email("x")
    assert item.identifier_type == "email_address"
    state["allowlisted"] = item
    return item.id


@call("allowlist_identifiers.list")
def _():
    items = clerk.allowlist_identifiers.list()
    assert isinstance(items, list)
    everything = clerk.allowlist_identifiers.list(limit=500)
    assert any(i.id == state["allowlisted"].id for i in everything)
    return f"{len(items)} identifiers"


@call("allowlist_identifiers.list(paginated=True)")
def _():
    # Clerk answers paginated=true with {"data", "total_count"}, which this
    # client's models (a list) cannot read; this server answers the same.
    try:
        clerk.allowlist_identifiers.list(paginated=True)
    except models.ResponseValidationError:
        return "envelope (the client cannot read it, as with Clerk)"
    raise AssertionError("expected the {data, total_count} envelope")


@call("allowlist_identifiers.delete")
def _():
    deleted = clerk.allowlist_identifiers.delete(identifier_id=state["allowlisted"].id)
    assert deleted.object == "allowlist_identifier"
    assert deleted.id == state["allowlisted"].id
    assert deleted.deleted is True
    return "deleted"


@call("beta_features.update_instance_settings(restricted_to_allowlist=True)")
def _():
    settings = clerk.beta_features.update_instance_settings(request={"restricted_to_allowlist": True})
    assert settings.restricted_to_allowlist is True
    restrictions = clerk.instance_settings.update_restrictions(request={})
    assert restrictions.allowlist is True, "one flag"
    settings = clerk.beta_features.update_instance_settings(request={"restricted_to_allowlist": False})
    assert settings.restricted_to_allowlist is False
    return "on, then off"


@call("instance_settings.update_restrictions(allowlist=True)")
def _():
    restrictions = clerk.instance_settings.update_restrictions(request={"allowlist": True})
    assert restrictions.object == "instance_restrictions"
    assert restrictions.allowlist is True
    restrictions = clerk.instance_settings.update_restrictions(request={"allowlist": False})
    assert restrictions.allowlist is False
    return "on, then off"


@call("instance_settings.update(test_mode=True)")
def _():
    assert clerk.instance_settings.update(request={"test_mode": True}) is None
    return "204"


@call("sessions.create")
def _():
    session = clerk.sessions.create(request={"user_id": state["ann"].id})
    assert session.id.startswith("sess_")
    assert session.user_id == state["ann"].id
    assert session.status == "active"
    state["session"] = session
    return session.id


@call("sessions.list(user_id)")
def _():
    sessions = clerk.sessions.list(user_id=state["ann"].id)
    assert [s.id for s in sessions] == [state["session"].id]
    return f"{len(sessions)} session"


@call("sessions.list(client_id,status)")
def _():
    sessions = clerk.sessions.list(client_id=state["session"].client_id, status="active")
    assert [s.id for s in sessions] == [state["session"].id]
    return f"{len(sessions)} session"


@call("sessions.get")
def _():
    session = clerk.sessions.get(session_id=state["session"].id)
    assert session.id == state["session"].id
    assert session.expire_at - session.created_at == 7 * 24 * 3600 * 1000
    return text(session.status)


@call("sessions.create_token")
def _():
    token = clerk.sessions.create_token(session_id=state["session"].id)
    claims = claims_of(token.jwt)
    assert claims["sid"] == state["session"].id
    assert claims["sub"] == state["ann"].id
    assert claims["v"] == 2, "API version 2025-11-10: v2 claims"
    state["jwt"] = token.jwt
    return f"exp-iat={claims['exp'] - claims['iat']}s"


@call("sessions.create_token(expires_in_seconds=120)")
def _():
    token = clerk.sessions.create_token(session_id=state["session"].id, expires_in_seconds=120)
    claims = claims_of(token.jwt)
    assert claims["exp"] - claims["iat"] == 120
    return "exp-iat=120s"


@call("jwks.get_jwks")
def _():
    jwks = clerk.jwks.get_jwks()
    key = jwks.keys[0]
    assert key.kty == "RSA" and key.alg == "RS256" and key.use == "sig" and key.e == "AQAB"
    header = json.loads(base64.urlsafe_b64decode(state["jwt"].split(".")[0] + "=="))
    assert key.kid == header["kid"]
    return key.kid


@call("verify_token(secret_key, api_url)")
def _():
    claims = verify_token(
        state["jwt"],
        VerifyTokenOptions(secret_key=SECRET_KEY, api_url=API_URL, api_version="v1"),
    )
    assert claims["sid"] == state["session"].id
    return f"sub={claims['sub']}"


@call("verify_token(jwt_key=PEM)")
def _():
    keys = local("GET", "keys")
    pem = next(k["public_key_pem"] for k in keys["data"] if k["status"] == "active")
    state["pem"] = pem
    claims = verify_token(state["jwt"], VerifyTokenOptions(jwt_key=pem))
    assert claims["sub"] == state["ann"].id
    header, payload, signature = state["jwt"].split(".")
    forged = f"{header}.{payload}.{signature[:-4]}AAAA"
    try:
        verify_token(forged, VerifyTokenOptions(jwt_key=pem))
    except TokenVerificationError:
        return "verified; forged token rejected"
    raise AssertionError("a forged token verified")


@call("authenticate_request(jwt_key=PEM)")
def _():
    request = httpx.Request(
        "GET", "http://app.example/", headers={"Authorization": f"Bearer {state['jwt']}"}
    )
    result = authenticate_request(request, AuthenticateRequestOptions(jwt_key=state["pem"]))
    assert result.is_signed_in, result.message
    assert result.payload["sid"] == state["session"].id
    anonymous = authenticate_request(
        httpx.Request("GET", "http://app.example/"), AuthenticateRequestOptions(jwt_key=state["pem"])
    )
    assert not anonymous.is_signed_in
    return "signed in; no token signed out"


@call("clients.list")
def _():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        clients = clerk.clients.list(limit=500)
    assert any(c.id == state["session"].client_id for c in clients)
    return f"{len(clients)} clients"


@call("clients.get")
def _():
    found = clerk.clients.get(client_id=state["session"].client_id)
    assert found.id == state["session"].client_id
    assert found.session_ids == [state["session"].id]
    assert found.sessions[0].id == state["session"].id
    return found.id


@call("clients.verify")
def _():
    return api_error(
        lambda: clerk.clients.verify(request={"token": "not-a-client-token"}), 400, "cookie_invalid"
    )


@call("clients.verify (local client token)")
def _():
    token = local("POST", f"clients/{state['session'].client_id}/token")["jwt"]
    found = clerk.clients.verify(request={"token": token})
    assert found.id == state["session"].client_id
    return found.id


@call("sessions.revoke")
def _():
    session = clerk.sessions.revoke(session_id=state["session"].id)
    assert session.status == "revoked"
    return text(session.status)


@call("users.delete")
def _():
    deleted = clerk.users.delete(user_id=state["ann"].id)
    assert deleted.object == "user" and deleted.id == state["ann"].id and deleted.deleted is True
    clerk.users.delete(user_id=state["bob"].id)
    return "deleted"


@call("users.get(deleted)")
def _():
    return api_error(lambda: clerk.users.get(user_id=state["ann"].id), 404, "resource_not_found")


@call("bad key users.get")
def _():
    intruder = client("sk_test_not_the_key")
    return api_error(lambda: intruder.users.get(user_id="user_x"), 401, "clerk_key_invalid")


if failures:
    print(f"py  {len(failures)} of {calls} calls FAILED: {', '.join(failures)}")
    sys.exit(1)
print(f"py  all {calls} calls ok")
