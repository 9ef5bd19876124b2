//! The dashboard's API keys and machines pages: every subject's keys (the store's
//! cross-subject listing, paged, with revoked ones marked), secrets only in the answer to a
//! CSRF-checked POST ("Reveal") and exactly the Backend API's, revoking and creating through
//! the domain, as the Backend API then sees.

use reqwest::header::{CONTENT_TYPE, COOKIE};
use serde_json::{Value, json};

use crate::common::{Api, each_backend};
use crate::dashboard::{Session, browser, csrf, form_body, sign_in};

const KEYS: &str = "/dashboard/instance/api_keys";
const MACHINES: &str = "/dashboard/instance/machines";

/// The secret shown in the revealed field of `id` (the value of `<input id="secret-{id}">`).
fn revealed(html: &str, id: &str) -> String {
    let marker = format!("id=\"secret-{id}\" class=\"mono\" value=\"");
    let start = html
        .find(&marker)
        .unwrap_or_else(|| panic!("no revealed secret of {id} in {html}"))
        + marker.len();
    html[start..][..html[start..].find('"').unwrap()].to_owned()
}

async fn api_key(api: &Api, subject: &str, name: &str) -> (String, String) {
    let key = api
        .post(
            "/v1/api_keys",
            json!({"subject": subject, "name": name, "scopes": ["read"]}),
        )
        .await
        .ok()
        .clone();
    (
        key["id"].as_str().unwrap().to_owned(),
        key["secret"].as_str().unwrap().to_owned(),
    )
}

/// The rows of a list page (`<tr id="row-…">`).
fn rows(html: &str) -> usize {
    html.matches("<tr id=\"row-").count()
}

/// A reveal posted the way `dashboard.js` posts it: the fragment alone.
async fn reveal_fragment(api: &Api, dash: &Session, path: &str, token: &str) -> (u16, String) {
    let res = browser()
        .post(api.url(path))
        .header(COOKIE, &dash.cookie)
        .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header("x-dashboard-fragment", "1")
        .body(form_body(&[("csrf_token", token)]))
        .send()
        .await
        .unwrap();
    (res.status().as_u16(), res.text().await.unwrap())
}

#[tokio::test]
async fn api_keys_of_every_subject_are_listed_revealed_and_revoked() {
    each_backend(async |api: &mut Api| {
        let dash = sign_in(api).await;
        let ann = api
            .user(json!({"email_address": ["ann@example.com"]}))
            .await;
        let bob = api
            .user(json!({"email_address": ["bob@example.com"]}))
            .await;
        let (ann_id, bob_id) = (ann["id"].as_str().unwrap(), bob["id"].as_str().unwrap());
        let (ann_key, ann_secret) = api_key(api, ann_id, "ann's key").await;
        let (bob_key, bob_secret) = api_key(api, bob_id, "bob's key").await;
        let (old_key, old_secret) = api_key(api, bob_id, "bob's old key").await;
        api.post(
            &format!("/v1/api_keys/{old_key}/revoke"),
            json!({"revocation_reason": "rotated"}),
        )
        .await
        .ok();

        let instance = dash.page(api, "/dashboard/instance").await;
        assert!(instance.contains(&format!("href=\"{KEYS}\"")));
        assert!(instance.contains(&format!("href=\"{MACHINES}\"")));
        assert!(!instance.contains("does not have"));

        // Every subject's keys, the revoked one too (marked), and no secret.
        let html = dash.page(api, KEYS).await;
        for id in [&ann_key, &bob_key, &old_key] {
            assert!(html.contains(id.as_str()), "{id} is not listed");
        }
        assert_eq!(rows(&html), 3);
        assert!(html.contains(ann_id) && html.contains(bob_id));
        assert!(html.contains("status-revoked") && html.contains("rotated"));
        assert!(html.contains("1–3 of 3"));
        for secret in [&ann_secret, &bob_secret, &old_secret] {
            assert!(!html.contains(secret.as_str()), "the list shows a secret");
        }
        // One subject's.
        let only_bob = dash.page(api, &format!("{KEYS}?subject={bob_id}")).await;
        assert_eq!(rows(&only_bob), 2);
        assert!(!only_bob.contains(&ann_key));

        // Reveal: exactly the Backend API's secret, as a page or as the script's fragment.
        let token = csrf(&html);
        let reveal = format!("{KEYS}/{ann_key}/secret");
        let (status, _, page) = dash.post(api, &reveal, &[("csrf_token", &token)]).await;
        assert_eq!(status, 200, "{page}");
        let api_secret = api.get(&format!("/v1/api_keys/{ann_key}/secret")).await;
        assert_eq!(revealed(&page, &ann_key), api_secret.ok()["secret"]);
        assert!(page.contains("<html") && !page.contains(&bob_secret));
        let (status, fragment) = reveal_fragment(api, &dash, &reveal, &token).await;
        assert_eq!(status, 200);
        assert!(!fragment.contains("<html"), "{fragment}");
        assert_eq!(revealed(&fragment, &ann_key), ann_secret);
        // Not without the CSRF token, not with another one, not by GET.
        for form in [vec![], vec![("csrf_token", "forged")]] {
            let (status, _, page) = dash.post(api, &reveal, &form).await;
            assert_eq!(status, 403);
            assert!(!page.contains(&ann_secret));
        }
        let (status, page) = dash.get(api, &reveal).await;
        assert_ne!(status, 200);
        assert!(!page.contains(&ann_secret));
        let (status, _, _) = dash
            .post(
                api,
                &format!("{KEYS}/ak_unknown/secret"),
                &[("csrf_token", &token)],
            )
            .await;
        assert_eq!(status, 404);

        // Revoke from the dashboard; the Backend API sees it.
        let (status, _, _) = dash
            .post(api, &format!("{KEYS}/{bob_key}/revoke"), &[])
            .await;
        assert_eq!(status, 403);
        assert_eq!(
            api.get(&format!("/v1/api_keys/{bob_key}")).await.ok()["revoked"],
            false
        );
        let (status, location, _) = dash
            .post(
                api,
                &format!("{KEYS}/{bob_key}/revoke"),
                &[("csrf_token", &token)],
            )
            .await;
        assert_eq!(status, 303);
        assert!(location.starts_with(&format!("{KEYS}?notice=")));
        assert_eq!(
            api.get(&format!("/v1/api_keys/{bob_key}")).await.ok()["revoked"],
            true
        );
        let verify = api
            .post("/v1/api_keys/verify", json!({"secret": bob_secret}))
            .await;
        verify.err(404, "api_key_revoked");

        // Create from the dashboard: its secret shown once, and it verifies.
        let (status, _, page) = dash
            .post(
                api,
                KEYS,
                &[
                    ("csrf_token", &token),
                    ("name", "dashboard key"),
                    ("subject", ann_id),
                    ("scopes", "read, write"),
                ],
            )
            .await;
        assert_eq!(status, 200, "{page}");
        let secret_start = page.find("value=\"ak_").unwrap() + "value=\"".len();
        let secret = &page[secret_start..][..page[secret_start..].find('"').unwrap()];
        let verified = api
            .post("/v1/api_keys/verify", json!({"secret": secret}))
            .await;
        let verified = verified.ok();
        assert_eq!(verified["name"], "dashboard key");
        assert_eq!(verified["subject"], ann_id);
        assert_eq!(verified["scopes"], json!(["read", "write"]));
        let (status, _, page) = dash
            .post(
                api,
                KEYS,
                &[("csrf_token", &token), ("name", "x"), ("subject", ann_id)],
            )
            .await;
        assert_eq!(status, 422, "{page}");
    })
    .await;
}

#[tokio::test]
async fn the_cross_subject_listing_pages() {
    each_backend(async |api: &mut Api| {
        let dash = sign_in(api).await;
        let mut ids = Vec::new();
        for i in 0..27 {
            let user = api
                .user(json!({"email_address": [format!("u{i}@example.com")]}))
                .await;
            let (id, _) = api_key(api, user["id"].as_str().unwrap(), &format!("key {i}")).await;
            ids.push(id);
        }
        let first = dash.page(api, KEYS).await;
        assert_eq!(rows(&first), 25);
        assert!(first.contains("1–25 of 27"));
        assert!(first.contains("offset=25"));
        let second = dash.page(api, &format!("{KEYS}?offset=25")).await;
        assert_eq!(rows(&second), 2);
        // Newest first: the first two made are on the second page, and no key twice.
        for id in &ids[..2] {
            assert!(second.contains(id.as_str()) && !first.contains(id.as_str()));
        }
        for id in &ids[2..] {
            assert!(first.contains(id.as_str()));
        }
    })
    .await;
}

#[tokio::test]
async fn machines_are_listed_revealed_and_created() {
    each_backend(async |api: &mut Api| {
        let dash = sign_in(api).await;
        let callee = api.post("/v1/machines", json!({"name": "billing"})).await;
        let callee: Value = callee.ok().clone();
        let caller = api
            .post(
                "/v1/machines",
                json!({"name": "reports", "scoped_machines": [callee["id"]], "default_token_ttl": 600}),
            )
            .await;
        let caller: Value = caller.ok().clone();
        let caller_id = caller["id"].as_str().unwrap();
        let caller_secret = caller["secret_key"].as_str().unwrap();
        let callee_secret = callee["secret_key"].as_str().unwrap();

        let html = dash.page(api, MACHINES).await;
        assert_eq!(rows(&html), 2);
        assert!(html.contains(caller_id) && html.contains("600 s"));
        assert!(html.contains(callee["id"].as_str().unwrap()));
        assert!(!html.contains(caller_secret) && !html.contains(callee_secret));

        let token = csrf(&html);
        let reveal = format!("{MACHINES}/{caller_id}/secret_key");
        let (status, _, page) = dash.post(api, &reveal, &[("csrf_token", &token)]).await;
        assert_eq!(status, 200, "{page}");
        let from_api = api.get(&format!("/v1/machines/{caller_id}/secret_key")).await;
        assert_eq!(revealed(&page, caller_id), from_api.ok()["secret"]);
        assert_eq!(revealed(&page, caller_id), caller_secret);
        let (status, _, page) = dash.post(api, &reveal, &[]).await;
        assert_eq!(status, 403);
        assert!(!page.contains(caller_secret));
        let (status, fragment) = reveal_fragment(api, &dash, &reveal, &token).await;
        assert_eq!(status, 200);
        assert_eq!(revealed(&fragment, caller_id), caller_secret);

        let (status, _, page) = dash
            .post(
                api,
                MACHINES,
                &[("csrf_token", &token), ("name", "nightly"), ("default_token_ttl", "120")],
            )
            .await;
        assert_eq!(status, 200, "{page}");
        let listed = api.get("/v1/machines?query=nightly").await;
        let made = &listed.ok()["data"][0];
        assert_eq!(made["default_token_ttl"], 120);
        let id = made["id"].as_str().unwrap();
        let from_api = api.get(&format!("/v1/machines/{id}/secret_key")).await;
        assert_eq!(revealed(&page, id), from_api.ok()["secret"]);
        let (status, _, _) = dash
            .post(
                api,
                MACHINES,
                &[("csrf_token", &token), ("name", "bad"), ("default_token_ttl", "0")],
            )
            .await;
        assert_eq!(status, 422);
    })
    .await;
}

#[tokio::test]
async fn without_a_session_nothing_is_listed_or_revealed() {
    each_backend(async |api: &mut Api| {
        let user = api
            .user(json!({"email_address": ["eve@example.com"]}))
            .await;
        let (key, secret) = api_key(api, user["id"].as_str().unwrap(), "eve's key").await;
        let machine = api.post("/v1/machines", json!({"name": "svc"})).await;
        let machine_id = machine.ok()["id"].as_str().unwrap().to_owned();
        for path in [KEYS, MACHINES] {
            let res = browser().get(api.url(path)).send().await.unwrap();
            assert_eq!(res.status(), 303, "{path}");
        }
        for path in [
            format!("{KEYS}/{key}/secret"),
            format!("{KEYS}/{key}/revoke"),
            format!("{MACHINES}/{machine_id}/secret_key"),
        ] {
            let res = browser()
                .post(api.url(&path))
                .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(form_body(&[("csrf_token", "x")]))
                .send()
                .await
                .unwrap();
            assert_eq!(res.status(), 303, "{path}");
            assert!(!res.text().await.unwrap().contains(&secret));
        }
        assert_eq!(
            api.get(&format!("/v1/api_keys/{key}")).await.ok()["revoked"],
            false
        );
    })
    .await;
}
