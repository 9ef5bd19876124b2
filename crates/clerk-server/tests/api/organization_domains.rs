//! Organization domains: create, list (per organization and instance-wide, with their
//! filters), update, delete, verify ownership, and the rules (names, enrollment modes, the
//! per-organization limit).

use serde_json::{Value, json};

use crate::common::{Api, each_backend};

async fn org(api: &Api, name: &str) -> String {
    api.post("/v1/organizations", json!({"name": name}))
        .await
        .ok()["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

fn names(resp: &Value) -> Vec<String> {
    resp["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["name"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn create_update_verify_delete() {
    each_backend(async |api: &mut Api| {
        let oid = org(api, "Acme").await;
        let path = format!("/v1/organizations/{oid}/domains");
        let created = api
            .post(
                &path,
                json!({"name": "Acme.COM", "enrollment_mode": "automatic_invitation"}),
            )
            .await;
        let d = created.ok().clone();
        assert_eq!(d["object"], "organization_domain");
        let did = d["id"].as_str().unwrap().to_owned();
        assert!(did.starts_with("orgdmn_"));
        assert_eq!(d["name"], "acme.com");
        assert_eq!(d["organization_id"], json!(oid));
        assert_eq!(d["enrollment_mode"], "automatic_invitation");
        assert_eq!(d["affiliation_email_address"], Value::Null);
        assert_eq!(d["affiliation_verification"]["status"], "verified");
        assert_eq!(d["affiliation_verification"]["strategy"], "admin");
        assert_eq!(d["verification"], d["affiliation_verification"]);
        assert_eq!(d["ownership_verification"], Value::Null);
        assert_eq!(d["total_pending_invitations"], 0);
        assert_eq!(d["total_pending_suggestions"], 0);
        assert_eq!(d["public_organization_data"]["name"], "Acme");

        // Unverified on request; then verified by PATCH, mode changed.
        let other = api
            .post(&path, json!({"name": "acme.dev", "verified": false}))
            .await;
        assert_eq!(other.ok()["verification"], Value::Null);
        assert_eq!(other.ok()["enrollment_mode"], "manual_invitation");
        let other_id = other.ok()["id"].as_str().unwrap().to_owned();
        let patched = api
            .patch(
                &format!("{path}/{other_id}"),
                json!({"verified": true, "enrollment_mode": "automatic_suggestion"}),
            )
            .await;
        assert_eq!(patched.ok()["verification"]["status"], "verified");
        assert_eq!(patched.ok()["enrollment_mode"], "automatic_suggestion");
        api.patch(&format!("{path}/orgdmn_missing"), json!({"verified": true}))
            .await
            .err(404, "resource_not_found");
        api.patch(
            &format!("{path}/{other_id}"),
            json!({"enrollment_mode": "enterprise_sso"}),
        )
        .await
        .err(403, "organization_domain_enrollment_mode_not_enabled");

        // Ownership: verified at once by manual override, and idempotent.
        let owned = api
            .post_empty(&format!("{path}/{did}/verify_ownership"))
            .await;
        let ownership = owned.ok()["ownership_verification"].clone();
        assert_eq!(ownership["status"], "verified");
        assert_eq!(ownership["strategy"], "manual_override");
        assert!(ownership["verified_at"].is_i64());
        let again = api
            .post_empty(&format!("{path}/{did}/verify_ownership"))
            .await;
        assert_eq!(again.ok()["ownership_verification"], ownership);
        api.post_empty(&format!("{path}/orgdmn_missing/verify_ownership"))
            .await
            .err(404, "resource_not_found");

        // Delete.
        let deleted = api.delete(&format!("{path}/{did}")).await;
        assert_eq!(
            deleted.ok(),
            &json!({"object": "organization_domain", "id": did, "deleted": true})
        );
        let missing = api.delete(&format!("{path}/{did}")).await;
        assert_eq!(
            missing.err(404, "resource_not_found")["long_message"],
            format!("No organization domain was found with id {did}")
        );
        api.delete(&format!("/v1/organizations/org_missing/domains/{other_id}"))
            .await
            .err(404, "resource_not_found");

        // A name freed by deletion can be claimed again; deleting the organization
        // deletes its domains.
        api.post(&path, json!({"name": "acme.com"})).await.ok();
        api.delete(&format!("/v1/organizations/{oid}")).await.ok();
        let all = api.get("/v1/organization_domains").await;
        assert_eq!(all.ok()["total_count"], 0);
    })
    .await;
}

#[tokio::test]
async fn rules_of_creating() {
    each_backend(async |api: &mut Api| {
        let acme = org(api, "Acme").await;
        let beta = org(api, "Beta").await;
        let path = format!("/v1/organizations/{acme}/domains");
        api.post(&path, json!({"name": "acme.com"})).await.ok();
        let taken = api
            .post(
                &format!("/v1/organizations/{beta}/domains"),
                json!({"name": "ACME.com"}),
            )
            .await;
        assert_eq!(
            taken.err(422, "organization_domain_already_exists")["meta"]["param_name"],
            "name"
        );
        api.post(&path, json!({"name": "gmail.com"}))
            .await
            .err(422, "organization_domain_common");
        api.post(&path, json!({"name": "not a domain"}))
            .await
            .err(422, "form_param_format_invalid");
        api.post(
            &path,
            json!({"name": "x.io", "enrollment_mode": "whenever"}),
        )
        .await
        .err(422, "form_param_value_invalid");
        api.post(
            &path,
            json!({"name": "x.io", "enrollment_mode": "enterprise_sso"}),
        )
        .await
        .err(403, "organization_domain_enrollment_mode_not_enabled");
        api.post(&path, json!({}))
            .await
            .err(422, "form_param_missing");
        api.post(&path, json!({"name": "x.io", "extra": 1}))
            .await
            .err(422, "form_param_unknown");
        api.post(
            "/v1/organizations/org_missing/domains",
            json!({"name": "x.io"}),
        )
        .await
        .err(404, "resource_not_found");

        // At most 10 domains per organization (the instance's default).
        for i in 1..10 {
            api.post(&path, json!({"name": format!("d{i}.acme.com")}))
                .await
                .ok();
        }
        api.post(&path, json!({"name": "d10.acme.com"}))
            .await
            .err(403, "organization_domain_quota_exceeded");
    })
    .await;
}

#[tokio::test]
async fn lists_and_filters() {
    each_backend(async |api: &mut Api| {
        let acme = org(api, "Acme").await;
        let beta = org(api, "Beta").await;
        let create = async |oid: &str, body: Value| {
            api.post(&format!("/v1/organizations/{oid}/domains"), body)
                .await
                .ok();
        };
        create(&acme, json!({"name": "acme.com"})).await;
        create(&acme, json!({"name": "acme.dev", "verified": false, "enrollment_mode": "automatic_suggestion"})).await;
        create(&beta, json!({"name": "beta.io", "enrollment_mode": "automatic_invitation"})).await;

        let path = format!("/v1/organizations/{acme}/domains");
        let listed = api.get(&path).await;
        assert_eq!(names(listed.ok()), ["acme.dev", "acme.com"]);
        assert_eq!(listed.ok()["total_count"], 2);
        let verified = api.get(&format!("{path}?verified=true")).await;
        assert_eq!(names(verified.ok()), ["acme.com"]);
        let unverified = api.get(&format!("{path}?verified=false")).await;
        assert_eq!(names(unverified.ok()), ["acme.dev"]);
        let not_suggest = api
            .get(&format!("{path}?enrollment_mode=-automatic_suggestion"))
            .await;
        assert_eq!(names(not_suggest.ok()), ["acme.com"]);
        let paged = api.get(&format!("{path}?limit=1&offset=1")).await;
        assert_eq!(names(paged.ok()), ["acme.com"]);
        api.get(&format!("{path}?enrollment_mode=bogus"))
            .await
            .err(422, "form_param_value_invalid");
        api.get("/v1/organizations/org_missing/domains")
            .await
            .err(404, "resource_not_found");

        // The instance's list.
        let all = api.get("/v1/organization_domains?order_by=name").await;
        assert_eq!(names(all.ok()), ["acme.com", "acme.dev", "beta.io"]);
        let of_beta = api
            .get(&format!("/v1/organization_domains?organization_id={beta}"))
            .await;
        assert_eq!(names(of_beta.ok()), ["beta.io"]);
        let by_query = api.get("/v1/organization_domains?query=ACME&order_by=-name").await;
        assert_eq!(names(by_query.ok()), ["acme.dev", "acme.com"]);
        let by_org_query = api
            .get(&format!("/v1/organization_domains?query={beta}"))
            .await;
        assert_eq!(names(by_org_query.ok()), ["beta.io"]);
        let exact = api
            .get("/v1/organization_domains?domains=beta.io&domains=acme.com&order_by=name")
            .await;
        assert_eq!(names(exact.ok()), ["acme.com", "beta.io"]);
        let modes = api
            .get("/v1/organization_domains?enrollment_mode=automatic_invitation&enrollment_mode=automatic_suggestion&order_by=name")
            .await;
        assert_eq!(names(modes.ok()), ["acme.dev", "beta.io"]);
        api.get("/v1/organization_domains?query=%20")
            .await
            .err(422, "form_param_value_invalid");
        api.get("/v1/organization_domains?order_by=enrollment_mode")
            .await
            .err(422, "form_param_value_invalid");
    })
    .await;
}
