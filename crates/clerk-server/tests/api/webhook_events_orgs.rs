//! Webhook events of the organizations family: every change to an organization, its
//! memberships, invitations, domains and logo, and to the roles catalog, reaches a receiver
//! as the event Clerk sends, in order, Svix-signed, with `data` equal to what a `GET`
//! answers after the change; a refused change sends nothing.

use std::sync::LazyLock;

use openapi_kit::Spec;
use reqwest::Method;
use reqwest::multipart::{Form, Part};
use serde_json::{Value, json};

use crate::common::{Api, each_backend};
use crate::webhook_receiver::Subscription;

/// Every event type of the family (the receiver's endpoint hears only these).
const TYPES: [&str; 18] = [
    "organization.created",
    "organization.updated",
    "organization.deleted",
    "organizationMembership.created",
    "organizationMembership.updated",
    "organizationMembership.deleted",
    "organizationInvitation.created",
    "organizationInvitation.accepted",
    "organizationInvitation.revoked",
    "organizationDomain.created",
    "organizationDomain.updated",
    "organizationDomain.deleted",
    "role.created",
    "role.updated",
    "role.deleted",
    "permission.created",
    "permission.updated",
    "permission.deleted",
];

/// Clerk's webhooks spec, read once.
static WEBHOOKS: LazyLock<Spec> =
    LazyLock::new(|| openapi_kit::load_spec("webhooks-2025-04-15.json"));

/// Panics unless `event` is what the spec says Clerk sends for its type.
fn check_against_spec(event: &Value) {
    let event_type = event["type"].as_str().unwrap();
    let schema = &WEBHOOKS.document()["x-webhooks"][event_type]["post"]["requestBody"]["content"]["application/json"]
        ["schema"];
    assert!(schema.is_object(), "the spec has {event_type}");
    if let Err(violations) = WEBHOOKS.validate(event, schema) {
        // The spec's OrganizationInvitationAcceptedPayload contradicts itself: it adds
        // `user_id` to OrganizationInvitation, whose `additionalProperties: false` forbids
        // it, and requires a `data` key inside `data` (a nesting slip: no other invitation
        // event has it). Those two are the spec's; anything else is ours.
        let spec_slip = |v: &&openapi_kit::Violation| {
            event_type == "organizationInvitation.accepted"
                && ((v.path == "$.data" && v.message.contains("`data`"))
                    || v.path == "$.data.user_id")
        };
        let real: Vec<_> = violations.iter().filter(|v| !spec_slip(v)).collect();
        assert!(real.is_empty(), "{event_type}: {real:?}\n{event:#}");
    }
}

/// A receiver of the family's events.
struct Hook(Subscription);

impl Hook {
    async fn start(api: &Api) -> Self {
        Self(Subscription::start(api, Some(&TYPES)).await)
    }

    /// The next event: it must be of `event_type`, signed, and as the spec says. Answers
    /// its `data`.
    async fn expect(&mut self, event_type: &str) -> Value {
        let event = self.0.expect(event_type).await;
        check_against_spec(&event);
        event["data"].clone()
    }
}

fn id(v: &Value) -> String {
    v["id"].as_str().unwrap().to_owned()
}

/// The membership of `user_id` in `oid` as the list shows it.
async fn membership(api: &Api, oid: &str, user_id: &str) -> Value {
    let list = api
        .get(&format!("/v1/organizations/{oid}/memberships?limit=100"))
        .await;
    list.ok()["data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["public_user_data"]["user_id"] == user_id)
        .cloned()
        .unwrap_or_else(|| panic!("{user_id} is a member of {oid}"))
}

/// A PNG of one pixel.
const PNG: &[u8] = &[
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f, 0x15, 0xc4,
    0x89, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0x00, 0x01, 0x00, 0x00,
    0x05, 0x00, 0x01, 0x0d, 0x0a, 0x2d, 0xb4, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae,
    0x42, 0x60, 0x82,
];

#[tokio::test]
async fn organization_and_membership_changes_emit_what_get_answers() {
    each_backend(async |api: &mut Api| {
        let mut hook = Hook::start(api).await;
        let ada = id(&api
            .user(json!({"email_address": ["ada@example.com"]}))
            .await);
        let bob = id(&api
            .user(json!({"email_address": ["bob@example.com"]}))
            .await);

        // Created with its creator: the organization, then the creator's membership.
        let created = api
            .post(
                "/v1/organizations",
                json!({"name": "Acme", "created_by": ada, "public_metadata": {"a": 1}}),
            )
            .await
            .ok()
            .clone();
        let oid = id(&created);
        let org_path = format!("/v1/organizations/{oid}");
        let data = hook.expect("organization.created").await;
        assert_eq!(data, created);
        assert_eq!(data, *api.get(&org_path).await.ok());
        let data = hook.expect("organizationMembership.created").await;
        assert_eq!(data, membership(api, &oid, &ada).await);
        assert_eq!(data["role"], "org:admin");

        // Changed: fields, metadata, the logo set and removed.
        api.patch(
            &org_path,
            json!({"name": "Acme Inc", "max_allowed_memberships": 10}),
        )
        .await
        .ok();
        let data = hook.expect("organization.updated").await;
        assert_eq!(data["name"], "Acme Inc");
        assert_eq!(data, *api.get(&org_path).await.ok());
        api.patch(
            &format!("{org_path}/metadata"),
            json!({"private_metadata": {"tier": "gold"}}),
        )
        .await
        .ok();
        let data = hook.expect("organization.updated").await;
        assert_eq!(data["private_metadata"], json!({"tier": "gold"}));
        assert_eq!(data, *api.get(&org_path).await.ok());
        let form = Form::new().part("file", Part::bytes(PNG.to_vec()).file_name("logo.png"));
        api.send(
            api.request(Method::PUT, &format!("{org_path}/logo"))
                .multipart(form),
        )
        .await
        .ok();
        let data = hook.expect("organization.updated").await;
        assert_eq!(data["has_image"], true);
        assert_eq!(data, *api.get(&org_path).await.ok());
        api.delete(&format!("{org_path}/logo")).await.ok();
        let data = hook.expect("organization.updated").await;
        assert_eq!(data["has_image"], false);
        assert_eq!(data, *api.get(&org_path).await.ok());

        // A member joins, changes role and metadata, leaves.
        let members = format!("{org_path}/memberships");
        let added = api
            .post(&members, json!({"user_id": bob, "role": "org:member"}))
            .await
            .ok()
            .clone();
        let data = hook.expect("organizationMembership.created").await;
        assert_eq!(data, added);
        assert_eq!(data, membership(api, &oid, &bob).await);
        api.patch(&format!("{members}/{bob}"), json!({"role": "org:admin"}))
            .await
            .ok();
        let data = hook.expect("organizationMembership.updated").await;
        assert_eq!(data["role"], "org:admin");
        assert_eq!(data, membership(api, &oid, &bob).await);
        api.patch(
            &format!("{members}/{bob}/metadata"),
            json!({"public_metadata": {"team": "red"}}),
        )
        .await
        .ok();
        let data = hook.expect("organizationMembership.updated").await;
        assert_eq!(data["public_metadata"], json!({"team": "red"}));
        assert_eq!(data, membership(api, &oid, &bob).await);
        let removed = api.delete(&format!("{members}/{bob}")).await.ok().clone();
        let data = hook.expect("organizationMembership.deleted").await;
        assert_eq!(data, removed);
        assert_eq!(data["public_user_data"]["user_id"], bob.as_str());

        // Refused changes emit nothing: the last manager cannot leave or be demoted, an
        // unknown role, a full organization.
        api.delete(&format!("{members}/{ada}"))
            .await
            .err(422, "organization_minimum_permissions_needed");
        api.patch(&format!("{members}/{ada}"), json!({"role": "org:member"}))
            .await
            .err(422, "organization_minimum_permissions_needed");
        api.post(&members, json!({"user_id": bob, "role": "org:nope"}))
            .await
            .err(404, "resource_not_found");
        api.patch(&org_path, json!({"max_allowed_memberships": 1}))
            .await
            .ok();
        hook.expect("organization.updated").await;
        api.post(&members, json!({"user_id": bob, "role": "org:member"}))
            .await
            .err(403, "organization_membership_quota_exceeded");

        // Deleted: one organization.deleted with its slug, nothing for what hung off it.
        let slug = api.get(&org_path).await.ok()["slug"].clone();
        api.delete(&org_path).await.ok();
        let data = hook.expect("organization.deleted").await;
        assert_eq!(
            data,
            json!({"object": "organization", "id": oid, "slug": slug, "deleted": true})
        );
        let other = api
            .post("/v1/organizations", json!({"name": "Next"}))
            .await
            .ok()
            .clone();
        let data = hook.expect("organization.created").await;
        assert_eq!(data["id"], other["id"]);
        // A member count that changes sends no organization.updated, nor does removing a
        // logo that is not there.
        api.delete(&format!("/v1/organizations/{}/logo", id(&other)))
            .await
            .ok();
        assert!(
            hook.0
                .receiver
                .quiet_for(std::time::Duration::from_millis(300))
                .await
        );
    })
    .await;
}

#[tokio::test]
async fn invitation_changes_emit_what_get_answers() {
    each_backend(async |api: &mut Api| {
        let mut hook = Hook::start(api).await;
        let ada = id(&api.user(json!({"email_address": ["ada@example.com"]})).await);
        let bob = id(&api.user(json!({"email_address": ["bob@example.com"]})).await);
        let oid = id(api
            .post(
                "/v1/organizations",
                json!({"name": "Acme", "created_by": ada, "max_allowed_memberships": 4}),
            )
            .await
            .ok());
        hook.expect("organization.created").await;
        hook.expect("organizationMembership.created").await;
        let invitations = format!("/v1/organizations/{oid}/invitations");
        let show = |inv: &str| format!("{invitations}/{inv}");

        let one = api
            .post(
                &invitations,
                json!({"email_address": "cy@example.com", "role": "org:member", "inviter_user_id": ada}),
            )
            .await
            .ok()
            .clone();
        let data = hook.expect("organizationInvitation.created").await;
        assert_eq!(data, one);
        assert_eq!(data, *api.get(&show(&id(&one))).await.ok());
        assert_eq!(data["status"], "pending");

        // A bulk request: one event per invitation, in the request's order.
        let bulk = api
            .post(
                &format!("{invitations}/bulk"),
                json!([
                    {"email_address": "bob@example.com", "role": "org:member", "notify": false},
                    {"email_address": "dee@example.com", "role": "org:admin"}
                ]),
            )
            .await
            .ok()["data"]
            .clone();
        for item in bulk.as_array().unwrap() {
            let data = hook.expect("organizationInvitation.created").await;
            assert_eq!(data, *item);
            assert_eq!(data, *api.get(&show(&id(item))).await.ok());
        }
        let bob_invitation = id(&bulk[0]);
        let dee_invitation = id(&bulk[1]);

        // Refused: the organization is full (1 member + 3 pending), an unknown role, a
        // duplicate, a bulk request with one bad item (none of it happens).
        api.post(
            &invitations,
            json!({"email_address": "eve@example.com", "role": "org:member"}),
        )
        .await
        .err(403, "organization_membership_quota_exceeded");
        api.post(
            &invitations,
            json!({"email_address": "eve@example.com", "role": "org:nope"}),
        )
        .await
        .err(404, "resource_not_found");

        // Revoked.
        let revoked = api
            .post(&format!("{}/revoke", show(&dee_invitation)), json!({}))
            .await
            .ok()
            .clone();
        let data = hook.expect("organizationInvitation.revoked").await;
        assert_eq!(data, revoked);
        assert_eq!(data["status"], "revoked");
        assert_eq!(data, *api.get(&show(&dee_invitation)).await.ok());
        api.post(&format!("{}/revoke", show(&dee_invitation)), json!({}))
            .await
            .err(400, "organization_invitation_not_pending");
        api.post(
            &format!("{invitations}/bulk"),
            json!([
                {"email_address": "fay@example.com", "role": "org:member"},
                {"email_address": "gus@example.com", "role": "org:nope"}
            ]),
        )
        .await
        .err(404, "resource_not_found");

        // Accepted (the local extension): the membership it makes, then the invitation
        // with the id of the user who accepted it.
        let accepted = api
            .post(
                &format!("/v1/_local/organization_invitations/{bob_invitation}/accept"),
                json!({}),
            )
            .await
            .ok()
            .clone();
        let data = hook.expect("organizationMembership.created").await;
        assert_eq!(data, membership(api, &oid, &bob).await);
        let mut data = hook.expect("organizationInvitation.accepted").await;
        assert_eq!(data["user_id"], bob.as_str());
        data.as_object_mut().unwrap().remove("user_id");
        assert_eq!(data, accepted);
        assert_eq!(data["status"], "accepted");
        assert_eq!(data, *api.get(&show(&bob_invitation)).await.ok());
        assert!(
            hook.0.receiver
                .quiet_for(std::time::Duration::from_millis(300))
                .await
        );
    })
    .await;
}

#[tokio::test]
async fn domain_changes_emit_what_the_list_shows() {
    each_backend(async |api: &mut Api| {
        let mut hook = Hook::start(api).await;
        let oid = id(api
            .post("/v1/organizations", json!({"name": "Acme"}))
            .await
            .ok());
        hook.expect("organization.created").await;
        let domains = format!("/v1/organizations/{oid}/domains");
        let listed = async |did: &str| -> Value {
            api.get(&domains).await.ok()["data"]
                .as_array()
                .unwrap()
                .iter()
                .find(|d| d["id"] == did)
                .cloned()
                .unwrap()
        };

        let created = api
            .post(&domains, json!({"name": "acme.com"}))
            .await
            .ok()
            .clone();
        let did = id(&created);
        let data = hook.expect("organizationDomain.created").await;
        assert_eq!(data, created);
        assert_eq!(data, listed(&did).await);

        api.patch(&format!("{domains}/{did}"), json!({"verified": false}))
            .await
            .ok();
        let data = hook.expect("organizationDomain.updated").await;
        assert_eq!(data["affiliation_verification"], Value::Null);
        assert_eq!(data, listed(&did).await);

        api.post(&format!("{domains}/{did}/verify_ownership"), json!({}))
            .await
            .ok();
        let data = hook.expect("organizationDomain.updated").await;
        assert_eq!(data["ownership_verification"]["status"], "verified");
        assert_eq!(data, listed(&did).await);
        // Verified already: nothing changes, nothing is sent.
        api.post(&format!("{domains}/{did}/verify_ownership"), json!({}))
            .await
            .ok();

        // Refused: a common email provider's domain, a taken name.
        api.post(&domains, json!({"name": "gmail.com"}))
            .await
            .err(422, "organization_domain_common");

        api.delete(&format!("{domains}/{did}")).await.ok();
        let data = hook.expect("organizationDomain.deleted").await;
        assert_eq!(
            data,
            json!({"object": "organization_domain", "id": did, "deleted": true})
        );
        assert!(
            hook.0
                .receiver
                .quiet_for(std::time::Duration::from_millis(300))
                .await
        );
    })
    .await;
}

#[tokio::test]
async fn catalog_changes_emit_role_and_permission_events() {
    each_backend(async |api: &mut Api| {
        let mut hook = Hook::start(api).await;
        let permission = api
            .post(
                "/v1/organization_permissions",
                json!({"name": "Read invoices", "key": "org:invoices:read"}),
            )
            .await
            .ok()
            .clone();
        let pid = id(&permission);
        let permission_path = format!("/v1/organization_permissions/{pid}");
        let data = hook.expect("permission.created").await;
        assert_eq!(data, permission);
        assert_eq!(data, *api.get(&permission_path).await.ok());
        api.patch(&permission_path, json!({"description": "Invoices, read"}))
            .await
            .ok();
        let data = hook.expect("permission.updated").await;
        assert_eq!(data["description"], "Invoices, read");
        assert_eq!(data, *api.get(&permission_path).await.ok());

        let role = api
            .post(
                "/v1/organization_roles",
                json!({"name": "Billing", "key": "org:billing", "permissions": [pid]}),
            )
            .await
            .ok()
            .clone();
        let rid = id(&role);
        let role_path = format!("/v1/organization_roles/{rid}");
        let data = hook.expect("role.created").await;
        assert_eq!(data, role);
        assert_eq!(data, *api.get(&role_path).await.ok());
        assert_eq!(data["permissions"][0]["id"], pid.as_str());

        api.patch(&role_path, json!({"name": "Billing team"}))
            .await
            .ok();
        let data = hook.expect("role.updated").await;
        assert_eq!(data["name"], "Billing team");
        assert_eq!(data, *api.get(&role_path).await.ok());

        // Taking and giving a permission changes the role.
        api.delete(&format!("{role_path}/permissions/{pid}"))
            .await
            .ok();
        let data = hook.expect("role.updated").await;
        assert_eq!(data["permissions"], json!([]));
        assert_eq!(data, *api.get(&role_path).await.ok());
        api.post(&format!("{role_path}/permissions/{pid}"), json!({}))
            .await
            .ok();
        let data = hook.expect("role.updated").await;
        assert_eq!(data["permissions"][0]["id"], pid.as_str());
        assert_eq!(data, *api.get(&role_path).await.ok());

        // Refused: a system permission, an association that exists, a taken key.
        let all = api.get("/v1/organization_permissions?limit=100").await;
        let system = all.ok()["data"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["key"] == "org:sys_profile:manage")
            .map(id)
            .unwrap();
        api.patch(
            &format!("/v1/organization_permissions/{system}"),
            json!({"name": "Mine"}),
        )
        .await
        .err(403, "organization_system_permission_not_modifiable");
        api.post(&format!("{role_path}/permissions/{pid}"), json!({}))
            .await
            .err(409, "organization_role_permission_association_exists");

        // Deleted: a permission (the role that held it gets no event), then the role.
        api.delete(&permission_path).await.ok();
        let data = hook.expect("permission.deleted").await;
        assert_eq!(
            data,
            json!({"object": "permission", "id": pid, "deleted": true})
        );
        api.delete(&role_path).await.ok();
        let data = hook.expect("role.deleted").await;
        assert_eq!(data, json!({"object": "role", "id": rid, "deleted": true}));
        assert!(
            hook.0
                .receiver
                .quiet_for(std::time::Duration::from_millis(300))
                .await
        );
    })
    .await;
}

#[tokio::test]
async fn role_and_role_set_changes_emit_one_event_per_object_they_change() {
    each_backend(async |api: &mut Api| {
        let mut hook = Hook::start(api).await;
        let ada = id(&api
            .user(json!({"email_address": ["ada@example.com"]}))
            .await);
        let bob = id(&api
            .user(json!({"email_address": ["bob@example.com"]}))
            .await);
        let cy = id(&api.user(json!({"email_address": ["cy@example.com"]})).await);
        let viewer = id(api
            .post(
                "/v1/organization_roles",
                json!({"name": "Viewer", "key": "org:viewer"}),
            )
            .await
            .ok());
        hook.expect("role.created").await;
        api.post(
            "/v1/role_sets",
            json!({
                "name": "Agency", "key": "role_set:agency",
                "roles": ["org:admin", "org:member", "org:viewer"],
                "default_role_key": "org:member", "creator_role_key": "org:admin"
            }),
        )
        .await
        .ok();
        // An organization of another role set: none of what follows changes it.
        api.post(
            "/v1/organizations",
            json!({"name": "Other", "created_by": ada}),
        )
        .await
        .ok();
        hook.expect("organization.created").await;
        hook.expect("organizationMembership.created").await;
        let oid = id(api
            .post(
                "/v1/organizations",
                json!({"name": "Acme", "created_by": ada, "role_set_key": "role_set:agency"}),
            )
            .await
            .ok());
        let org_path = format!("/v1/organizations/{oid}");
        hook.expect("organization.created").await;
        hook.expect("organizationMembership.created").await;
        for (user, role) in [(&bob, "org:viewer"), (&cy, "org:member")] {
            api.post(
                &format!("{org_path}/memberships"),
                json!({"user_id": user, "role": role}),
            )
            .await
            .ok();
            hook.expect("organizationMembership.created").await;
        }

        // A role's new key reaches its members: the role, then each member that has it.
        api.patch(
            &format!("/v1/organization_roles/{viewer}"),
            json!({"key": "org:watcher"}),
        )
        .await
        .ok();
        let data = hook.expect("role.updated").await;
        assert_eq!(data["key"], "org:watcher");
        let data = hook.expect("organizationMembership.updated").await;
        assert_eq!(data["role"], "org:watcher");
        assert_eq!(data, membership(api, &oid, &bob).await);

        // A role taken out of the set: its members get the other role (cy, a member
        // already, is not changed).
        api.post(
            "/v1/role_sets/role_set:agency/roles/replace",
            json!({"role_key": "org:watcher", "to_role_key": "org:member"}),
        )
        .await
        .ok();
        let data = hook.expect("organizationMembership.updated").await;
        assert_eq!(data["public_user_data"]["user_id"], bob.as_str());
        assert_eq!(data["role"], "org:member");
        assert_eq!(data, membership(api, &oid, &bob).await);

        // The set's new key reaches its organizations.
        api.patch(
            "/v1/role_sets/role_set:agency",
            json!({"key": "role_set:agency_two"}),
        )
        .await
        .ok();
        let data = hook.expect("organization.updated").await;
        assert_eq!(data["role_set_key"], "role_set:agency_two");
        assert_eq!(data, *api.get(&org_path).await.ok());

        // Refused: nothing is sent.
        api.post(
            "/v1/role_sets/role_set:agency_two/roles/replace",
            json!({"role_key": "org:nope", "to_role_key": "org:member"}),
        )
        .await
        .err(404, "resource_not_found");

        // Replaced by the default set: the organization moves, the members mapped to
        // another role are changed, in the order they joined.
        api.post(
            "/v1/role_sets/role_set:agency_two/replace",
            json!({
                "dest_role_set_key": "role_set:default",
                "reassignment_mappings": {"org:member": "org:admin"}
            }),
        )
        .await
        .ok();
        let data = hook.expect("organization.updated").await;
        assert_eq!(data["role_set_key"], "role_set:default");
        assert_eq!(data, *api.get(&org_path).await.ok());
        for user in [&bob, &cy] {
            let data = hook.expect("organizationMembership.updated").await;
            assert_eq!(data["public_user_data"]["user_id"], user.as_str());
            assert_eq!(data["role"], "org:admin");
            assert_eq!(data, membership(api, &oid, user).await);
        }
        assert!(
            hook.0
                .receiver
                .quiet_for(std::time::Duration::from_millis(300))
                .await
        );
    })
    .await;
}
