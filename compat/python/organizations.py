"""Clerk's official Python backend client (clerk-backend-api, pinned in
requirements.txt) against a running clerk-server: every organization method of the
client (organizations, memberships, logos, billing, invitations, domains, roles,
permissions, role sets), asserting what comes back and one documented error or more
for each, then organization claims in session tokens (v1 and v2) read by the client's
own `authenticate_request`.

Usage: COMPAT_API_URL=http://127.0.0.1:PORT COMPAT_SECRET_KEY=sk_test_... python organizations.py
Prints one line per call; exits 1 if any call did not give what Clerk gives.
"""

import base64
import re
import time
import warnings

import httpx
from clerk_backend_api.security import AuthenticateRequestOptions, authenticate_request
from clerk_backend_api.security.types import SessionAuthObjectV1, SessionAuthObjectV2

from harness import (
    API_URL,
    SECRET_KEY,
    TAG,
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

state = {}
# A 1x1 PNG (a real image: the server reads the type from the bytes).
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)


def ids(items):
    return [item.id for item in items]


def member_ids(memberships):
    return [m.public_user_data.user_id for m in memberships.data]


# Users: an owner (the creator, so the first admin), a member, a third for the quota.


@call("setup: users.create x4")
def _():
    state["owner"] = clerk.users.create(
        email_address=[email("owner")], first_name="Olive", last_name="Owner", username=f"{TAG}_olive"
    )
    # Distinct creation times, for the created_at filters of the memberships list.
    time.sleep(0.003)
    state["member"] = clerk.users.create(email_address=[email("member")], first_name="Mark", last_name="Member")
    time.sleep(0.003)
    state["third"] = clerk.users.create(email_address=[email("third")], first_name="Tess")
    # Never a member: invited, for a user's invitations.
    state["guest"] = clerk.users.create(email_address=[email("guest")])
    return " ".join(state[k].id for k in ("owner", "member", "third", "guest"))


# Organizations.


@call("organizations.create")
def _():
    org = clerk.organizations.create(
        request={
            "name": "Acme Inc",
            "slug": f"{TAG}-acme",
            "created_by": state["owner"].id,
            "max_allowed_memberships": 5,
            "public_metadata": {"plan": "pro", "nested": {"a": 1}},
            "private_metadata": {"secret": "s"},
        }
    )
    assert org.id.startswith("org_") and len(org.id) == 31
    assert text(org.object) == "organization"
    assert org.name == "Acme Inc" and org.slug == f"{TAG}-acme"
    assert org.max_allowed_memberships == 5 and org.admin_delete_enabled is True
    assert org.has_image is False and org.image_url.startswith("http")
    assert org.public_metadata == {"plan": "pro", "nested": {"a": 1}}
    assert org.private_metadata == {"secret": "s"}
    assert org.created_by == state["owner"].id
    assert isinstance(org.created_at, int) and org.created_at == org.updated_at
    state["org"] = org
    return org.id


@call("organizations.create (no slug, no creator)")
def _():
    org = clerk.organizations.create(request={"name": f"Beta {TAG}"})
    assert org.slug == f"beta-{TAG}"
    assert org.created_by is None
    assert org.max_allowed_memberships == 0, "the instance default: no limit"
    state["beta"] = org
    return f"slug={org.slug}"


@call("organizations.create (slug taken, bad slug, unknown creator)")
def _():
    api_error(
        lambda: clerk.organizations.create(request={"name": "Other", "slug": f"{TAG}-acme"}),
        422,
        "form_identifier_exists",
    )
    api_error(
        lambda: clerk.organizations.create(request={"name": "Other", "slug": "Not A Slug"}),
        422,
        "form_param_format_invalid",
    )
    return api_error(
        lambda: clerk.organizations.create(request={"name": "Other", "created_by": "user_nope"}),
        400,
        "organization_creator_not_found",
    )


@call("organizations.list")
def _():
    page = clerk.organizations.list(limit=500)
    assert page.total_count >= 2
    mine = [o.id for o in page.data if o.id in (state["org"].id, state["beta"].id)]
    assert mine == [state["beta"].id, state["org"].id], "newest first"
    return f"total_count={page.total_count}"


@call("organizations.list(organization_id, order_by, include_members_count, limit, offset)")
def _():
    both = [state["org"].id, state["beta"].id]
    by_name = clerk.organizations.list(organization_id=both, order_by="+name", include_members_count=True)
    assert by_name.total_count == 2
    assert ids(by_name.data) == both, "Acme before Beta"
    assert [o.members_count for o in by_name.data] == [1, 0]
    desc = clerk.organizations.list(organization_id=both, order_by="-name", limit=1, offset=1)
    assert desc.total_count == 2 and ids(desc.data) == [state["org"].id]
    assert desc.data[0].members_count is None, "only when asked"
    flagged = clerk.organizations.list(organization_id=both, include_missing_member_with_elevated_permissions=True)
    flags = {o.id: o.missing_member_with_elevated_permissions for o in flagged.data}
    # Acme's creator is an admin; Beta was made by nobody, so nobody manages its members.
    assert flags == {state["org"].id: False, state["beta"].id: True}, flags
    return "ordered, paged, counted, flagged"


@call("organizations.list(query, user_id)")
def _():
    assert ids(clerk.organizations.list(query=f"{TAG}-ac").data) == [state["org"].id]
    assert ids(clerk.organizations.list(query=state["beta"].id).data) == [state["beta"].id]
    assert clerk.organizations.list(query=f"{TAG}-nothing").total_count == 0
    mine = clerk.organizations.list(user_id=[state["owner"].id])
    assert ids(mine.data) == [state["org"].id]
    return "slug part, exact id, nothing; the owner's"


@call("organizations.get (id, slug, counts)")
def _():
    by_id = clerk.organizations.get(organization_id=state["org"].id)
    assert by_id.slug == f"{TAG}-acme" and by_id.members_count is None
    by_slug = clerk.organizations.get(
        organization_id=f"{TAG}-acme",
        include_members_count=True,
        include_missing_member_with_elevated_permissions=True,
    )
    assert by_slug.id == state["org"].id
    assert by_slug.members_count == 1 and by_slug.pending_invitations_count == 0
    assert by_slug.missing_member_with_elevated_permissions is False, "the owner is an admin"
    return api_error(lambda: clerk.organizations.get(organization_id="org_nope"), 404, "resource_not_found")


@call("organizations.update")
def _():
    org = clerk.organizations.update(
        organization_id=state["org"].id,
        name="Acme Corp",
        slug=f"{TAG}-acme-corp",
        admin_delete_enabled=False,
        max_allowed_memberships=3,
    )
    assert org.name == "Acme Corp" and org.slug == f"{TAG}-acme-corp"
    assert org.admin_delete_enabled is False and org.max_allowed_memberships == 3
    assert org.updated_at >= state["org"].updated_at
    assert org.public_metadata == {"plan": "pro", "nested": {"a": 1}}, "metadata kept"
    state["org"] = org
    # Python also types created_at (RFC 3339), for imports.
    beta = clerk.organizations.update(organization_id=state["beta"].id, created_at="2024-01-02T03:04:05Z")
    assert beta.created_at == 1704164645000
    api_error(
        lambda: clerk.organizations.update(organization_id=state["beta"].id, slug=f"{TAG}-acme-corp"),
        422,
        "form_identifier_exists",
    )
    return api_error(
        lambda: clerk.organizations.update(organization_id="org_nope", name="x"), 404, "resource_not_found"
    )


@call("organizations.merge_metadata (deep merge, None deletes)")
def _():
    org = clerk.organizations.merge_metadata(
        organization_id=state["org"].id,
        public_metadata={"nested": {"b": 2}, "plan": None},
        private_metadata={"more": [1, 2]},
    )
    assert org.public_metadata == {"nested": {"a": 1, "b": 2}}
    assert org.private_metadata == {"secret": "s", "more": [1, 2]}
    return api_error(
        lambda: clerk.organizations.merge_metadata(organization_id="org_nope", public_metadata={}),
        404,
        "resource_not_found",
    )


@call("organizations.replace_metadata")
def _():
    org = clerk.organizations.replace_metadata(organization_id=state["org"].id, public_metadata={"only": "this"})
    assert org.public_metadata == {"only": "this"}
    assert org.private_metadata == {"secret": "s", "more": [1, 2]}, "a field left out is kept"
    return api_error(
        lambda: clerk.organizations.replace_metadata(organization_id="org_nope", public_metadata={}),
        404,
        "resource_not_found",
    )


@call("organizations.upload_logo (PNG)")
def _():
    org = clerk.organizations.upload_logo(
        organization_id=state["org"].id,
        file={"file_name": "logo.png", "content": PNG, "content_type": "image/png"},
        uploader_user_id=state["owner"].id,
    )
    assert text(org.object) == "organization" and org.has_image is True
    assert org.image_url != state["org"].image_url
    # The logo is served, without authentication, with the bytes uploaded.
    answer = httpx.get(org.image_url)
    assert answer.status_code == 200 and answer.headers["content-type"] == "image/png"
    assert answer.content == PNG
    state["logo_url"] = org.image_url
    return org.image_url.split("/images/")[-1]


@call("organizations.upload_logo (not an image, unknown org)")
def _():
    api_error(
        lambda: clerk.organizations.upload_logo(
            organization_id=state["org"].id,
            file={"file_name": "logo.png", "content": b"just text", "content_type": "image/png"},
        ),
        400,
        "request_body_invalid",
    )
    return api_error(
        lambda: clerk.organizations.upload_logo(
            organization_id="org_nope", file={"file_name": "logo.png", "content": PNG}
        ),
        404,
        "resource_not_found",
    )


@call("organizations.delete_logo")
def _():
    org = clerk.organizations.delete_logo(organization_id=state["org"].id)
    assert org.id == state["org"].id and org.has_image is False
    assert httpx.get(state["logo_url"]).status_code == 404, "the old logo is gone"
    return api_error(lambda: clerk.organizations.delete_logo(organization_id="org_nope"), 404, "resource_not_found")


@call("organizations.get_billing_subscription / credit balance / adjust")
def _():
    org = state["org"].id
    api_error(
        lambda: clerk.organizations.get_billing_subscription(organization_id="org_nope"), 404, "resource_not_found"
    )
    api_error(lambda: clerk.organizations.get_billing_subscription(organization_id=org), 403, "feature_not_enabled")
    api_error(lambda: clerk.organizations.get_billing_credit_balance(organization_id=org), 403, "feature_not_enabled")
    return api_error(
        lambda: clerk.organizations.adjust_billing_credit_balance(
            organization_id=org, amount=100, action="increase", idempotency_key=f"{TAG}-credit"
        ),
        403,
        "feature_not_enabled",
    )


# Memberships.


@call("organization_memberships.create")
def _():
    m = clerk.organization_memberships.create(
        organization_id=state["org"].id, user_id=state["member"].id, role="org:member"
    )
    assert m.id.startswith("orgmem_") and text(m.object) == "organization_membership"
    assert m.role == "org:member" and m.role_name == "Member"
    assert "org:sys_memberships:read" in m.permissions
    assert "org:sys_memberships:manage" not in m.permissions
    assert m.organization.id == state["org"].id and m.organization.slug == state["org"].slug
    assert m.public_user_data.user_id == state["member"].id
    assert m.public_user_data.first_name == "Mark"
    assert m.public_user_data.identifier == email("member")
    assert m.public_metadata == {}
    state["membership"] = m
    return m.id


@call("organization_memberships.create (member, role, user, quota)")
def _():
    org = state["org"].id
    create = clerk.organization_memberships.create
    api_error(
        lambda: create(organization_id=org, user_id=state["member"].id, role="org:member"),
        400,
        "already_a_member_in_organization",
    )
    api_error(
        lambda: create(organization_id=org, user_id=state["third"].id, role="org:nope"), 404, "resource_not_found"
    )
    api_error(lambda: create(organization_id=org, user_id="user_nope", role="org:member"), 404, "resource_not_found")
    # Two members in an organization now limited to two.
    clerk.organizations.update(organization_id=org, max_allowed_memberships=2)
    api_error(
        lambda: create(organization_id=org, user_id=state["third"].id, role="org:member"),
        403,
        "organization_membership_quota_exceeded",
    )
    clerk.organizations.update(organization_id=org, max_allowed_memberships=0)
    third = create(
        organization_id=org, user_id=state["third"].id, role="org:member", public_metadata={"joined": "late"}
    )
    assert third.public_metadata == {"joined": "late"}
    return "already a member; no such role; no such user; over quota"


@call("organization_memberships.list")
def _():
    page = clerk.organization_memberships.list(organization_id=state["org"].id)
    assert page.total_count == 3
    assert member_ids(page) == [state["third"].id, state["member"].id, state["owner"].id], "newest first"
    assert page.data[2].role == "org:admin"
    assert "org:sys_memberships:manage" in page.data[2].permissions
    # The spec declares no 404 for this operation: the client raises SDKError.
    sdk_error(lambda: clerk.organization_memberships.list(organization_id="org_nope"), 404, "resource_not_found")
    return f"total_count={page.total_count}"


@call("organization_memberships.list (filters)")
def _():
    owner, member, third = (state[k].id for k in ("owner", "member", "third"))

    def listed(**params):
        page = clerk.organization_memberships.list(organization_id=state["org"].id, **params)
        assert page.total_count == len(page.data)
        return member_ids(page)

    assert listed(role=["org:admin"]) == [owner]
    assert listed(role=["org:admin", "org:member"]) == [third, member, owner]
    assert listed(user_id=[member, owner]) == [member, owner]
    assert listed(email_address=[email("third")]) == [third]
    assert listed(username=[f"{TAG}_olive"]) == [owner]
    assert listed(query="mark") == [member]
    assert listed(email_address_query=f"{TAG}.own") == [owner]
    assert listed(username_query="OLIVE") == [owner]
    assert listed(name_query="Mark Mem") == [member]
    assert listed(created_at_after=state["member"].created_at) == [third]
    assert listed(created_at_before=state["member"].created_at + 1) == [member, owner]
    assert listed(order_by="+first_name") == [member, owner, third]
    page = clerk.organization_memberships.list(
        organization_id=state["org"].id, order_by="-email_address", limit=2, offset=1
    )
    assert page.total_count == 3 and member_ids(page) == [owner, member]
    return "role, user_id, email_address, username, *_query, created_at_*, order_by, limit/offset"


@call("organization_memberships.update")
def _():
    org, user = state["org"].id, state["member"].id
    m = clerk.organization_memberships.update(organization_id=org, user_id=user, role="org:admin")
    assert m.role == "org:admin" and "org:sys_memberships:manage" in m.permissions
    back = clerk.organization_memberships.update(organization_id=org, user_id=user, role="org:member")
    assert back.role == "org:member"
    api_error(
        lambda: clerk.organization_memberships.update(organization_id=org, user_id=user, role="org:nope"),
        404,
        "resource_not_found",
    )
    api_error(
        lambda: clerk.organization_memberships.update(organization_id=org, user_id="user_nope", role="org:member"),
        404,
        "resource_not_found",
    )
    # The last member who can manage members keeps that role.
    return api_error(
        lambda: clerk.organization_memberships.update(
            organization_id=org, user_id=state["owner"].id, role="org:member"
        ),
        422,
        "organization_minimum_permissions_needed",
    )


@call("organization_memberships.update_metadata")
def _():
    org, user = state["org"].id, state["member"].id
    first = clerk.organization_memberships.update_metadata(
        organization_id=org,
        user_id=user,
        public_metadata={"team": "red", "deep": {"x": 1}},
        private_metadata={"note": "n"},
    )
    assert first.public_metadata == {"team": "red", "deep": {"x": 1}}
    assert first.private_metadata == {"note": "n"}
    merged = clerk.organization_memberships.update_metadata(
        organization_id=org, user_id=user, public_metadata={"deep": {"y": 2}, "team": None}
    )
    assert merged.public_metadata == {"deep": {"x": 1, "y": 2}} and merged.private_metadata == {"note": "n"}
    return api_error(
        lambda: clerk.organization_memberships.update_metadata(
            organization_id=state["beta"].id, user_id=user, public_metadata={}
        ),
        404,
        "resource_not_found",
    )


@call("users.get_instance_organization_memberships")
def _():
    page = clerk.users.get_instance_organization_memberships(order_by="-created_at", limit=500)
    assert page.total_count >= 3
    mine = [m.public_user_data.user_id for m in page.data if m.organization.id == state["org"].id]
    assert mine == [state["third"].id, state["member"].id, state["owner"].id]
    return f"total_count={page.total_count}"


@call("users.get_organization_memberships")
def _():
    clerk.organization_memberships.create(
        organization_id=state["beta"].id, user_id=state["member"].id, role="org:admin"
    )
    page = clerk.users.get_organization_memberships(user_id=state["member"].id)
    assert page.total_count == 2
    assert [(m.organization.id, m.role) for m in page.data] == [
        (state["beta"].id, "org:admin"),
        (state["org"].id, "org:member"),
    ]
    second = clerk.users.get_organization_memberships(user_id=state["member"].id, limit=1, offset=1)
    assert [m.organization.id for m in second.data] == [state["org"].id]
    return f"total_count={page.total_count}"


# Invitations.


@call("organization_invitations.create")
def _():
    inv = clerk.organization_invitations.create(
        organization_id=state["org"].id,
        email_address=email("invitee"),
        role="org:member",
        inviter_user_id=state["owner"].id,
        expires_in_days=7,
        redirect_url="http://localhost:3000/welcome",
        public_metadata={"from": "py"},
        private_metadata={"note": "n"},
    )
    assert inv.id.startswith("orginv_") and text(inv.object) == "organization_invitation"
    assert inv.email_address == email("invitee")
    assert inv.role == "org:member" and inv.role_name == "Member"
    assert inv.status == "pending" and inv.organization_id == state["org"].id
    assert inv.inviter_id == state["owner"].id
    assert inv.public_inviter_data.user_id == state["owner"].id
    assert inv.expires_at - inv.created_at == 7 * 24 * 3600 * 1000
    assert inv.public_metadata == {"from": "py"} and inv.private_metadata == {"note": "n"}
    # The link that accepts it: the Frontend API's, with the invitation's ticket.
    assert re.search(r"/__clerk/v1/tickets/accept\?ticket=[\w-]+\.[\w-]+\.[\w-]+$", inv.url), inv.url
    state["invitation"] = inv
    # Python always sends notify: true, so the invitation email went out.
    outbox = local("GET", f"outbox?type=email&to={email('invitee')}")
    assert outbox["total_count"] == 1
    return inv.id


@call("organization_invitations.create (errors)")
def _():
    def invite(**params):
        return lambda: clerk.organization_invitations.create(
            **{"organization_id": state["org"].id, "role": "org:member", **params}
        )

    api_error(invite(email_address=email("invitee")), 400, "organization_invitation_not_unique")
    api_error(invite(email_address=email("member")), 400, "already_a_member_in_organization")
    api_error(
        invite(email_address=email("other"), inviter_user_id=state["member"].id),
        403,
        "not_an_admin_in_organization",
    )
    api_error(invite(email_address=email("other"), role="org:nope"), 404, "resource_not_found")
    # Three members and one pending invitation fill an organization limited to four.
    clerk.organizations.update(organization_id=state["org"].id, max_allowed_memberships=4)
    api_error(invite(email_address=email("other")), 403, "organization_membership_quota_exceeded")
    clerk.organizations.update(organization_id=state["org"].id, max_allowed_memberships=0)
    return api_error(
        invite(email_address=email("other"), organization_id="org_nope"), 404, "resource_not_found"
    )


@call("organization_invitations.bulk_create")
def _():
    page = clerk.organization_invitations.bulk_create(
        organization_id=state["org"].id,
        request_body=[
            {"email_address": email("bulk1"), "role": "org:admin", "inviter_user_id": state["owner"].id},
            {"email_address": email("guest"), "role": "org:member", "public_metadata": {"bulk": True}},
        ],
    )
    assert page.total_count == 2
    assert [(i.email_address, i.role, i.status) for i in page.data] == [
        (email("bulk1"), "org:admin", "pending"),
        (email("guest"), "org:member", "pending"),
    ]
    state["guest_invitation"] = page.data[1]
    return api_error(
        lambda: clerk.organization_invitations.bulk_create(
            organization_id=state["org"].id,
            request_body=[
                {"email_address": email("bulk2"), "role": "org:member"},
                {"email_address": email("bulk1"), "role": "org:member"},
            ],
        ),
        400,
        "organization_invitation_not_unique",
    )


@call("organization_invitations.get")
def _():
    inv = clerk.organization_invitations.get(organization_id=state["org"].id, invitation_id=state["invitation"].id)
    assert inv.id == state["invitation"].id and inv.status == "pending"
    return api_error(
        lambda: clerk.organization_invitations.get(organization_id=state["org"].id, invitation_id="orginv_nope"),
        404,
        "resource_not_found",
    )


@call("organization_invitations.revoke")
def _():
    org, inv = state["org"].id, state["invitation"].id
    api_error(
        lambda: clerk.organization_invitations.revoke(
            organization_id=org, invitation_id=inv, requesting_user_id=state["member"].id
        ),
        403,
        "not_an_admin_in_organization",
    )
    revoked = clerk.organization_invitations.revoke(
        organization_id=org, invitation_id=inv, requesting_user_id=state["owner"].id
    )
    assert revoked.status == "revoked"
    return api_error(
        lambda: clerk.organization_invitations.revoke(organization_id=org, invitation_id=inv),
        400,
        "organization_invitation_not_pending",
    )


@call("organization_invitations.list(status, limit, offset)")
def _():
    org = state["org"].id
    assert clerk.organization_invitations.list(organization_id=org).total_count == 3
    pending = clerk.organization_invitations.list(organization_id=org, status="pending")
    assert {i.email_address for i in pending.data} == {email("bulk1"), email("guest")}
    revoked = clerk.organization_invitations.list(organization_id=org, status="revoked")
    assert ids(revoked.data) == [state["invitation"].id]
    page = clerk.organization_invitations.list(organization_id=org, limit=1, offset=1)
    assert page.total_count == 3 and len(page.data) == 1
    return api_error(
        lambda: clerk.organization_invitations.list(organization_id="org_nope"), 404, "resource_not_found"
    )


@call("organization_invitations.list_pending (deprecated)")
def _():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        page = clerk.organization_invitations.list_pending(organization_id=state["org"].id)
    assert {i.email_address for i in page.data} == {email("bulk1"), email("guest")}
    return f"total_count={page.total_count}"


@call("organization_invitations.get_all (instance-wide)")
def _():
    page = clerk.organization_invitations.get_all(status="pending", limit=500)
    mine = [i for i in page.data if i.email_address in (email("bulk1"), email("guest"))]
    assert len(mine) == 2
    assert all(i.public_organization_data.id == state["org"].id for i in mine)
    revoked = clerk.organization_invitations.get_all(status="revoked", query=email("invitee"))
    assert ids(revoked.data) == [state["invitation"].id]
    return f"total_count={page.total_count}"


@call("users.get_organization_invitations")
def _():
    page = clerk.users.get_organization_invitations(user_id=state["guest"].id, status="pending")
    assert page.total_count == 1 and page.data[0].id == state["guest_invitation"].id
    none = clerk.users.get_organization_invitations(user_id=state["guest"].id, status="revoked")
    assert none.total_count == 0
    return f"total_count={page.total_count}"


@call("invitation accepted (local extension): a member, listed as accepted")
def _():
    # What the guest's click on the email's link does.
    accepted = local("POST", f"organization_invitations/{state['guest_invitation'].id}/accept")
    assert accepted["status"] == "accepted"
    page = clerk.organization_memberships.list(organization_id=state["org"].id, user_id=[state["guest"].id])
    assert page.data[0].role == "org:member"
    assert page.data[0].public_metadata == {"bulk": True}, "the invitation's metadata"
    mine = clerk.users.get_organization_invitations(user_id=state["guest"].id, status="accepted")
    assert ids(mine.data) == [state["guest_invitation"].id]
    return api_error(
        lambda: clerk.organization_invitations.revoke(
            organization_id=state["org"].id, invitation_id=state["guest_invitation"].id
        ),
        400,
        "organization_invitation_already_accepted",
    )


# Domains.

DOMAIN = f"{TAG}.example.com"


@call("organization_domains.create")
def _():
    d = clerk.organization_domains.create(
        organization_id=state["org"].id, name=DOMAIN.upper(), enrollment_mode="automatic_invitation"
    )
    assert text(d.object) == "organization_domain" and d.id.startswith("orgdmn_")
    assert d.name == DOMAIN and d.organization_id == state["org"].id
    assert text(d.enrollment_mode) == "automatic_invitation"
    # Python leaves verified out; the server's default is verified (as JS sends).
    assert d.verification.status == "verified"
    assert d.ownership_verification is None
    assert d.total_pending_invitations == 0 and d.total_pending_suggestions == 0
    state["domain"] = d
    other = clerk.organization_domains.create(
        organization_id=state["org"].id, name=f"other.{DOMAIN}", enrollment_mode="manual_invitation", verified=False
    )
    assert other.verification is None
    state["other_domain"] = other
    return d.id


@call("organization_domains.create (errors)")
def _():
    def create(name, organization_id=None):
        return lambda: clerk.organization_domains.create(
            organization_id=organization_id or state["org"].id, name=name, enrollment_mode="manual_invitation"
        )

    api_error(create("gmail.com"), 422, "organization_domain_common")
    api_error(create("not a domain"), 422, "form_param_format_invalid")
    return api_error(create(f"x.{DOMAIN}", "org_nope"), 404, "resource_not_found")


@call("organization_domains.list(verified, enrollment_mode)")
def _():
    org = state["org"].id
    page = clerk.organization_domains.list(organization_id=org)
    assert page.total_count == 2
    assert {d.id for d in page.data} == {state["domain"].id, state["other_domain"].id}
    # The client types `verified` as a string.
    verified = clerk.organization_domains.list(organization_id=org, verified="true")
    assert ids(verified.data) == [state["domain"].id]
    manual = clerk.organization_domains.list(organization_id=org, enrollment_mode="manual_invitation")
    assert ids(manual.data) == [state["other_domain"].id]
    return f"total_count={page.total_count}"


@call("organization_domains.update")
def _():
    d = clerk.organization_domains.update(
        organization_id=state["org"].id,
        domain_id=state["other_domain"].id,
        enrollment_mode="automatic_suggestion",
        verified=True,
    )
    assert text(d.enrollment_mode) == "automatic_suggestion" and d.verification.status == "verified"
    return api_error(
        lambda: clerk.organization_domains.update(
            organization_id=state["org"].id, domain_id="orgdmn_nope", verified=True
        ),
        404,
        "resource_not_found",
    )


@call("organization_domains.verify_ownership")
def _():
    d = clerk.organization_domains.verify_ownership(organization_id=state["org"].id, domain_id=state["domain"].id)
    assert d.ownership_verification.status == "verified"
    assert d.ownership_verification.verified_at is not None
    return api_error(
        lambda: clerk.organization_domains.verify_ownership(organization_id=state["org"].id, domain_id="orgdmn_nope"),
        404,
        "resource_not_found",
    )


@call("organization_domains.list_all (instance-wide)")
def _():
    page = clerk.organization_domains.list_all(organization_id=state["org"].id, query=TAG, order_by="+name")
    assert [d.name for d in page.data] == [f"other.{DOMAIN}", DOMAIN]
    named = clerk.organization_domains.list_all(domains=[DOMAIN])
    assert ids(named.data) == [state["domain"].id]
    return f"total_count={page.total_count}"


@call("organization_domains.delete")
def _():
    org, other = state["org"].id, state["other_domain"].id
    deleted = clerk.organization_domains.delete(organization_id=org, domain_id=other)
    assert deleted.object == "organization_domain" and deleted.id == other and deleted.deleted is True
    assert clerk.organization_domains.list(organization_id=org).total_count == 1
    return api_error(
        lambda: clerk.organization_domains.delete(organization_id=org, domain_id=other), 404, "resource_not_found"
    )


# Organization claims in session tokens, read by the client's authenticate_request.

state["pem"] = next(k["public_key_pem"] for k in local("GET", "keys")["data"] if k["status"] == "active")


def auth_of(jwt):
    """authenticate_request of a request bearing `jwt`: the request state, signed in."""
    request = httpx.Request("GET", "http://app.example/", headers={"Authorization": f"Bearer {jwt}"})
    result = authenticate_request(request, AuthenticateRequestOptions(jwt_key=state["pem"]))
    assert result.is_signed_in, result.message
    return result


def token(session, version=None):
    """A session token; `version` names another API version (v1 claims before 2025-04-10).
    The client's request hook always sets Clerk-API-Version 2025-11-10 (v2), whatever the
    call's headers say, so another version takes a plain request."""
    if version is None:
        return clerk.sessions.create_token(session_id=state[session].id).jwt
    answer = httpx.post(
        f"{API_URL}/v1/sessions/{state[session].id}/tokens",
        headers={"Authorization": f"Bearer {SECRET_KEY}", "Clerk-API-Version": version},
    )
    assert answer.status_code == 200, answer.text
    return answer.json()["jwt"]


@call("sessions.create(active_organization_id)")
def _():
    state["owner_session"] = clerk.sessions.create(
        request={"user_id": state["owner"].id, "active_organization_id": state["org"].id}
    )
    state["member_session"] = clerk.sessions.create(
        request={"user_id": state["member"].id, "active_organization_id": state["org"].id}
    )
    assert state["owner_session"].user_id == state["owner"].id
    return api_error(
        lambda: clerk.sessions.create(
            request={"user_id": state["owner"].id, "active_organization_id": state["beta"].id}
        ),
        404,
        "organization_not_found_or_unauthorized",
    )


@call("org claims v2: create_token, authenticate_request")
def _():
    jwt = token("owner_session")
    claims = claims_of(jwt)
    assert claims["v"] == 2
    assert claims["o"]["id"] == state["org"].id and claims["o"]["slg"] == state["org"].slug
    assert claims["o"]["rol"] == "admin"
    result = auth_of(jwt)
    assert result.payload["org_id"] == state["org"].id
    assert result.payload["org_slug"] == state["org"].slug
    assert result.payload["org_role"] == "admin", "Python copies o.rol without the org: prefix"
    auth = result.to_auth()
    assert isinstance(auth, SessionAuthObjectV2)
    assert auth.sub == state["owner"].id and auth.org_id == state["org"].id
    assert auth.org_role == "admin" and auth.org_slug == state["org"].slug
    # System permissions stay out of tokens (as in Clerk).
    assert not auth.org_permissions
    member = auth_of(token("member_session")).to_auth()
    assert member.org_role == "member"
    return f"org_role={auth.org_role} org_slug={auth.org_slug}"


@call("org claims v1: Clerk-API-Version 2021-02-05")
def _():
    jwt = token("owner_session", "2021-02-05")
    claims = claims_of(jwt)
    assert "v" not in claims
    assert claims["org_id"] == state["org"].id and claims["org_slug"] == state["org"].slug
    assert claims["org_role"] == "org:admin"
    auth = auth_of(jwt).to_auth()
    assert isinstance(auth, SessionAuthObjectV1)
    assert auth.org_id == state["org"].id and auth.org_role == "org:admin"
    assert "org:sys_memberships:manage" not in (auth.org_permissions or [])
    member = auth_of(token("member_session", "2021-02-05")).to_auth()
    assert member.org_role == "org:member"
    return f"org_role={auth.org_role}"


# Roles and permissions (the instance's catalog).

# Runs of both clients share a server: their keys differ.
INVOICES = f"org:invoices_{TAG}:read"
ACCOUNTANT = f"org:accountant_{TAG}"


@call("organization_permissions.list (system)")
def _():
    page = clerk.organization_permissions.list(query="sys_memberships", order_by="+key")
    assert [p.key for p in page.data] == ["org:sys_memberships:manage", "org:sys_memberships:read"]
    assert all(text(p.type) == "system" for p in page.data)
    state["sys_manage"], state["sys_read"] = page.data
    return f"total_count={page.total_count}"


@call("organization_permissions.create")
def _():
    p = clerk.organization_permissions.create(name="Read invoices", key=INVOICES, description="Reads the invoices")
    assert p.id.startswith("perm_") and text(p.object) == "permission"
    assert p.key == INVOICES and p.name == "Read invoices" and p.description == "Reads the invoices"
    assert text(p.type) == "user"
    state["invoices"] = p
    api_error(lambda: clerk.organization_permissions.create(name="x", key=INVOICES), 422, "form_identifier_exists")
    api_error(
        lambda: clerk.organization_permissions.create(name="x", key="invoices:read"), 422, "form_param_format_invalid"
    )
    return api_error(
        lambda: clerk.organization_permissions.create(name="x", key="org:sys_x:read"), 422, "form_param_value_invalid"
    )


@call("organization_permissions.get / list(query)")
def _():
    p = clerk.organization_permissions.get(permission_id=state["invoices"].id)
    assert p.key == INVOICES
    assert ids(clerk.organization_permissions.list(query=f"invoices_{TAG}").data) == [p.id]
    return api_error(lambda: clerk.organization_permissions.get(permission_id="perm_nope"), 404, "resource_not_found")


@call("organization_permissions.update")
def _():
    p = clerk.organization_permissions.update(
        permission_id=state["invoices"].id, name="Invoices: read", description="Can read invoices"
    )
    assert p.name == "Invoices: read" and p.description == "Can read invoices" and p.key == INVOICES
    return api_error(
        lambda: clerk.organization_permissions.update(permission_id=state["sys_manage"].id, name="x"),
        403,
        "organization_system_permission_not_modifiable",
    )


@call("organization_roles.list")
def _():
    page = clerk.organization_roles.list(limit=500, order_by="+key")
    roles = {r.key: r for r in page.data}
    assert roles["org:admin"].is_creator_eligible is True
    assert roles["org:member"].is_creator_eligible is False
    assert "org:sys_memberships:manage" in [p.key for p in roles["org:admin"].permissions]
    return f"{page.total_count} roles"


@call("organization_roles.create")
def _():
    role = clerk.organization_roles.create(
        name="Accountant",
        key=ACCOUNTANT,
        description="Keeps the books",
        permissions=[state["sys_read"].id],
        include_in_initial_role_set=True,
    )
    assert role.id.startswith("role_") and text(role.object) == "role"
    assert role.key == ACCOUNTANT and role.name == "Accountant" and role.description == "Keeps the books"
    assert role.is_creator_eligible is False
    assert [p.key for p in role.permissions] == ["org:sys_memberships:read"]
    state["accountant"] = role
    api_error(lambda: clerk.organization_roles.create(name="x", key="accountant"), 422, "form_param_format_invalid")
    return api_error(
        lambda: clerk.organization_roles.create(name="x", key=f"org:x_{TAG}", permissions=["perm_nope"]),
        404,
        "resource_not_found",
    )


@call("organization_roles.get / list(query)")
def _():
    role = clerk.organization_roles.get(organization_role_id=state["accountant"].id)
    assert role.key == ACCOUNTANT
    assert ids(clerk.organization_roles.list(query=f"accountant_{TAG}").data) == [role.id]
    return api_error(lambda: clerk.organization_roles.get(organization_role_id="role_nope"), 404, "resource_not_found")


@call("organization_roles.update")
def _():
    role = clerk.organization_roles.update(
        organization_role_id=state["accountant"].id, name="Accountants", description="Keep the books"
    )
    assert role.name == "Accountants" and role.description == "Keep the books" and role.key == ACCOUNTANT
    return api_error(
        lambda: clerk.organization_roles.update(organization_role_id="role_nope", name="x"), 404, "resource_not_found"
    )


@call("organization_roles.assign_permission")
def _():
    role = clerk.organization_roles.assign_permission(
        organization_role_id=state["accountant"].id, permission_id=state["invoices"].id
    )
    assert sorted(p.key for p in role.permissions) == sorted([INVOICES, "org:sys_memberships:read"])
    return api_error(
        lambda: clerk.organization_roles.assign_permission(
            organization_role_id=state["accountant"].id, permission_id=state["invoices"].id
        ),
        409,
        "organization_role_permission_association_exists",
    )


@call("custom permission in tokens (v2 fea/per/fpm, v1 org_permissions)")
def _():
    m = clerk.organization_memberships.update(
        organization_id=state["org"].id, user_id=state["member"].id, role=ACCOUNTANT
    )
    assert INVOICES in m.permissions
    jwt = token("member_session")
    claims = claims_of(jwt)
    assert claims["o"]["rol"] == f"accountant_{TAG}"
    assert claims["fea"] == f"o:invoices_{TAG}" and claims["o"]["per"] == "read" and claims["o"]["fpm"] == "1"
    result = auth_of(jwt)
    assert result.payload["org_permissions"] == [INVOICES]
    auth = result.to_auth()
    assert auth.org_role == f"accountant_{TAG}" and auth.org_permissions == [INVOICES]
    assert "org:sys_memberships:manage" not in auth.org_permissions
    v1 = auth_of(token("member_session", "2021-02-05")).to_auth()
    assert v1.org_role == ACCOUNTANT and v1.org_permissions == [INVOICES]
    return f"org_permissions={auth.org_permissions}"


@call("organization_roles.delete (in use)")
def _():
    return api_error(
        lambda: clerk.organization_roles.delete(organization_role_id=state["accountant"].id),
        422,
        "organization_role_assigned_members",
    )


@call("organization_roles.remove_permission")
def _():
    role = clerk.organization_roles.remove_permission(
        organization_role_id=state["accountant"].id, permission_id=state["invoices"].id
    )
    assert [p.key for p in role.permissions] == ["org:sys_memberships:read"]
    assert not auth_of(token("member_session")).to_auth().org_permissions, "the next token lost it"
    return api_error(
        lambda: clerk.organization_roles.remove_permission(
            organization_role_id=state["accountant"].id, permission_id=state["invoices"].id
        ),
        404,
        "organization_role_permission_association_not_found",
    )


# Role sets.

TEAM = f"role_set:team_{TAG}"


@call("role_sets.list / get (the initial set)")
def _():
    page = clerk.role_sets.list(limit=500)
    assert "role_set:default" in [s.key for s in page.data]
    initial = clerk.role_sets.get(role_set_key_or_id="role_set:default")
    assert text(initial.type) == "initial"
    keys = [r.key for r in initial.roles]
    assert "org:admin" in keys and "org:member" in keys
    assert clerk.role_sets.get(role_set_key_or_id=initial.id).key == "role_set:default", "by id too"
    return api_error(lambda: clerk.role_sets.get(role_set_key_or_id="role_set:nope"), 404, "resource_not_found")


@call("role_sets.create")
def _():
    s = clerk.role_sets.create(
        name=f"Team {TAG}",
        key=TEAM,
        description="A smaller set",
        roles=["org:admin", "org:member"],
        default_role_key="org:member",
        creator_role_key="org:admin",
    )
    assert s.key == TEAM and s.name == f"Team {TAG}" and s.description == "A smaller set"
    assert text(s.type) == "custom"
    assert sorted(r.key for r in s.roles) == ["org:admin", "org:member"]
    assert s.default_role.key == "org:member" and s.creator_role.key == "org:admin"
    state["team"] = s
    api_error(
        lambda: clerk.role_sets.create(
            name="x", roles=["org:nope"], default_role_key="org:nope", creator_role_key="org:nope"
        ),
        404,
        "resource_not_found",
    )
    return api_error(
        lambda: clerk.role_sets.create(
            name="x", roles=["org:admin", "org:member"], default_role_key="org:member", creator_role_key="org:member"
        ),
        422,
        "organization_missing_creator_role_permissions",
    )


@call("role_sets.update")
def _():
    s = clerk.role_sets.update(role_set_key_or_id=TEAM, name=f"Team Two {TAG}", description="Renamed")
    assert s.name == f"Team Two {TAG}" and s.description == "Renamed" and s.key == TEAM
    return api_error(
        lambda: clerk.role_sets.update(role_set_key_or_id="role_set:nope", name="x"), 404, "resource_not_found"
    )


@call("role_sets.add_roles")
def _():
    viewer = clerk.organization_roles.create(name="Viewer", key=f"org:viewer_{TAG}")
    state["viewer"] = viewer
    s = clerk.role_sets.add_roles(role_set_key_or_id=TEAM, role_keys=[viewer.key], default_role_key=viewer.key)
    assert sorted(r.key for r in s.roles) == sorted(["org:admin", "org:member", viewer.key])
    assert s.default_role.key == viewer.key
    return api_error(
        lambda: clerk.role_sets.add_roles(role_set_key_or_id=TEAM, role_keys=["org:nope"]), 404, "resource_not_found"
    )


@call("role_sets.replace_role")
def _():
    # An organization of the set whose member has the role being replaced.
    org = clerk.organizations.create(
        request={"name": f"Team org {TAG}", "created_by": state["owner"].id, "role_set_key": TEAM}
    )
    assert org.role_set_key == TEAM
    state["team_org"] = org
    clerk.organization_memberships.create(organization_id=org.id, user_id=state["third"].id, role=state["viewer"].key)
    s = clerk.role_sets.replace_role(role_set_key_or_id=TEAM, role_key=state["viewer"].key, to_role_key="org:member")
    assert sorted(r.key for r in s.roles) == ["org:admin", "org:member"]
    assert s.default_role.key == "org:member", "the replacement takes its place"
    page = clerk.organization_memberships.list(organization_id=org.id, user_id=[state["third"].id])
    assert page.data[0].role == "org:member", "the member was reassigned"
    return api_error(
        lambda: clerk.role_sets.replace_role(role_set_key_or_id=TEAM, role_key="org:member", to_role_key="org:member"),
        422,
        "form_param_value_invalid",
    )


@call("role_sets.replace")
def _():
    deleted = clerk.role_sets.replace(role_set_key_or_id=TEAM, dest_role_set_key="role_set:default")
    assert deleted.deleted is True and deleted.id == state["team"].id
    org = clerk.organizations.get(organization_id=state["team_org"].id)
    assert org.role_set_key == "role_set:default", "the organization moved"
    api_error(lambda: clerk.role_sets.get(role_set_key_or_id=TEAM), 404, "resource_not_found")
    clerk.organizations.delete(organization_id=org.id)
    clerk.organization_roles.delete(organization_role_id=state["viewer"].id)
    return api_error(
        lambda: clerk.role_sets.replace(role_set_key_or_id="role_set:nope", dest_role_set_key="role_set:default"),
        404,
        "resource_not_found",
    )


# Removing members.


@call("organization_memberships.delete")
def _():
    org = state["org"].id
    m = clerk.organization_memberships.delete(organization_id=org, user_id=state["third"].id)
    assert m.public_user_data.user_id == state["third"].id and m.organization.id == org
    assert clerk.organization_memberships.list(organization_id=org).total_count == 3, "owner, member, guest"
    api_error(
        lambda: clerk.organization_memberships.delete(organization_id=org, user_id=state["third"].id),
        404,
        "resource_not_found",
    )
    return api_error(
        lambda: clerk.organization_memberships.delete(organization_id=org, user_id=state["owner"].id),
        422,
        "organization_minimum_permissions_needed",
    )


@call("member removed: tokens lose the organization")
def _():
    clerk.organization_memberships.delete(organization_id=state["org"].id, user_id=state["member"].id)
    jwt = token("member_session")
    assert "o" not in claims_of(jwt)
    assert auth_of(jwt).to_auth().org_id is None
    return "no o claim"


# Deleting organizations and the users.


@call("organizations.delete")
def _():
    deleted = clerk.organizations.delete(organization_id=state["org"].id)
    assert deleted.object == "organization" and deleted.id == state["org"].id and deleted.deleted is True
    api_error(lambda: clerk.organizations.get(organization_id=state["org"].id), 404, "resource_not_found")
    clerk.organizations.delete(organization_id=state["beta"].id)
    assert "o" not in claims_of(token("owner_session")), "the active organization is cleared"
    return api_error(lambda: clerk.organizations.delete(organization_id=state["org"].id), 404, "resource_not_found")


@call("organization_roles.delete")
def _():
    deleted = clerk.organization_roles.delete(organization_role_id=state["accountant"].id)
    assert deleted.object == "role" and deleted.id == state["accountant"].id and deleted.deleted is True
    return api_error(
        lambda: clerk.organization_roles.delete(organization_role_id=state["accountant"].id),
        404,
        "resource_not_found",
    )


@call("organization_permissions.delete")
def _():
    deleted = clerk.organization_permissions.delete(permission_id=state["invoices"].id)
    assert deleted.object == "permission" and deleted.id == state["invoices"].id and deleted.deleted is True
    api_error(
        lambda: clerk.organization_permissions.delete(permission_id=state["sys_manage"].id),
        403,
        "organization_system_permission_not_modifiable",
    )
    return api_error(
        lambda: clerk.organization_permissions.delete(permission_id=state["invoices"].id), 404, "resource_not_found"
    )


@call("teardown: users.delete x4")
def _():
    for name in ("owner", "member", "third", "guest"):
        if name in state:
            clerk.users.delete(user_id=state[name].id)
    return "deleted"


finish()
