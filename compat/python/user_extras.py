"""Clerk's official Python backend client (clerk-backend-api, pinned in
requirements.txt) against a running clerk-server: the last user operations the client has
(set_password_compromised, unset_password_compromised, set_profile_image,
delete_profile_image, verify_totp, delete_passkey, delete_external_account,
list_trusted_devices, revoke_trusted_device), sessions.refresh and
miscellaneous.get_public_interstitial, asserting what comes back and a documented error for
each. Passkeys, external accounts and trusted devices are seeded through clerk-server's
/v1/_local extension (nothing in the Backend API creates them).

Usage: COMPAT_API_URL=http://127.0.0.1:PORT COMPAT_SECRET_KEY=sk_test_... python user_extras.py
Prints one line per call; exits 1 if any call did not give what Clerk gives.
"""

import base64
import hashlib
import hmac
import json
import struct
import time

import httpx
from clerk_backend_api import models

from harness import (
    API_URL,
    api_error,
    call,
    claims_of,
    clerk,
    email,
    finish,
    local,
    sdk_error,
    text,
)

PNG = bytes.fromhex("89504e470d0a1a0a0000000d494844520000000100000001080600000" "01f15c489")

state = {
    "user": clerk.users.create(email_address=[email("extras")], password="correct-horse-battery"),
    "plain": clerk.users.create(email_address=[email("plain")]),
}


@call("users.set_password_compromised")
def _():
    uid = state["user"].id
    session = clerk.sessions.create(request={"user_id": uid})
    user = clerk.users.set_password_compromised(user_id=uid)
    assert user.id == uid
    assert user.password_enabled is True
    assert local("GET", f"users/{uid}/password")["compromised"] is True
    assert text(clerk.sessions.get(session_id=session.id).status) == "active"
    clerk.users.set_password_compromised(user_id=uid, revoke_all_sessions=True)
    assert text(clerk.sessions.get(session_id=session.id).status) == "revoked"
    return api_error(
        lambda: clerk.users.set_password_compromised(user_id=state["plain"].id),
        400,
        "no_password_set",
    )


@call("users.unset_password_compromised")
def _():
    uid = state["user"].id
    user = clerk.users.unset_password_compromised(user_id=uid)
    assert user.id == uid
    assert local("GET", f"users/{uid}/password")["compromised"] is False
    return api_error(
        lambda: clerk.users.unset_password_compromised(user_id="user_missing"),
        404,
        "resource_not_found",
    )


@call("users.set_profile_image")
def _():
    uid = state["user"].id
    user = clerk.users.set_profile_image(
        user_id=uid,
        file={"file_name": "me.png", "content": PNG, "content_type": "image/png"},
    )
    assert user.has_image is True
    assert "/images/img_" in user.image_url
    served = httpx.get(user.image_url)
    assert served.status_code == 200
    assert served.headers["content-type"] == "image/png"
    assert served.content == PNG
    return api_error(
        lambda: clerk.users.set_profile_image(
            user_id=uid,
            file={"file_name": "x.svg", "content": b"<svg/>", "content_type": "image/svg+xml"},
        ),
        400,
        "request_body_invalid",
    )


@call("users.delete_profile_image")
def _():
    user = clerk.users.delete_profile_image(user_id=state["user"].id)
    assert user.has_image is False
    assert user.image_url.endswith("/images/default")
    return api_error(
        lambda: clerk.users.delete_profile_image(user_id="user_missing"),
        404,
        "resource_not_found",
    )


@call("sessions.refresh")
def _():
    session = clerk.sessions.create(request={"user_id": state["plain"].id})
    expired = local("POST", f"sessions/{session.id}/tokens", {"claims": {"exp": 1000000000}})
    refresh = local("POST", f"sessions/{session.id}/refresh_token")["refresh_token"]
    params = {
        "expired_token": expired["jwt"],
        "refresh_token": refresh,
        "request_origin": "http://localhost:3000",
    }
    token = clerk.sessions.refresh(session_id=session.id, **params)
    assert text(token.object) == "token"
    assert claims_of(token.jwt)["sid"] == session.id
    cookies = clerk.sessions.refresh(session_id=session.id, format_="cookie", **params)
    assert text(cookies.object) == "cookies"
    assert cookies.cookies[0].startswith("__session=ey")
    return api_error(
        lambda: clerk.sessions.refresh(
            session_id=session.id, **{**params, "refresh_token": "wrong"}
        ),
        401,
        "refresh_token_invalid",
    )


@call("miscellaneous.get_public_interstitial")
def _():
    # pk_test_ + base64("clerk.example.com$"); the client answers None for the HTML.
    key = "pk_test_Y2xlcmsuZXhhbXBsZS5jb20k"
    assert clerk.miscellaneous.get_public_interstitial(publishable_key=key) is None
    page = httpx.get(f"{API_URL}/v1/public/interstitial", params={"publishable_key": key})
    assert page.status_code == 200
    assert "clerk.example.com/npm/@clerk/clerk-js@5" in page.text
    return sdk_error(
        lambda: clerk.miscellaneous.get_public_interstitial(), 400, "form_param_missing"
    )


def totp(secret):
    """The current TOTP code of a base32 secret (RFC 6238: SHA-1, 30 s, 6 digits)."""
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    mac = hmac.new(key, struct.pack(">Q", int(time.time()) // 30), hashlib.sha1).digest()
    offset = mac[-1] & 0x0F
    return f"{(struct.unpack('>I', mac[offset:offset + 4])[0] & 0x7FFFFFFF) % 1000000:06d}"


@call("users.verify_totp")
def _():
    uid = state["plain"].id
    enrolled = local("POST", f"users/{uid}/totp")
    ok = clerk.users.verify_totp(user_id=uid, code=totp(enrolled["secret"]))
    assert ok.verified is True
    assert text(ok.code_type) == "totp"
    backup = clerk.users.verify_totp(user_id=uid, code=enrolled["backup_codes"][0])
    assert text(backup.code_type) == "backup_code"
    return sdk_error(
        lambda: clerk.users.verify_totp(user_id=state["user"].id, code="123456"),
        400,
        "totp_not_enabled",
    )


def not_found(fn):
    """A 404 `resource_not_found`, as ClerkErrors (or SDKError where the client maps no
    model for the status)."""
    try:
        fn()
    except (models.ClerkErrors, models.SDKError) as err:
        assert err.status_code == 404, f"status {err.status_code}: {err.body}"
        assert json.loads(err.body)["errors"][0]["code"] == "resource_not_found", err.body
        return f"404 resource_not_found ({type(err).__name__})"
    raise AssertionError("expected a 404")


@call("users.delete_passkey")
def _():
    uid = state["plain"].id
    seeded = local("POST", f"users/{uid}/passkeys", {"name": "Phone"})
    before = clerk.users.get(user_id=uid)
    assert [p.id for p in before.passkeys] == [seeded["id"]]
    assert before.passkeys[0].name == "Phone"
    assert text(before.passkeys[0].verification.status) == "verified"
    deleted = clerk.users.delete_passkey(user_id=uid, passkey_identification_id=seeded["id"])
    assert deleted.object == "passkey" and deleted.id == seeded["id"] and deleted.deleted is True
    assert clerk.users.get(user_id=uid).passkeys == []
    return not_found(
        lambda: clerk.users.delete_passkey(user_id=uid, passkey_identification_id=seeded["id"])
    )


@call("users.delete_external_account")
def _():
    uid = state["plain"].id
    seeded = local(
        "POST",
        f"users/{uid}/external_accounts",
        {
            "provider": "oauth_github",
            "provider_user_id": f"py-{time.time_ns()}",
            "email_address": email("github"),
            "username": "octo",
        },
    )
    before = clerk.users.get(user_id=uid)
    account = before.external_accounts[0]
    assert account.id == seeded["id"]
    assert account.provider == "oauth_github"
    assert account.provider_user_id == seeded["provider_user_id"]
    assert account.username == "octo"
    found = clerk.users.list(
        request={"provider": "oauth_github", "provider_user_id": [seeded["provider_user_id"]]}
    )
    assert [u.id for u in found] == [uid]
    deleted = clerk.users.delete_external_account(user_id=uid, external_account_id=seeded["id"])
    assert deleted.object == "external_account" and deleted.id == seeded["id"]
    assert clerk.users.get(user_id=uid).external_accounts == []
    return not_found(
        lambda: clerk.users.delete_external_account(user_id=uid, external_account_id=seeded["id"])
    )


@call("users.list_trusted_devices")
def _():
    uid = state["plain"].id
    assert clerk.users.list_trusted_devices(user_id=uid).total_count == 0
    seeded = local(
        "POST",
        f"users/{uid}/trusted_devices",
        {"platform": "android", "app_identifier": "com.example.app", "name": "Pixel"},
    )
    state["device"] = seeded["id"]
    listed = clerk.users.list_trusted_devices(user_id=uid)
    assert listed.total_count == 1
    device = listed.data[0]
    assert device.id == seeded["id"]
    assert text(device.platform) == "android"
    assert text(device.status) == "active"
    assert text(device.algorithm) == "ES256"
    assert device.name == "Pixel"
    return not_found(lambda: clerk.users.list_trusted_devices(user_id="user_missing"))


@call("users.revoke_trusted_device")
def _():
    uid = state["plain"].id
    revoked = clerk.users.revoke_trusted_device(user_id=uid, trusted_device_id=state["device"])
    assert revoked.id == state["device"]
    assert text(revoked.status) == "revoked"
    assert isinstance(revoked.revoked_at, int)
    assert clerk.users.list_trusted_devices(user_id=uid).data == []
    return not_found(
        lambda: clerk.users.revoke_trusted_device(user_id=uid, trusted_device_id=state["device"])
    )


clerk.users.delete(user_id=state["user"].id)
clerk.users.delete(user_id=state["plain"].id)
finish()
