"""Clerk's official Python backend client (clerk-backend-api, pinned in requirements.txt)
against a running clerk-server: every machine method (machines.list/get/create/update/
delete/get_secret_key/rotate_secret_key/create_scope/delete_scope) and every M2M method
(m2m.create_token/list_tokens/revoke_token/verify_token, a machine's secret key passed as
the client's bearer), with their documented errors; and the client's own
security.verify_token helper, which posts {"secret": token} to the unprefixed
/m2m_tokens/verify.

Usage: COMPAT_API_URL=http://127.0.0.1:PORT COMPAT_SECRET_KEY=sk_test_... python machines.py
Prints one line per call; exits 1 if any call did not give what Clerk gives.
"""

import json

from clerk_backend_api.security import verify_token
from clerk_backend_api.security.types import VerifyTokenOptions

from harness import API_URL, SECRET_KEY, TAG, api_error, call, clerk, client, finish

state = {}


def name(n):
    return f"{TAG}_{n}"


def op_error(fn, status, code):
    """Asserts `fn()` raises the client's error for this status (the per-operation error
    classes of the M2M endpoints, ClerkErrors, or SDKError) with this first code."""
    try:
        fn()
    except Exception as err:  # noqa: BLE001 - the class differs per operation
        assert getattr(err, "status_code", None) == status, f"{type(err).__name__}: {err}"
        first = json.loads(err.body)["errors"][0]
        assert first["code"] == code, f"code {first['code']}, expected {code}"
        assert first["message"] and first["long_message"], "message and long_message"
        return f"{status} {code} ({type(err).__name__})"
    raise AssertionError(f"expected a {status} {code} error, got success")


@call("machines.create")
def _():
    state["callee"] = clerk.machines.create(request={"name": name("callee")})
    state["stranger"] = clerk.machines.create(request={"name": name("stranger")})
    m = clerk.machines.create(
        request={
            "name": name("caller"),
            "scoped_machines": [state["callee"].id],
            "default_token_ttl": 600,
        }
    )
    assert m.id.startswith("mch_")
    assert m.secret_key.startswith("ak_")
    assert m.default_token_ttl == 600
    assert [s.id for s in m.scoped_machines] == [state["callee"].id]
    state["caller"] = m
    return m.id


@call("machines.create (empty name: 422)")
def _():
    return api_error(lambda: clerk.machines.create(request={"name": ""}), 422, "form_param_value_invalid")


@call("machines.list")
def _():
    page = clerk.machines.list(query=name("caller"), order_by="-name", limit=5)
    assert page.total_count == 1, page
    assert page.data[0].id == state["caller"].id
    return str(page.total_count)


@call("machines.list (bad order_by: 422)")
def _():
    return api_error(lambda: clerk.machines.list(order_by="color"), 422, "form_param_value_invalid")


@call("machines.get")
def _():
    m = clerk.machines.get(machine_id=state["caller"].id)
    assert m.name == name("caller")
    return m.id


@call("machines.get (unknown: 404)")
def _():
    return api_error(lambda: clerk.machines.get(machine_id="mch_missing"), 404, "resource_not_found")


@call("machines.update")
def _():
    m = clerk.machines.update(machine_id=state["caller"].id, name=name("caller2"))
    assert m.name == name("caller2")
    return m.name


@call("machines.update (unknown: 404)")
def _():
    return api_error(
        lambda: clerk.machines.update(machine_id="mch_missing", name="x"), 404, "resource_not_found"
    )


@call("machines.get_secret_key")
def _():
    key = clerk.machines.get_secret_key(machine_id=state["caller"].id)
    assert key.secret == state["caller"].secret_key
    return "ak_…"


@call("machines.get_secret_key (unknown: 404)")
def _():
    return api_error(
        lambda: clerk.machines.get_secret_key(machine_id="mch_missing"), 404, "resource_not_found"
    )


@call("machines.rotate_secret_key")
def _():
    key = clerk.machines.rotate_secret_key(machine_id=state["caller"].id, previous_token_ttl=0)
    assert key.secret != state["caller"].secret_key
    state["caller_key"] = key.secret
    return "rotated"


@call("machines.rotate_secret_key (too long: 422)")
def _():
    return api_error(
        lambda: clerk.machines.rotate_secret_key(
            machine_id=state["caller"].id, previous_token_ttl=28801
        ),
        422,
        "form_param_value_invalid",
    )


@call("machines.create_scope")
def _():
    scope = clerk.machines.create_scope(
        machine_id=state["caller"].id, to_machine_id=state["stranger"].id
    )
    assert (scope.from_machine_id, scope.to_machine_id) == (state["caller"].id, state["stranger"].id)
    return "scoped"


@call("machines.create_scope (again: 409)")
def _():
    return api_error(
        lambda: clerk.machines.create_scope(
            machine_id=state["caller"].id, to_machine_id=state["stranger"].id
        ),
        409,
        "duplicate_record",
    )


@call("machines.delete_scope")
def _():
    deleted = clerk.machines.delete_scope(
        machine_id=state["caller"].id, other_machine_id=state["stranger"].id
    )
    # The client's model names the field DELETED (its alias is `deleted`).
    assert deleted.DELETED is True
    return "removed"


@call("machines.delete_scope (absent: 404)")
def _():
    return api_error(
        lambda: clerk.machines.delete_scope(
            machine_id=state["caller"].id, other_machine_id=state["stranger"].id
        ),
        404,
        "resource_not_found",
    )


@call("m2m.create_token (machine key)")
def _():
    t = client(state["caller_key"]).m2m.create_token(seconds_until_expiration=600.0)
    assert t.token.startswith("mt_")
    assert t.subject == state["caller"].id
    assert t.scopes == [state["callee"].id]
    state["token"] = t
    return t.id


@call("m2m.create_token (bad lifetime: 400)")
def _():
    return op_error(
        lambda: client(state["caller_key"]).m2m.create_token(seconds_until_expiration=-1.0),
        400,
        "form_param_value_invalid",
    )


@call("m2m.list_tokens (floats limit=10.0)")
def _():
    page = clerk.m2m.list_tokens(subject=state["caller"].id)
    assert page.total_count == 1, page
    assert page.m2m_tokens[0].id == state["token"].id
    return str(page.total_count)


@call("m2m.list_tokens (another machine's: 403)")
def _():
    return op_error(
        lambda: client(state["callee"].secret_key).m2m.list_tokens(subject=state["caller"].id),
        403,
        "authorization_invalid",
    )


@call("m2m.verify_token (the callee machine)")
def _():
    t = client(state["callee"].secret_key).m2m.verify_token(token=state["token"].token)
    assert t.id == state["token"].id
    return t.subject


@call("m2m.verify_token (out of scope: 404)")
def _():
    return op_error(
        lambda: client(state["stranger"].secret_key).m2m.verify_token(token=state["token"].token),
        404,
        "resource_not_found",
    )


@call("security.verify_token (posts {secret} to /m2m_tokens/verify)")
def _():
    raw = verify_token(
        state["token"].token,
        VerifyTokenOptions(api_url=API_URL, machine_secret_key=state["callee"].secret_key),
    )
    assert raw["subject"] == state["caller"].id, raw
    raw = verify_token(state["token"].token, VerifyTokenOptions(api_url=API_URL, secret_key=SECRET_KEY))
    assert raw["id"] == state["token"].id
    return raw["id"]


@call("m2m.revoke_token")
def _():
    t = client(state["caller_key"]).m2m.revoke_token(m2m_token_id=state["token"].id)
    assert t.revoked is True
    return t.id


@call("m2m.revoke_token (unknown: 404)")
def _():
    return op_error(
        lambda: clerk.m2m.revoke_token(m2m_token_id="mt_00000000000000000000000000000000"),
        404,
        "resource_not_found",
    )


@call("m2m.verify_token (revoked: 404)")
def _():
    return op_error(
        lambda: clerk.m2m.verify_token(token=state["token"].token), 404, "token_revoked"
    )


@call("machines.delete")
def _():
    deleted = clerk.machines.delete(machine_id=state["stranger"].id)
    assert deleted.DELETED is True
    assert deleted.id == state["stranger"].id
    return deleted.id


@call("machines.delete (again: 404)")
def _():
    return api_error(
        lambda: clerk.machines.delete(machine_id=state["stranger"].id), 404, "resource_not_found"
    )


finish()
