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


def local_post(path, body):
    return local("POST", path, body)


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


# ---- Every other method of the client on the resources clerk-server serves ----

# A bcrypt digest (cost 4) of "Imp0rted-Pw!", as exported from another system.
BCRYPT_DIGEST = "$2b$04$Rn0fPaUfs4Xx9SueWAR/ruRPEFzMeWIcMf9J247ife03Nju.jqIti"
OURS = [email(n) for n in "abcdeh"]


PHONE_BASE = int(time.time() * 1000) % 10**5


def phone(n):
    """Phone number n (< 100) of this run (E.164): the run's start in ms, mod 10^5, and n."""
    return f"+1303{PHONE_BASE * 100 + n:07d}"


def ids(users):
    return {u.id for u in users}


@call("users.create(phone_number,username,external_id,metadata)")
def _():
    state["carol_phone"] = phone(1)
    user = clerk.users.create(
        email_address=[email("c")],
        phone_number=[state["carol_phone"]],
        username=f"{TAG}_carol",
        external_id=f"{TAG}-ext-c",
        first_name="Carol",
        last_name="Zed",
        password="Sup3r-Secret-Pw!",
        public_metadata={"plan": "pro", "prefs": {"theme": "dark", "lang": "en"}},
        private_metadata={"stripe": "cus_1"},
        unsafe_metadata={"seen": True},
    )
    assert user.username == f"{TAG}_carol"
    assert user.external_id == f"{TAG}-ext-c"
    assert user.phone_numbers[0].phone_number == state["carol_phone"]
    assert user.phone_numbers[0].verification.status == "verified"
    assert user.primary_phone_number_id == user.phone_numbers[0].id
    assert user.public_metadata == {"plan": "pro", "prefs": {"theme": "dark", "lang": "en"}}
    assert user.private_metadata == {"stripe": "cus_1"}
    assert user.unsafe_metadata == {"seen": True}
    assert user.banned is False and user.locked is False
    state["carol"] = user
    return user.id


@call("users.create(password_digest,password_hasher=bcrypt)")
def _():
    user = clerk.users.create(
        email_address=[email("d")], password_digest=BCRYPT_DIGEST, password_hasher="bcrypt"
    )
    assert user.password_enabled is True
    state["dave"] = user
    return user.id


@call("users.create(skip_password_checks)")
def _():
    user = clerk.users.create(email_address=[email("e")], password="short", skip_password_checks=True)
    assert user.password_enabled is True
    state["erin"] = user
    return user.id


@call("users.create(web3_wallet,identification_status,banned,locked,created_at,...)")
def _():
    wallet = "0x" + f"{int(time.time() * 1000):040x}"[-40:]
    user = clerk.users.create(
        email_address=[email("h")],
        email_address_identification_status=["reserved"],
        phone_number=[phone(5)],
        phone_number_identification_status=["reserved"],
        web3_wallet=[wallet],
        banned=True,
        locked=True,
        created_at="2020-01-02T03:04:05Z",
        legal_accepted_at="2021-01-01T00:00:00Z",
        skip_legal_checks=True,
        locale="fr-FR",
        skip_password_requirement=True,
        create_organizations_limit=2,
    )
    assert user.email_addresses[0].reserved is True
    assert user.email_addresses[0].verification is None
    assert user.phone_numbers[0].reserved is True
    assert user.web3_wallets[0].web3_wallet == wallet
    assert user.primary_web3_wallet_id == user.web3_wallets[0].id
    assert user.banned is True and user.locked is True
    # Locked through the Backend API: no attempt used, so all 10 remain (Clerk's note).
    assert user.lockout_expires_in_seconds > 0 and user.verification_attempts_remaining == 10
    assert user.created_at == 1577934245000
    assert user.legal_accepted_at == 1609459200000
    assert user.locale == "fr-FR"
    assert user.create_organizations_limit == 2
    state["hank"] = user
    state["wallet"] = wallet
    return user.id


@call("users.create(every other field)")
def _():
    user = clerk.users.create(
        email_address=[email("i")],
        bypass_client_trust=True,
        skip_user_requirement=True,
        delete_self_enabled=False,
        create_organization_enabled=False,
        totp_secret="JBSWY3DPEHPK3PXP",
        backup_codes=["one-code", "two-code"],
    )
    assert user.bypass_client_trust is True
    assert user.delete_self_enabled is False and user.create_organization_enabled is False
    assert user.totp_enabled and user.backup_code_enabled and user.two_factor_enabled
    assert user.mfa_enabled_at is not None
    updated = clerk.users.update(
        user_id=user.id,
        bypass_client_trust=False,
        skip_legal_checks=True,
        legal_accepted_at="2022-02-02T00:00:00Z",
        profile_image_id="img_ignored",
        notify_primary_email_address_changed=False,
        primary_web3_wallet_id=None,
    )
    assert updated.bypass_client_trust is False
    assert updated.legal_accepted_at == 1643760000000
    clerk.users.delete(user_id=user.id)
    return user.id


@call("users.create (short password)")
def _():
    return api_error(
        lambda: clerk.users.create(email_address=[email("f")], password="short"),
        422,
        "form_password_length_too_short",
    )


@call("users.create (duplicate username, phone, external_id)")
def _():
    api_error(lambda: clerk.users.create(username=f"{TAG}_carol"), 422, "form_identifier_exists")
    api_error(
        lambda: clerk.users.create(phone_number=[state["carol_phone"]]), 422, "form_identifier_exists"
    )
    return api_error(
        lambda: clerk.users.create(external_id=f"{TAG}-ext-c"), 422, "form_identifier_exists"
    )


@call("users.create (unknown hasher)")
def _():
    return api_error(
        lambda: clerk.users.create(password_digest="abc", password_hasher="md5"),
        422,
        "form_param_value_invalid",
    )


@call("users.verify_password (imported bcrypt)")
def _():
    assert clerk.users.verify_password(user_id=state["dave"].id, password="Imp0rted-Pw!").verified
    assert clerk.users.verify_password(user_id=state["erin"].id, password="short").verified
    return sdk_error(
        lambda: clerk.users.verify_password(user_id=state["dave"].id, password="nope"),
        422,
        "incorrect_password",
    )


@call("users.list(query, *_query)")
def _():
    assert ids(clerk.users.list(request={"query": f"{TAG}_carol"})) == {state["carol"].id}
    assert ids(clerk.users.list(request={"username_query": f"{TAG}_car"})) == {state["carol"].id}
    assert ids(clerk.users.list(request={"email_address_query": f"{TAG}.c@"})) == {state["carol"].id}
    assert ids(clerk.users.list(request={"phone_number_query": state["carol_phone"][2:]})) == {
        state["carol"].id
    }
    assert ids(
        clerk.users.list(request={"name_query": "Carol", "email_address": OURS})
    ) == {state["carol"].id}
    return "5 searches"


@call("users.list(phone_number,username,external_id,user_id,web3_wallet)")
def _():
    for params in (
        {"phone_number": [state["carol_phone"]]},
        {"username": [f"{TAG}_carol"]},
        {"external_id": [f"{TAG}-ext-c"]},
        {"user_id": [state["carol"].id]},
    ):
        assert ids(clerk.users.list(request=params)) == {state["carol"].id}, params
    assert ids(clerk.users.list(request={"web3_wallet": [state["wallet"]]})) == {state["hank"].id}
    return "5 filters"


@call("users.list(banned)")
def _():
    banned = clerk.users.list(request={"banned": True, "email_address": OURS})
    assert ids(banned) == {state["hank"].id}
    free = clerk.users.list(request={"banned": False, "email_address": OURS, "limit": 100})
    assert state["hank"].id not in ids(free) and len(free) == 5
    return f"banned={len(banned)} not={len(free)}"


@call("users.list(organization_id, provider)")
def _():
    assert clerk.users.list(request={"organization_id": ["org_nope"]}) == []
    assert clerk.users.list(request={"provider": "oauth_google", "provider_user_id": ["1"]}) == []
    return api_error(
        lambda: clerk.users.list(request={"provider": "oauth_google"}),
        422,
        "form_conditional_param_missing",
    )


@call("users.list(created_at_*, last_active_at_*, last_sign_in_at_*)")
def _():
    carol_at = state["carol"].created_at
    after = clerk.users.list(request={"email_address": OURS, "created_at_after": carol_at - 1})
    before = clerk.users.list(request={"email_address": OURS, "created_at_before": carol_at})
    assert state["carol"].id in ids(after) and state["ann"].id in ids(before)
    assert all(u.created_at < carol_at for u in before)
    assert all(u.created_at > carol_at - 1 for u in after)
    now = int(time.time() * 1000)
    day = 24 * 3600 * 1000
    # Ann has a session (created above); nobody else of ours ever signed in.
    assert ids(clerk.users.list(request={"email_address": OURS, "last_active_at_since": now - day})) == {
        state["ann"].id
    }
    assert ids(
        clerk.users.list(request={"email_address": OURS, "last_active_at_after": now - 2 * day})
    ) == {state["ann"].id}
    assert clerk.users.list(request={"email_address": OURS, "last_active_at_before": now - 2 * day}) == []
    assert ids(
        clerk.users.list(request={"email_address": OURS, "last_sign_in_at_after": now - day})
    ) == {state["ann"].id}
    assert clerk.users.list(request={"email_address": OURS, "last_sign_in_at_before": now - day}) == []
    return f"after={len(after)} before={len(before)}"


ORDER_KEYS = {
    "created_at": lambda u: u.created_at,
    "updated_at": lambda u: u.updated_at,
    "first_name": lambda u: u.first_name,
    "last_name": lambda u: u.last_name,
    "username": lambda u: u.username,
    "last_active_at": lambda u: u.last_active_at,
    "last_sign_in_at": lambda u: u.last_sign_in_at,
}


@call("users.list(order_by=each field, both directions)")
def _():
    checked = 0
    for field in (*ORDER_KEYS, "email_address", "phone_number", "web3wallet"):
        for sign in ("+", "-"):
            users = clerk.users.list(
                request={"email_address": OURS, "order_by": f"{sign}{field}", "limit": 100}
            )
            assert len(users) == 6, (field, len(users))
            key = ORDER_KEYS.get(field)
            if key is None:
                continue
            values = [key(u) for u in users]
            present = [v for v in values if v is not None]
            assert values[: len(present)] == present, f"nulls last: {field} {values}"
            assert present == sorted(present, reverse=sign == "-"), f"{sign}{field}: {values}"
            checked += 1
    return f"{checked} orders checked"


@call("users.list(order_by=bogus, limit=501)")
def _():
    api_error(lambda: clerk.users.list(request={"order_by": "password"}), 422, "form_param_value_invalid")
    return api_error(lambda: clerk.users.list(request={"limit": 501}), 422, "form_param_value_invalid")


@call("users.count(filters)")
def _():
    assert clerk.users.count(request={"query": f"{TAG}_carol"}).total_count == 1
    assert clerk.users.count(request={"phone_number": [state["carol_phone"]]}).total_count == 1
    assert clerk.users.count(request={"username": [f"{TAG}_carol"]}).total_count == 1
    assert clerk.users.count(request={"external_id": [f"{TAG}-ext-c", "x"]}).total_count == 1
    assert clerk.users.count(request={"user_id": [state["carol"].id, state["dave"].id]}).total_count == 2
    assert clerk.users.count(request={"banned": True, "email_address": OURS}).total_count == 1
    assert clerk.users.count(request={"web3_wallet": [state["wallet"]]}).total_count == 1
    assert clerk.users.count(request={"name_query": "Carol", "email_address": OURS}).total_count == 1
    return "8 counts"


@call("users.update(username,external_id,locale,created_at,flags)")
def _():
    user = clerk.users.update(
        user_id=state["carol"].id,
        username=f"{TAG}_caro",
        external_id=f"{TAG}-ext-c2",
        last_name="Zee",
        locale="de",
        delete_self_enabled=False,
        create_organization_enabled=False,
        create_organizations_limit=3,
        created_at="2020-01-02T03:04:05Z",
    )
    assert user.username == f"{TAG}_caro" and user.external_id == f"{TAG}-ext-c2"
    assert user.last_name == "Zee" and user.locale == "de"
    assert user.delete_self_enabled is False and user.create_organization_enabled is False
    assert user.create_organizations_limit == 3
    assert user.created_at == 1577934245000
    return user.username


@call("users.update(password, sign_out_of_other_sessions)")
def _():
    session = clerk.sessions.create(request={"user_id": state["carol"].id})
    clerk.users.update(
        user_id=state["carol"].id, password="An0ther-Secret!", sign_out_of_other_sessions=True
    )
    assert clerk.users.verify_password(user_id=state["carol"].id, password="An0ther-Secret!").verified
    assert clerk.sessions.get(session_id=session.id).status == "revoked"
    return "changed; sessions revoked"


@call("users.update(password_digest, password_hasher)")
def _():
    clerk.users.update(user_id=state["erin"].id, password_digest=BCRYPT_DIGEST, password_hasher="bcrypt")
    assert clerk.users.verify_password(user_id=state["erin"].id, password="Imp0rted-Pw!").verified
    return "verified"


@call("users.update (taken username, unknown id)")
def _():
    api_error(
        lambda: clerk.users.update(user_id=state["erin"].id, username=f"{TAG}_caro"),
        422,
        "form_identifier_exists",
    )
    return api_error(
        lambda: clerk.users.update(user_id="user_nope", first_name="X"), 404, "resource_not_found"
    )


@call("users.update_metadata (deep merge, null deletes)")
def _():
    user = clerk.users.update_metadata(
        user_id=state["carol"].id,
        public_metadata={"prefs": {"theme": "light", "lang": None}, "extra": [1, 2]},
        private_metadata={"stripe": None},
    )
    assert user.public_metadata == {"plan": "pro", "prefs": {"theme": "light"}, "extra": [1, 2]}
    assert user.private_metadata == {}
    assert user.unsafe_metadata == {"seen": True}
    return json.dumps(user.public_metadata)


@call("users.replace_metadata")
def _():
    user = clerk.users.replace_metadata(
        user_id=state["carol"].id, public_metadata={"prefs": {"lang": "fr"}}, unsafe_metadata={}
    )
    assert user.public_metadata == {"prefs": {"lang": "fr"}}
    assert user.unsafe_metadata == {} and user.private_metadata == {}
    return json.dumps(user.public_metadata)


@call("users.update_metadata (unknown id)")
def _():
    return api_error(
        lambda: clerk.users.update_metadata(user_id="user_nope", public_metadata={}),
        404,
        "resource_not_found",
    )


@call("users.ban / users.unban")
def _():
    session = clerk.sessions.create(request={"user_id": state["dave"].id})
    assert clerk.users.ban(user_id=state["dave"].id).banned is True
    assert clerk.sessions.get(session_id=session.id).status == "revoked"
    api_error(lambda: clerk.sessions.create(request={"user_id": state["dave"].id}), 400, "user_banned")
    assert clerk.users.unban(user_id=state["dave"].id).banned is False
    # The spec declares no 404 for ban (only 402): SDKError, with Clerk's body.
    return sdk_error(lambda: clerk.users.ban(user_id="user_nope"), 404, "resource_not_found")


@call("users.lock / users.unlock")
def _():
    locked = clerk.users.lock(user_id=state["dave"].id)
    # Locked through the Backend API: what the counter left stays (Clerk's note); dave
    # failed one password check above, so 9 of the 10 attempts remain.
    assert locked.locked is True and locked.verification_attempts_remaining == 9
    assert locked.lockout_expires_in_seconds > 0
    api_error(lambda: clerk.sessions.create(request={"user_id": state["dave"].id}), 400, "user_locked")
    unlocked = clerk.users.unlock(user_id=state["dave"].id)
    assert unlocked.locked is False and unlocked.lockout_expires_in_seconds is None
    assert unlocked.verification_attempts_remaining == 10  # an unlock starts the count over
    # The spec declares no 404 for unlock (only 403): SDKError, with Clerk's body.
    return sdk_error(lambda: clerk.users.unlock(user_id="user_nope"), 404, "resource_not_found")


@call("users.verify_password (no password, unknown user)")
def _():
    gina = clerk.users.create(email_address=[email("g")])
    state["gina"] = gina
    sdk_error(lambda: clerk.users.verify_password(user_id=gina.id, password="x"), 400, "no_password_set")
    # The spec documents this operation's 400/404/422 without a body: SDKError.
    return sdk_error(
        lambda: clerk.users.verify_password(user_id="user_nope", password="x"), 404, "resource_not_found"
    )


# Email addresses.


@call("email_addresses.create")
def _():
    address = clerk.email_addresses.create(
        request={"user_id": state["carol"].id, "email_address": email("c2")}
    )
    assert address.id.startswith("idn_") and address.object == "email_address"
    assert address.email_address == email("c2")
    assert address.verification is None and address.reserved is False
    assert address.linked_to == []
    state["carol_email2"] = address
    return address.id


@call("email_addresses.create(verified, primary)")
def _():
    address = clerk.email_addresses.create(
        request={
            "user_id": state["carol"].id,
            "email_address": email("c3"),
            "verified": True,
            "primary": True,
        }
    )
    assert address.verification.status == "verified"
    assert clerk.users.get(user_id=state["carol"].id).primary_email_address_id == address.id
    state["carol_email3"] = address
    return address.id


@call("email_addresses.create (duplicate, unknown user, unverified primary)")
def _():
    api_error(
        lambda: clerk.email_addresses.create(
            request={"user_id": state["bob"].id, "email_address": email("c2")}
        ),
        422,
        "form_identifier_exists",
    )
    api_error(
        lambda: clerk.email_addresses.create(
            request={"user_id": "user_nope", "email_address": email("z")}
        ),
        404,
        "resource_not_found",
    )
    return api_error(
        lambda: clerk.email_addresses.create(
            request={"user_id": state["carol"].id, "email_address": email("c4"), "primary": True}
        ),
        422,
        "form_verification_needed",
    )


@call("email_addresses.get")
def _():
    address = clerk.email_addresses.get(email_address_id=state["carol_email2"].id)
    assert address.email_address == email("c2")
    return address.id


@call("email_addresses.update(verified, primary)")
def _():
    address = clerk.email_addresses.update(email_address_id=state["carol_email2"].id, verified=True)
    assert address.verification.status == "verified"
    clerk.email_addresses.update(
        email_address_id=state["carol_email2"].id, primary=True, notify_primary_email_address_changed=False
    )
    assert clerk.users.get(user_id=state["carol"].id).primary_email_address_id == state["carol_email2"].id
    return "verified, primary"


@call("users.update(primary_email_address_id)")
def _():
    user = clerk.users.update(
        user_id=state["carol"].id, primary_email_address_id=state["carol_email3"].id
    )
    assert user.primary_email_address_id == state["carol_email3"].id
    return api_error(
        lambda: clerk.users.update(
            user_id=state["carol"].id, primary_email_address_id=state["bob"].primary_email_address_id
        ),
        422,
        "form_identifier_not_found",
    )


@call("email_addresses.delete")
def _():
    deleted = clerk.email_addresses.delete(email_address_id=state["carol_email2"].id)
    assert deleted.object == "email_address" and deleted.deleted is True
    assert deleted.id == state["carol_email2"].id
    return "deleted"


@call("email_addresses.get/update/delete (unknown id)")
def _():
    api_error(
        lambda: clerk.email_addresses.get(email_address_id=state["carol_email2"].id),
        404,
        "resource_not_found",
    )
    api_error(
        lambda: clerk.email_addresses.update(email_address_id="idn_nope", verified=True),
        404,
        "resource_not_found",
    )
    return api_error(
        lambda: clerk.email_addresses.delete(email_address_id="idn_nope"), 404, "resource_not_found"
    )


# Phone numbers.


@call("phone_numbers.create")
def _():
    state["bob_phone"] = phone(2)
    number = clerk.phone_numbers.create(
        request={"user_id": state["bob"].id, "phone_number": state["bob_phone"]}
    )
    assert number.id.startswith("idn_") and number.object == "phone_number"
    assert number.phone_number == state["bob_phone"]
    assert number.verification is None
    assert number.reserved_for_second_factor is False and number.linked_to == []
    assert clerk.users.get(user_id=state["bob"].id).primary_phone_number_id == number.id
    state["bob_number"] = number
    return number.id


@call("phone_numbers.create(verified, primary, reserved_for_second_factor)")
def _():
    number = clerk.phone_numbers.create(
        request={
            "user_id": state["bob"].id,
            "phone_number": phone(3),
            "verified": True,
            "primary": True,
            "reserved_for_second_factor": True,
        }
    )
    assert number.verification.status == "verified"
    assert number.reserved_for_second_factor is True
    assert clerk.users.get(user_id=state["bob"].id).primary_phone_number_id == number.id
    state["bob_number2"] = number
    return number.id


@call("phone_numbers.create (duplicate, not E.164)")
def _():
    api_error(
        lambda: clerk.phone_numbers.create(
            request={"user_id": state["ann"].id, "phone_number": state["carol_phone"]}
        ),
        422,
        "form_identifier_exists",
    )
    return api_error(
        lambda: clerk.phone_numbers.create(
            request={"user_id": state["ann"].id, "phone_number": "call me"}
        ),
        422,
        "form_param_format_invalid",
    )


@call("phone_numbers.get")
def _():
    number = clerk.phone_numbers.get(phone_number_id=state["bob_number"].id)
    assert number.phone_number == state["bob_phone"]
    return number.id


@call("phone_numbers.update(verified, primary, reserved_for_second_factor)")
def _():
    number = clerk.phone_numbers.update(
        phone_number_id=state["bob_number"].id, verified=True, primary=True
    )
    assert number.verification.status == "verified"
    assert clerk.users.get(user_id=state["bob"].id).primary_phone_number_id == number.id
    number = clerk.phone_numbers.update(
        phone_number_id=state["bob_number2"].id, reserved_for_second_factor=False
    )
    assert number.reserved_for_second_factor is False
    return "verified, primary, not reserved"


@call("users.update(primary_phone_number_id)")
def _():
    user = clerk.users.update(user_id=state["bob"].id, primary_phone_number_id=state["bob_number2"].id)
    assert user.primary_phone_number_id == state["bob_number2"].id
    return user.primary_phone_number_id


@call("phone_numbers.delete")
def _():
    deleted = clerk.phone_numbers.delete(phone_number_id=state["bob_number2"].id)
    assert deleted.object == "phone_number" and deleted.deleted is True
    user = clerk.users.get(user_id=state["bob"].id)
    assert user.primary_phone_number_id == state["bob_number"].id, "the other verified one promoted"
    return "deleted; the other promoted"


@call("phone_numbers.get/update/delete (unknown id)")
def _():
    api_error(
        lambda: clerk.phone_numbers.get(phone_number_id=state["bob_number2"].id),
        404,
        "resource_not_found",
    )
    api_error(
        lambda: clerk.phone_numbers.update(phone_number_id="idn_nope", verified=True),
        404,
        "resource_not_found",
    )
    return api_error(
        lambda: clerk.phone_numbers.delete(phone_number_id="idn_nope"), 404, "resource_not_found"
    )


# Sessions and clients.


@call("sessions.create_token (revoked session)")
def _():
    return api_error(
        lambda: clerk.sessions.create_token(session_id=state["session"].id),
        401,
        "authentication_invalid",
    )


@call("sessions.create_token_from_template")
def _():
    session = clerk.sessions.create(request={"user_id": state["erin"].id})
    state["erin_session"] = session
    return api_error(
        lambda: clerk.sessions.create_token_from_template(
            session_id=session.id, template_name="no-such-template", expires_in_seconds=60
        ),
        404,
        "resource_not_found",
    )


@call("sessions.create_token (unknown id, expires_in_seconds out of range)")
def _():
    api_error(lambda: clerk.sessions.create_token(session_id="sess_nope"), 404, "resource_not_found")
    # The spec declares only 401 and 404 for this operation; a bad value is 422
    # all the same (as with Clerk), which the client raises as SDKError.
    return sdk_error(
        lambda: clerk.sessions.create_token(
            session_id=state["erin_session"].id, expires_in_seconds=5
        ),
        422,
        "form_param_value_invalid",
    )


@call("sessions.list(user_id, status=revoked; paginated; limit, offset)")
def _():
    revoked = clerk.sessions.list(user_id=state["ann"].id, status="revoked")
    assert [s.id for s in revoked] == [state["session"].id]
    assert clerk.sessions.list(user_id=state["ann"].id, status="active") == []
    second = clerk.sessions.create(request={"user_id": state["erin"].id})
    page = clerk.sessions.list(user_id=state["erin"].id, limit=1, offset=1)
    assert len(page) == 1 and page[0].id in {second.id, state["erin_session"].id}
    try:
        clerk.sessions.list(user_id=state["erin"].id, paginated=True)
    except models.ResponseValidationError:
        return "paginated: envelope (the client cannot read it, as with Clerk)"
    raise AssertionError("expected the {data, total_count} envelope")


@call("sessions.list (no user or client)")
def _():
    return api_error(lambda: clerk.sessions.list(), 400, "missing_query_parameter")


@call("sessions.get/revoke/create (unknown ids)")
def _():
    api_error(lambda: clerk.sessions.get(session_id="sess_nope"), 404, "resource_not_found")
    api_error(lambda: clerk.sessions.revoke(session_id="sess_nope"), 404, "resource_not_found")
    return api_error(
        lambda: clerk.sessions.create(request={"user_id": "user_nope"}), 404, "resource_not_found"
    )


@call("clients.get (unknown id); clients.list(limit, offset)")
def _():
    api_error(lambda: clerk.clients.get(client_id="client_nope"), 404, "resource_not_found")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        page = clerk.clients.list(limit=1, offset=1)
    assert len(page) == 1
    return page[0].id


# Allowlist, instance, beta features.


@call("allowlist_identifiers.create(notify=True)")
def _():
    item = clerk.allowlist_identifiers.create(
        request={"identifier": email("invitee"), "notify": True}
    )
    assert item.identifier == email("invitee") and item.identifier_type == "email_address"
    assert item.invitation_id and item.invitation_id.startswith("inv_")
    outbox = local("GET", f"outbox?type=email&to={email('invitee')}")
    assert outbox["total_count"] == 1, "an invitation email in the outbox"
    state["invitee"] = item
    return f"{item.id} invitation={item.invitation_id}"


@call("allowlist_identifiers.create (domain, phone, notify phone)")
def _():
    domain = clerk.allowlist_identifiers.create(
        request={"identifier": f"{TAG}.example.org", "notify": False}
    )
    assert text(domain.identifier_type) == "email_address"
    number = phone(4)
    item = clerk.allowlist_identifiers.create(request={"identifier": number, "notify": True})
    assert text(item.identifier_type) == "phone_number"
    outbox = local("GET", f"outbox?type=sms_message&to=%2B{number[1:]}")
    assert outbox["total_count"] == 1, "an invitation SMS in the outbox"
    clerk.allowlist_identifiers.delete(identifier_id=domain.id)
    clerk.allowlist_identifiers.delete(identifier_id=item.id)
    return "email_address (domain), phone_number (sms)"


@call("allowlist_identifiers.create (duplicate)")
def _():
    return api_error(
        lambda: clerk.allowlist_identifiers.create(
            request={"identifier": email("invitee"), "notify": False}
        ),
        400,
        "duplicate_record",
    )


@call("allowlist_identifiers.list(limit, offset)")
def _():
    page = clerk.allowlist_identifiers.list(limit=1, offset=0)
    assert len(page) == 1
    everything = clerk.allowlist_identifiers.list(limit=500)
    assert any(i.id == state["invitee"].id for i in everything)
    return f"{len(everything)} identifiers"


@call("allowlist_identifiers.delete (unknown id)")
def _():
    clerk.allowlist_identifiers.delete(identifier_id=state["invitee"].id)
    return api_error(
        lambda: clerk.allowlist_identifiers.delete(identifier_id=state["invitee"].id),
        404,
        "resource_not_found",
    )


@call("instance_settings.get")
def _():
    instance = clerk.instance_settings.get()
    assert instance.object == "instance"
    assert instance.id.startswith("ins_")
    assert text(instance.environment_type) in ("development", "production")
    return f"{instance.id} {text(instance.environment_type)}"


@call("instance_settings.update(every field)")
def _():
    assert (
        clerk.instance_settings.update(
            request={
                "test_mode": False,
                "hibp": False,
                "support_email": "help@example.com",
                "allowed_origins": ["http://localhost:3000"],
                "development_origin": "http://localhost:3000",
                "clerk_js_version": "5",
                "url_based_session_syncing": True,
                "cookieless_dev": False,
                "preferred_sign_in_strategy_when_password_required": "otp",
            }
        )
        is None
    )
    instance = clerk.instance_settings.get()
    assert instance.allowed_origins == ["http://localhost:3000"]
    return "204"


@call("instance_settings.update_restrictions(every field)")
def _():
    on = clerk.instance_settings.update_restrictions(
        request={
            "blocklist": True,
            "allowlist_blocklist_disabled_on_sign_in": True,
            "block_email_subaddresses": True,
            "block_disposable_email_domains": True,
        }
    )
    assert on.blocklist and on.allowlist_blocklist_disabled_on_sign_in
    assert on.block_email_subaddresses and on.block_disposable_email_domains
    off = clerk.instance_settings.update_restrictions(
        request={
            "blocklist": False,
            "allowlist_blocklist_disabled_on_sign_in": False,
            "block_email_subaddresses": False,
            "block_disposable_email_domains": False,
        }
    )
    assert not (off.blocklist or off.block_email_subaddresses or off.block_disposable_email_domains)
    return "on, then off"


@call("beta_features.update_instance_settings(every field)")
def _():
    settings = clerk.beta_features.update_instance_settings(
        request={
            "restricted_to_allowlist": False,
            "from_email_address": "noreply",
            "progressive_sign_up": True,
            "test_mode": True,
        }
    )
    assert settings.object == "instance_settings"
    assert settings.restricted_to_allowlist is False
    assert settings.from_email_address == "noreply"
    assert settings.progressive_sign_up is True
    return settings.id


# Token verifiers.


@call("verify_token (expired, authorized_parties)")
def _():
    session = state["erin_session"]
    jwt = clerk.sessions.create_token(session_id=session.id).jwt
    now = int(time.time())
    expired = local_post(
        f"sessions/{session.id}/tokens", {"claims": {"exp": now - 3600, "iat": now - 3700}}
    )["jwt"]
    try:
        verify_token(expired, VerifyTokenOptions(jwt_key=state["pem"]))
        raise AssertionError("an expired token verified")
    except TokenVerificationError:
        pass
    browser = local_post(f"sessions/{session.id}/tokens", {"claims": {"azp": "http://localhost:3000"}})[
        "jwt"
    ]
    claims = verify_token(
        browser,
        VerifyTokenOptions(jwt_key=state["pem"], authorized_parties=["http://localhost:3000"]),
    )
    assert claims["azp"] == "http://localhost:3000"
    try:
        verify_token(
            browser,
            VerifyTokenOptions(jwt_key=state["pem"], authorized_parties=["https://other.example"]),
        )
        raise AssertionError("a foreign azp verified")
    except TokenVerificationError:
        pass
    assert verify_token(jwt, VerifyTokenOptions(jwt_key=state["pem"]))["sid"] == session.id
    return "expired and foreign azp rejected"


@call("authenticate_request(__session cookie, authorized_parties)")
def _():
    session = state["erin_session"]
    browser = local_post(f"sessions/{session.id}/tokens", {"claims": {"azp": "http://localhost:3000"}})[
        "jwt"
    ]
    request = httpx.Request("GET", "http://localhost:3000/", headers={"Cookie": f"__session={browser}"})
    result = authenticate_request(
        request,
        AuthenticateRequestOptions(jwt_key=state["pem"], authorized_parties=["http://localhost:3000"]),
    )
    assert result.is_signed_in, result.message
    assert result.payload["sub"] == state["erin"].id
    return "signed in from the cookie"


# Credentials, identifiers replaced, wallets, bulk bans, organization lists.


@call("users.remove_password(sign_out_of_other_sessions)")
def _():
    session = clerk.sessions.create(request={"user_id": state["dave"].id})
    user = clerk.users.remove_password(user_id=state["dave"].id, sign_out_of_other_sessions=True)
    assert user.password_enabled is False and user.password_last_updated_at is None
    assert clerk.sessions.get(session_id=session.id).status == "revoked"
    return api_error(
        lambda: clerk.users.remove_password(user_id="user_nope"), 404, "resource_not_found"
    )


@call("users.delete_totp / delete_backup_codes / disable_mfa")
def _():
    user = clerk.users.create(
        email_address=[email("mfa")], totp_secret="JBSWY3DPEHPK3PXP", backup_codes=["one-code", "two-code"]
    )
    state["mfa"] = user
    assert user.totp_enabled and user.backup_code_enabled and user.two_factor_enabled
    assert clerk.users.delete_totp(user_id=user.id).user_id == user.id
    now = clerk.users.get(user_id=user.id)
    assert not now.totp_enabled and now.backup_code_enabled and now.mfa_disabled_at
    assert clerk.users.delete_backup_codes(user_id=user.id).user_id == user.id
    clerk.users.update(user_id=user.id, totp_secret="JBSWY3DPEHPK3PXP")
    assert clerk.users.disable_mfa(user_id=user.id).user_id == user.id
    now = clerk.users.get(user_id=user.id)
    assert not (now.totp_enabled or now.backup_code_enabled or now.two_factor_enabled)
    return api_error(lambda: clerk.users.disable_mfa(user_id="user_nope"), 404, "resource_not_found")


@call("email_addresses.replace_for_user")
def _():
    address = clerk.email_addresses.replace_for_user(
        user_id=state["mfa"].id, email_address=email("mfa2"), identification_status="reserved"
    )
    assert address.email_address == email("mfa2") and address.reserved is True
    user = clerk.users.get(user_id=state["mfa"].id)
    assert [e.email_address for e in user.email_addresses] == [email("mfa2")]
    assert user.primary_email_address_id == address.id
    return api_error(
        lambda: clerk.email_addresses.replace_for_user(user_id=state["mfa"].id, email_address=email("a")),
        422,
        "form_identifier_exists",
    )


@call("phone_numbers.replace_for_user")
def _():
    wanted = phone(6)
    number = clerk.phone_numbers.replace_for_user(user_id=state["mfa"].id, phone_number=wanted)
    assert number.phone_number == wanted and number.verification.status == "verified"
    assert clerk.users.get(user_id=state["mfa"].id).primary_phone_number_id == number.id
    return api_error(
        lambda: clerk.phone_numbers.replace_for_user(user_id="user_nope", phone_number=phone(7)),
        404,
        "resource_not_found",
    )


@call("users.delete_web3_wallet")
def _():
    wallet = state["hank"].web3_wallets[0].id
    api_error(
        lambda: clerk.users.delete_web3_wallet(
            user_id=state["bob"].id, web3_wallet_identification_id=wallet
        ),
        404,
        "resource_not_found",
    )
    deleted = clerk.users.delete_web3_wallet(
        user_id=state["hank"].id, web3_wallet_identification_id=wallet
    )
    assert deleted.object == "web3_wallet" and deleted.id == wallet and deleted.deleted is True
    user = clerk.users.get(user_id=state["hank"].id)
    assert user.web3_wallets == [] and user.primary_web3_wallet_id is None
    return "deleted"


@call("users.bulk_ban / bulk_unban")
def _():
    session = clerk.sessions.create(request={"user_id": state["mfa"].id})
    banned = clerk.users.bulk_ban(user_ids=[state["mfa"].id, "user_nope", state["gina"].id])
    assert [u.id for u in banned] == [state["mfa"].id, state["gina"].id]
    assert all(u.banned for u in banned)
    assert clerk.sessions.get(session_id=session.id).status == "revoked"
    unbanned = clerk.users.bulk_unban(user_ids=[state["mfa"].id, state["gina"].id])
    assert [u.banned for u in unbanned] == [False, False]
    return api_error(lambda: clerk.users.bulk_ban(user_ids=[]), 400, "form_param_value_invalid")


@call("users.get_organization_memberships / get_organization_invitations")
def _():
    memberships = clerk.users.get_organization_memberships(user_id=state["mfa"].id, limit=5)
    assert memberships.data == [] and memberships.total_count == 0
    invitations = clerk.users.get_organization_invitations(user_id=state["mfa"].id, status="pending")
    assert invitations.data == [] and invitations.total_count == 0
    return api_error(
        lambda: clerk.users.get_organization_invitations(user_id="user_nope"), 404, "resource_not_found"
    )


@call("users.get_o_auth_access_token")
def _():
    # No external accounts here: no tokens.
    assert clerk.users.get_o_auth_access_token(user_id=state["mfa"].id, provider="oauth_google") == []
    return api_error(
        lambda: clerk.users.get_o_auth_access_token(user_id="user_nope", provider="oauth_google"),
        404,
        "resource_not_found",
    )


@call("users.delete")
def _():
    deleted = clerk.users.delete(user_id=state["ann"].id)
    assert deleted.object == "user" and deleted.id == state["ann"].id and deleted.deleted is True
    for other in ("bob", "carol", "dave", "erin", "gina", "hank", "mfa"):
        if other in state:
            clerk.users.delete(user_id=state[other].id)
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
