"""Clerk's official Python backend client (clerk-backend-api, pinned in
requirements.txt) against a running clerk-server: every API-key method (api_keys.
create_api_key/get_api_keys/get_api_key/update_api_key/get_api_key_secret/
revoke_api_key/delete_api_key/verify_api_key), every OAuth-application method
(oauth_applications.list/create/get/update/upload_logo/rotate_secret/revoke_token/
delete) and oauth_access_tokens.verify on a token from the local issuing endpoint, each
with a documented error.

The client raises a class of its own per API-key operation for a documented error
(`models.VerifyAPIKeyAPIKeysResponseBody`, ...), each carrying Clerk's errors in `data`.

Usage: COMPAT_API_URL=http://127.0.0.1:PORT COMPAT_SECRET_KEY=sk_test_... python api_keys.py
Prints one line per call; exits 1 if any call did not give what Clerk gives.
"""

from harness import TAG, api_error, call, clerk, email, finish, local

state = {}
MISSING_KEY = "ak_00000000000000000000000000000000"
MISSING_APP = "oa_2xhFjEI5X2qWRvtV13BzSj8H6Dk"
PNG = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89"


def op_error(fn, status, code):
    """Asserts `fn()` raises the operation's own error class with this status and code."""
    try:
        fn()
    except Exception as err:  # noqa: BLE001 - the class differs per operation
        got = getattr(err, "status_code", None) or err.raw_response.status_code
        assert got == status, f"status {got}, expected {status}: {err}"
        first = err.data.errors[0]
        assert first.code == code, f"code {first.code}, expected {code}"
        assert first.message and first.long_message, "message and long_message"
        return f"{status} {code} ({type(err).__name__})"
    raise AssertionError(f"expected a {status} {code} error, got success")


@call("setup: users.create + organizations.create")
def _():
    state["user"] = clerk.users.create(email_address=[email("keys")])
    state["org"] = clerk.organizations.create(
        request={"name": f"{TAG} keys", "created_by": state["user"].id}
    )
    return f"{state['user'].id} {state['org'].id}"


@call("api_keys.create_api_key (201)")
def _():
    key = clerk.api_keys.create_api_key(
        name="py key",
        subject=state["user"].id,
        description="from python",
        claims={"tier": "gold"},
        scopes=["read", "write"],
        created_by=state["user"].id,
        seconds_until_expiration=3600.0,
    )
    assert key.id.startswith("ak_") and key.secret.startswith("ak_")
    assert key.subject == state["user"].id
    assert list(key.scopes) == ["read", "write"]
    state["key"] = key
    org_key = clerk.api_keys.create_api_key(name="org key", subject=state["org"].id)
    assert org_key.subject == state["org"].id
    err = op_error(
        lambda: clerk.api_keys.create_api_key(name="ab", subject=state["user"].id),
        400,
        "form_param_value_invalid",
    )
    return f"{key.id}; {err}"


@call("api_keys.get_api_keys (limit=10.0&offset=0.0)")
def _():
    page = clerk.api_keys.get_api_keys(subject=state["user"].id)
    assert page.total_count == 1
    assert page.data[0].id == state["key"].id
    err = op_error(
        lambda: clerk.api_keys.get_api_keys(subject=state["user"].id, limit=1000),
        400,
        "form_param_value_invalid",
    )
    return f"{page.total_count}; {err}"


@call("api_keys.get_api_key")
def _():
    key = clerk.api_keys.get_api_key(api_key_id=state["key"].id)
    assert key.name == "py key"
    err = op_error(lambda: clerk.api_keys.get_api_key(api_key_id=MISSING_KEY), 404, "resource_not_found")
    return f"{key.id}; {err}"


@call("api_keys.update_api_key")
def _():
    key = clerk.api_keys.update_api_key(
        api_key_id=state["key"].id, scopes=["read"], description=None, seconds_until_expiration=None
    )
    assert list(key.scopes) == ["read"]
    assert key.description is None and key.expiration is None
    err = op_error(
        lambda: clerk.api_keys.update_api_key(api_key_id=MISSING_KEY, scopes=[]), 404, "resource_not_found"
    )
    return f"{key.id}; {err}"


@call("api_keys.get_api_key_secret")
def _():
    secret = clerk.api_keys.get_api_key_secret(api_key_id=state["key"].id)
    assert secret.secret == state["key"].secret
    return op_error(lambda: clerk.api_keys.get_api_key_secret(api_key_id=MISSING_KEY), 404, "resource_not_found")


@call("api_keys.verify_api_key")
def _():
    key = clerk.api_keys.verify_api_key(secret=state["key"].secret)
    assert key.id == state["key"].id and key.subject == state["user"].id
    assert key.last_used_at
    errs = [
        op_error(lambda h=h: clerk.api_keys.verify_api_key(secret=h), 404, "api_key_not_found")
        for h in (state["key"].secret[:-1], "mt_" + state["key"].secret[3:], "ak_" + "A" * 48)
    ]
    return f"{key.id}; {', '.join(errs)}"


@call("api_keys.revoke_api_key")
def _():
    key = clerk.api_keys.revoke_api_key(api_key_id=state["key"].id, revocation_reason="leaked")
    assert key.revoked is True and key.revocation_reason == "leaked"
    refused = op_error(
        lambda: clerk.api_keys.verify_api_key(secret=state["key"].secret), 404, "api_key_revoked"
    )
    err = op_error(lambda: clerk.api_keys.revoke_api_key(api_key_id=MISSING_KEY), 404, "resource_not_found")
    return f"{refused}; {err}"


@call("api_keys.delete_api_key")
def _():
    deleted = clerk.api_keys.delete_api_key(api_key_id=state["key"].id)
    # The client names the `deleted` field `DELETED` (its enum of one value, true).
    assert deleted.id == state["key"].id and deleted.DELETED is True
    return op_error(lambda: clerk.api_keys.delete_api_key(api_key_id=state["key"].id), 404, "resource_not_found")


@call("oauth_applications.create")
def _():
    app = clerk.oauth_applications.create(
        request={"name": f"{TAG} app", "redirect_uris": ["https://app.example/cb"]}
    )
    assert app.id.startswith("oa_") and app.client_secret
    assert app.scopes == "profile email"
    state["app"] = app
    err = api_error(lambda: clerk.oauth_applications.create(request={"name": " "}), 422, "form_param_value_invalid")
    return f"{app.id}; {err}"


@call("oauth_applications.list")
def _():
    page = clerk.oauth_applications.list(limit=100)
    assert any(a.id == state["app"].id for a in page.data)
    err = api_error(lambda: clerk.oauth_applications.list(limit=1000), 422, "form_param_value_invalid")
    return f"{page.total_count}; {err}"


@call("oauth_applications.get")
def _():
    app = clerk.oauth_applications.get(oauth_application_id=state["app"].id)
    assert app.client_id == state["app"].client_id
    return api_error(lambda: clerk.oauth_applications.get(oauth_application_id=MISSING_APP), 404, "resource_not_found")


@call("oauth_applications.update (Python sends scopes 'profile email')")
def _():
    app = clerk.oauth_applications.update(oauth_application_id=state["app"].id, name=f"{TAG} app 2")
    assert app.name == f"{TAG} app 2" and app.scopes == "profile email"
    err = api_error(
        lambda: clerk.oauth_applications.update(oauth_application_id=MISSING_APP, name="x"), 404, "resource_not_found"
    )
    return f"{app.id}; {err}"


@call("oauth_applications.upload_logo")
def _():
    app = clerk.oauth_applications.upload_logo(
        oauth_application_id=state["app"].id,
        file={"file_name": "logo.png", "content": PNG, "content_type": "image/png"},
    )
    assert "/images/img_" in app.client_image_url
    err = api_error(
        lambda: clerk.oauth_applications.upload_logo(
            oauth_application_id=MISSING_APP, file={"file_name": "logo.png", "content": PNG}
        ),
        404,
        "resource_not_found",
    )
    return f"{app.client_image_url}; {err}"


@call("oauth_applications.rotate_secret")
def _():
    app = clerk.oauth_applications.rotate_secret(oauth_application_id=state["app"].id)
    assert app.client_secret and app.client_secret != state["app"].client_secret
    return api_error(
        lambda: clerk.oauth_applications.rotate_secret(oauth_application_id=MISSING_APP), 404, "resource_not_found"
    )


@call("oauth_access_tokens.verify")
def _():
    state["token"] = local(
        "POST", f"oauth_applications/{state['app'].id}/access_tokens", {"user_id": state["user"].id}
    )
    token = clerk.oauth_access_tokens.verify(access_token=state["token"]["token"])
    assert token.id == state["token"]["id"] and token.subject == state["user"].id
    err = op_error(
        lambda: clerk.oauth_access_tokens.verify(access_token="oat_" + "A" * 48), 404, "oauth_access_token_not_found"
    )
    return f"{token.id}; {err}"


@call("oauth_applications.revoke_token (204)")
def _():
    clerk.oauth_applications.revoke_token(oauth_application_id=state["app"].id, token=state["token"]["token"])
    refused = op_error(
        lambda: clerk.oauth_access_tokens.verify(access_token=state["token"]["token"]),
        404,
        "oauth_access_token_revoked",
    )
    err = api_error(
        lambda: clerk.oauth_applications.revoke_token(oauth_application_id=MISSING_APP, token="oat_x"),
        404,
        "resource_not_found",
    )
    return f"{refused}; {err}"


@call("oauth_applications.delete")
def _():
    deleted = clerk.oauth_applications.delete(oauth_application_id=state["app"].id)
    assert deleted.deleted is True
    return api_error(
        lambda: clerk.oauth_applications.delete(oauth_application_id=state["app"].id), 404, "resource_not_found"
    )


finish()
