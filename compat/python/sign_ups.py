"""Clerk's official Python backend client (clerk-backend-api, pinned in
requirements.txt) against a running clerk-server: sign_ups.get and sign_ups.update on a
sign-up started through the server's local extension (POST /v1/_local/sign_ups), and their
404.

Usage: COMPAT_API_URL=http://127.0.0.1:PORT COMPAT_SECRET_KEY=sk_test_... python sign_ups.py
Prints one line per call; exits 1 if any call did not give what Clerk gives.
"""

import json

from clerk_backend_api import models

from harness import call, clerk, email, finish, local, text

state = {}


def not_found(fn):
    """The spec declares no 404 for these operations: the client raises SDKError."""
    try:
        fn()
    except (models.ClerkErrors, models.SDKError) as err:
        assert err.status_code == 404, f"status {err.status_code}"
        assert json.loads(err.body)["errors"][0]["code"] == "resource_not_found"
        return "404 resource_not_found"
    raise AssertionError("expected a 404")


@call("setup: POST /v1/_local/sign_ups")
def _():
    state["sign_up"] = local("POST", "sign_ups", {"email_address": email("signup")})
    return state["sign_up"]["id"]


@call("sign_ups.get")
def _():
    got = clerk.sign_ups.get(id=state["sign_up"]["id"])
    assert got.id == state["sign_up"]["id"]
    assert text(got.status) == "missing_requirements"
    assert got.email_address == email("signup")
    assert got.unverified_fields == ["email_address"]
    return not_found(lambda: clerk.sign_ups.get(id="sua_missing"))


@call("sign_ups.update")
def _():
    updated = clerk.sign_ups.update(id=state["sign_up"]["id"], external_id="crm_1", custom_action=True)
    assert updated.external_id == "crm_1" and updated.custom_action is True
    return not_found(lambda: clerk.sign_ups.update(id="sua_missing", custom_action=False))


finish()
