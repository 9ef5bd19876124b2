"""Clerk's official Python backend client (clerk-backend-api, pinned in
requirements.txt) against a running clerk-server: every email and SMS template method
of the client (email_sms_templates.list/get/revert/toggle_template_delivery,
email_and_sms_templates.upsert, templates.preview), all deprecated by Clerk, with their
documented errors; an edited template is rendered into the outbox.

Templates are instance-wide: the scenario reverts what it edits, so the other scenarios
sharing the server see Clerk's defaults.

Usage: COMPAT_API_URL=http://127.0.0.1:PORT COMPAT_SECRET_KEY=sk_test_... python message_templates.py
Prints one line per call; exits 1 if any call did not give what Clerk gives.
"""

import warnings

from harness import api_error, call, clerk, email, finish, local, text

# The client warns on every deprecated operation; that is expected here.
warnings.simplefilter("ignore", DeprecationWarning)

state = {}


@call("email_sms_templates.list (bare array)")
def _():
    emails = clerk.email_sms_templates.list(template_type="email", limit=100)
    slugs = [t.slug for t in emails]
    for slug in ("verification_code", "invitation", "organization_invitation", "magic_link_sign_in"):
        assert slug in slugs, slugs
    positions = [t.position for t in emails]
    assert positions == sorted(positions), positions
    sms = clerk.email_sms_templates.list(template_type="sms")
    assert [t.slug for t in sms][:3] == ["verification_code", "reset_password_code", "invitation"]
    # The client refuses a type outside its enum before sending; preview (a plain string) shows the 400.
    return f"{len(emails)} email, {len(sms)} sms"


@call("email_sms_templates.get")
def _():
    t = clerk.email_sms_templates.get(template_type="email", slug="invitation")
    assert t.object == "template" or text(t.object) == "template"
    assert t.slug == "invitation" and t.resource_type == "system"
    assert t.required_variables == ["action_url"]
    assert t.delivered_by_clerk is True
    state["default"] = t
    out = api_error(lambda: clerk.email_sms_templates.get(template_type="email", slug="nope"), 404, "resource_not_found")
    return f"{t.id}; {out}"


@call("email_and_sms_templates.upsert")
def _():
    out = api_error(
        lambda: clerk.email_and_sms_templates.upsert(template_type="email", slug="invitation", body="<p>no link</p>"),
        422,
        "form_param_value_invalid",
    )
    t = clerk.email_and_sms_templates.upsert(
        template_type="email",
        slug="invitation",
        name="Python invitation",
        subject="Python says join {{app.name}}",
        body='<p><a href="{{action_url}}">Join</a></p>',
        from_email_name="python",
    )
    assert t.resource_type == "user" and t.can_revert is True
    assert t.name == "Python invitation"
    clerk.invitations.create(request={"email_address": email("tmpl-invite")})
    sent = local("GET", "outbox?type=email")["data"][0]
    assert sent["subject"] == "Python says join My Application", sent
    assert sent["from_email_name"] == "python", sent
    assert sent["body"].startswith('<p><a href="'), sent
    return f"{t.id}; rendered into {sent['id']}; {out}"


@call("templates.preview")
def _():
    p = clerk.templates.preview(template_type="email", slug="invitation", body="<b>{{action_url}}</b>")
    assert p is not None
    out = api_error(
        lambda: clerk.templates.preview(template_type="email", slug="invitation", body="{{#if}}"),
        422,
        "form_param_value_invalid",
    )
    out2 = api_error(lambda: clerk.templates.preview(template_type="sms", slug="nope"), 404, "resource_not_found")
    out3 = api_error(
        lambda: clerk.templates.preview(template_type="fax", slug="verification_code"), 400, "form_param_value_invalid"
    )
    return f"{out}, {out2}, {out3}"


@call("email_sms_templates.toggle_template_delivery")
def _():
    t = clerk.email_sms_templates.toggle_template_delivery(
        template_type="email", slug="invitation", delivered_by_clerk=False
    )
    assert t.delivered_by_clerk is False
    clerk.invitations.create(request={"email_address": email("tmpl-self")})
    sent = local("GET", "outbox?type=email")["data"][0]
    assert sent["delivered_by_clerk"] is False, sent
    out = api_error(
        lambda: clerk.email_sms_templates.toggle_template_delivery(template_type="sms", slug="nope", delivered_by_clerk=True),
        404,
        "resource_not_found",
    )
    return f"delivered_by_clerk false, still in the outbox; {out}"


@call("email_sms_templates.revert")
def _():
    t = clerk.email_sms_templates.revert(template_type="email", slug="invitation")
    assert t.resource_type == "system" and t.can_revert is False
    assert t.delivered_by_clerk is True and t.id == state["default"].id
    out = api_error(lambda: clerk.email_sms_templates.revert(template_type="email", slug="nope"), 404, "resource_not_found")
    return f"{t.id}; {out}"


finish()
