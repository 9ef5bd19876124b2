"""Clerk's official Python backend client (clerk-backend-api, pinned in
requirements.txt) against a running clerk-server: every JWT template method of the
client (jwt_templates.list/get/create/update/delete) with their documented errors, and
sessions.create_token_from_template, its tokens verified with PyJWT (the instance's
RS256 key, and an HS256 template's own secret).

The client sends `claims` as `{}` whatever it is given (its claims models have no
fields), so templates made here carry no custom claims; the claims themselves are
covered by the JS scenario and the server's tests.

Usage: COMPAT_API_URL=http://127.0.0.1:PORT COMPAT_SECRET_KEY=sk_test_... python jwt_templates.py
Prints one line per call; exits 1 if any call did not give what Clerk gives.
"""

import jwt as pyjwt

from harness import TAG, api_error, call, clerk, email, finish, local

state = {}


def name(n):
    return f"{TAG}_{n}"


@call("setup: users.create + sessions.create")
def _():
    state["user"] = clerk.users.create(email_address=[email("tmpl")], first_name="Py")
    state["session"] = clerk.sessions.create(request={"user_id": state["user"].id})
    return state["session"].id


@call("jwt_templates.create")
def _():
    t = clerk.jwt_templates.create(
        request={"name": name("rs"), "claims": {}, "lifetime": 300, "allowed_clock_skew": 10}
    )
    assert t.id.startswith("jtmp_")
    assert t.name == name("rs")
    assert (t.lifetime, t.allowed_clock_skew) == (300, 10)
    assert t.custom_signing_key is False
    assert t.signing_algorithm == "RS256"
    state["rs"] = t
    state["secret"] = "a-shared-secret-for-python-hs256"
    hs = clerk.jwt_templates.create(
        request={
            "name": name("hs"),
            "claims": {},
            "custom_signing_key": True,
            "signing_algorithm": "HS256",
            "signing_key": state["secret"],
        }
    )
    assert hs.custom_signing_key is True and hs.signing_algorithm == "HS256"
    state["hs"] = hs
    out = [api_error(lambda: clerk.jwt_templates.create(request={"name": name("x"), "claims": {}, "lifetime": 1}), 422, "form_param_value_invalid")]
    out.append(api_error(lambda: clerk.jwt_templates.create(request={"name": name("rs"), "claims": {}}), 422, "form_identifier_exists"))
    out.append(
        api_error(
            lambda: clerk.jwt_templates.create(
                request={
                    "name": name("x"),
                    "claims": {},
                    "custom_signing_key": True,
                    "signing_algorithm": "RS256",
                    "signing_key": "no",
                }
            ),
            422,
            "form_param_value_invalid",
        )
    )
    return f"{t.id} {hs.id}; " + ", ".join(out)


@call("jwt_templates.list (bare array)")
def _():
    templates = clerk.jwt_templates.list(limit=100)
    mine = sorted(t.name for t in templates if t.name.startswith(TAG))
    assert mine == [name("hs"), name("rs")], mine
    return f"{len(templates)} listed"


@call("jwt_templates.get")
def _():
    t = clerk.jwt_templates.get(template_id=state["rs"].id)
    assert t.name == name("rs")
    return api_error(lambda: clerk.jwt_templates.get(template_id="jtmp_missing"), 404, "resource_not_found")


@call("sessions.create_token_from_template (RS256 and HS256, verified by PyJWT)")
def _():
    sid = state["session"].id
    token = clerk.sessions.create_token_from_template(session_id=sid, template_name=name("rs"))
    pem = next(k for k in local("GET", "keys")["data"] if k["status"] == "active")["public_key_pem"]
    claims = pyjwt.decode(token.jwt, pem, algorithms=["RS256"])
    assert claims["sub"] == state["user"].id
    assert claims["exp"] - claims["iat"] == 300 and claims["iat"] - claims["nbf"] == 10
    short = clerk.sessions.create_token_from_template(session_id=sid, template_name=name("rs"), expires_in_seconds=45)
    c = pyjwt.decode(short.jwt, pem, algorithms=["RS256"])
    assert c["exp"] - c["iat"] == 45
    hs = clerk.sessions.create_token_from_template(session_id=sid, template_name=name("hs"))
    h = pyjwt.decode(hs.jwt, state["secret"], algorithms=["HS256"])
    assert h["sub"] == state["user"].id
    return api_error(
        lambda: clerk.sessions.create_token_from_template(session_id=sid, template_name=name("missing")),
        404,
        "resource_not_found",
    )


@call("jwt_templates.update")
def _():
    t = clerk.jwt_templates.update(template_id=state["rs"].id, name=name("rs2"), claims={}, lifetime=120)
    assert t.name == name("rs2") and t.lifetime == 120 and t.allowed_clock_skew == 10
    return api_error(
        lambda: clerk.jwt_templates.update(template_id=state["rs"].id, name=name("hs"), claims={}),
        422,
        "form_identifier_exists",
    )


@call("jwt_templates.delete")
def _():
    for t in (state["rs"], state["hs"]):
        deleted = clerk.jwt_templates.delete(template_id=t.id)
        assert deleted.deleted is True
    return api_error(lambda: clerk.jwt_templates.delete(template_id=state["rs"].id), 404, "resource_not_found")


finish()
