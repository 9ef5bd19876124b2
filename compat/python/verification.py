"""Clerk's official Python backend client (clerk-backend-api, pinned in
requirements.txt) against a running clerk-server: `email_addresses` and `phone_numbers`
`prepare_verification` / `attempt_verification` (a real code read from the outbox, a wrong
code reported through the status, a test phone number verified with 424242), and their
documented errors. (@clerk/backend 3.25.0 has no such methods.)

Usage: COMPAT_API_URL=http://127.0.0.1:PORT COMPAT_SECRET_KEY=sk_test_... python verification.py
Prints one line per call; exits 1 if any call did not give what Clerk gives.
"""

from harness import TAG, api_error, call, clerk, email, finish, local, text

state = {}


@call("setup: users.create, email_addresses.create, phone_numbers.create")
def _():
    user = clerk.users.create(external_id=f"{TAG}-verify")
    state["email"] = clerk.email_addresses.create(
        request={"user_id": user.id, "email_address": email("verify"), "verified": False}
    )
    state["phone"] = clerk.phone_numbers.create(
        request={"user_id": user.id, "phone_number": "+12015550177", "verified": False}
    )
    return user.id


@call("email_addresses.prepare_verification")
def _():
    sent = clerk.email_addresses.prepare_verification(email_address_id=state["email"].id)
    assert sent.id.startswith("ver_") and text(sent.status) == "unverified", sent
    assert text(sent.strategy) == "email_code" and sent.attempts == 0
    state["sent"] = sent
    outbox = local("GET", "outbox?type=email")
    newest = next(m for m in outbox["data"] if m["to_email_address"] == email("verify"))
    assert newest["slug"] == "verification_code"
    state["code"] = newest["subject"][:6]
    return api_error(
        lambda: clerk.email_addresses.prepare_verification(email_address_id="idn_missing"),
        404,
        "resource_not_found",
    )


@call("email_addresses.attempt_verification")
def _():
    eid, vid, code = state["email"].id, state["sent"].id, state["code"]
    wrong = "111111" if code == "000000" else "000000"
    checked = clerk.email_addresses.attempt_verification(
        email_address_id=eid, verification_id=vid, code=wrong
    )
    assert text(checked.status) == "unverified" and checked.attempts == 1, checked
    checked = clerk.email_addresses.attempt_verification(
        email_address_id=eid, verification_id=vid, code=code
    )
    assert text(checked.status) == "verified", checked
    shown = clerk.email_addresses.get(email_address_id=eid)
    assert text(shown.verification.status) == "verified"
    return api_error(
        lambda: clerk.email_addresses.attempt_verification(
            email_address_id=eid, verification_id=vid, code=code
        ),
        400,
        "verification_already_verified",
    )


@call("phone_numbers.prepare_verification + attempt_verification (test number)")
def _():
    pid = state["phone"].id
    sent = clerk.phone_numbers.prepare_verification(phone_number_id=pid)
    assert text(sent.strategy) == "phone_code" and sent.channel == "sms", sent
    checked = clerk.phone_numbers.attempt_verification(
        phone_number_id=pid, verification_id=sent.id, code="424242"
    )
    assert text(checked.status) == "verified", checked
    return api_error(
        lambda: clerk.phone_numbers.attempt_verification(
            phone_number_id=pid, verification_id="ver_missing", code="424242"
        ),
        404,
        "resource_not_found",
    )


finish()
