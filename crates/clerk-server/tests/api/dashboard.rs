//! The local dashboard at `/` and `/dashboard/…`: nothing without a session, the sign-in
//! with the secret key (never rendered), the cookie's flags, CSRF refusals, the JSON 404 of
//! the reserved prefixes, and pages that read and change what the Backend API sees.

use reqwest::header::{CONTENT_TYPE, COOKIE, LOCATION, SET_COOKIE};
use reqwest::{Client, redirect};
use serde_json::json;

use crate::common::{Api, each_backend};

/// A client that does not follow redirects (the tests look at them).
pub(crate) fn browser() -> Client {
    Client::builder()
        .no_proxy()
        .redirect(redirect::Policy::none())
        .build()
        .unwrap()
}

/// `pairs` as an `application/x-www-form-urlencoded` body.
pub(crate) fn form_body(pairs: &[(&str, &str)]) -> String {
    url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs)
        .finish()
}

/// A signed-in dashboard session: its cookie header value.
pub(crate) struct Session {
    pub(crate) cookie: String,
}

pub(crate) async fn sign_in(api: &Api) -> Session {
    let res = browser()
        .post(api.url("/dashboard/sign_in"))
        .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(form_body(&[("secret_key", api.server.secret_key())]))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    assert_eq!(res.headers()[LOCATION], "/dashboard/users");
    let set = res.headers()[SET_COOKIE].to_str().unwrap().to_owned();
    Session {
        cookie: set.split(';').next().unwrap().to_owned(),
    }
}

impl Session {
    pub(crate) async fn get(&self, api: &Api, path: &str) -> (u16, String) {
        let res = browser()
            .get(api.url(path))
            .header(COOKIE, &self.cookie)
            .send()
            .await
            .unwrap();
        (res.status().as_u16(), res.text().await.unwrap())
    }

    /// The page at `path` (200 asserted).
    pub(crate) async fn page(&self, api: &Api, path: &str) -> String {
        let (status, html) = self.get(api, path).await;
        assert_eq!(status, 200, "{path}: {html}");
        assert!(
            !html.contains(api.server.secret_key()),
            "{path} renders the secret key"
        );
        html
    }

    pub(crate) async fn post(
        &self,
        api: &Api,
        path: &str,
        form: &[(&str, &str)],
    ) -> (u16, String, String) {
        let res = browser()
            .post(api.url(path))
            .header(COOKIE, &self.cookie)
            .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(form_body(form))
            .send()
            .await
            .unwrap();
        let status = res.status().as_u16();
        let location = res
            .headers()
            .get(LOCATION)
            .map(|l| l.to_str().unwrap().to_owned())
            .unwrap_or_default();
        (status, location, res.text().await.unwrap())
    }
}

/// The CSRF token in a page's forms.
pub(crate) fn csrf(html: &str) -> String {
    let marker = "name=\"csrf_token\" value=\"";
    let start = html.find(marker).expect("a form with a CSRF token") + marker.len();
    html[start..][..html[start..].find('"').unwrap()].to_owned()
}

#[tokio::test]
async fn nothing_is_reachable_without_signing_in() {
    each_backend(async |api: &mut Api| {
        let res = browser().get(api.url("/")).send().await.unwrap();
        assert_eq!(res.status(), 200);
        assert!(
            res.headers()[CONTENT_TYPE]
                .to_str()
                .unwrap()
                .starts_with("text/html")
        );
        let html = res.text().await.unwrap();
        // The only input is the secret key, a password field with its label.
        assert_eq!(html.matches("<input").count(), 1, "{html}");
        assert!(html.contains("type=\"password\""));
        assert!(html.contains("<label for=\"secret_key\">Secret key</label>"));
        assert!(!html.contains("csrf_token"));

        for path in [
            "/dashboard",
            "/dashboard/users",
            "/dashboard/users/user_123",
            "/dashboard/sessions",
            "/dashboard/organizations",
            "/dashboard/outbox",
            "/dashboard/outbox/rows",
            "/dashboard/webhooks",
            "/dashboard/instance",
            "/dashboard/no_such_page",
        ] {
            let res = browser().get(api.url(path)).send().await.unwrap();
            assert_eq!(res.status(), 303, "{path}");
            assert_eq!(res.headers()[LOCATION], "/", "{path}");
        }
        // A made-up cookie is no session.
        let res = browser()
            .get(api.url("/dashboard/users"))
            .header(COOKIE, "clerk_dashboard_session=00ff")
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 303);
        // A form post without a session changes nothing.
        let user = api
            .user(json!({"email_address": ["anon@example.com"]}))
            .await;
        let id = user["id"].as_str().unwrap();
        let res = browser()
            .post(api.url(&format!("/dashboard/users/{id}/ban")))
            .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(form_body(&[("csrf_token", "x")]))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 303);
        assert_eq!(res.headers()[LOCATION], "/");
        assert_eq!(
            api.get(&format!("/v1/users/{id}")).await.ok()["banned"],
            false
        );
    })
    .await;
}

#[tokio::test]
async fn signing_in_takes_the_secret_key_and_sets_a_strict_http_only_cookie() {
    each_backend(async |api: &mut Api| {
        // A wrong key: 401, the empty form again, the key not rendered back.
        let wrong = "sk_test_definitely_not_the_key_42";
        let res = browser()
            .post(api.url("/dashboard/sign_in"))
            .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(form_body(&[("secret_key", wrong)]))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 401);
        assert!(res.headers().get(SET_COOKIE).is_none());
        let html = res.text().await.unwrap();
        assert!(!html.contains(wrong));
        assert!(html.contains("not accepted"));
        // No key at all.
        let res = browser()
            .post(api.url("/dashboard/sign_in"))
            .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(form_body(&[("secret_key", "")]))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 401);

        let res = browser()
            .post(api.url("/dashboard/sign_in"))
            .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(form_body(&[("secret_key", api.server.secret_key())]))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 303);
        let cookie = res.headers()[SET_COOKIE].to_str().unwrap().to_owned();
        assert!(cookie.starts_with("clerk_dashboard_session="), "{cookie}");
        assert!(cookie.contains("; HttpOnly"), "{cookie}");
        assert!(cookie.contains("; SameSite=Strict"), "{cookie}");
        assert!(cookie.contains("; Path=/"), "{cookie}");
        assert!(!cookie.contains("Secure"), "no Secure on http: {cookie}");
        assert!(!cookie.contains(api.server.secret_key()));
        let value = cookie.split(';').next().unwrap().split_once('=').unwrap().1;
        assert_eq!(value.len(), 64, "a random id: {value}");
        let session = Session {
            cookie: cookie.split(';').next().unwrap().to_owned(),
        };

        // Signed in, `/` goes to the users page; every page has the navigation.
        let res = browser()
            .get(api.url("/"))
            .header(COOKIE, &session.cookie)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 303);
        assert_eq!(res.headers()[LOCATION], "/dashboard/users");
        for path in [
            "/dashboard/users",
            "/dashboard/sessions",
            "/dashboard/organizations",
            "/dashboard/outbox",
            "/dashboard/webhooks",
            "/dashboard/instance",
        ] {
            let html = session.page(api, path).await;
            for name in [
                "Users",
                "Sessions",
                "Organizations",
                "Outbox",
                "Webhooks",
                "Instance",
            ] {
                assert!(
                    html.contains(&format!("\">{name}</a>")),
                    "{path} lacks {name}"
                );
            }
            assert!(html.contains("Log out"));
        }
        let (status, html) = session.get(api, "/dashboard/no_such_page").await;
        assert_eq!(status, 404);
        assert!(html.contains("no such dashboard page"));

        // Logging out ends the session (a second sign-in is a session of its own).
        let other = sign_in(api).await;
        assert_ne!(other.cookie, session.cookie);
        let token = csrf(&session.page(api, "/dashboard/users").await);
        let (status, location, _) = session
            .post(api, "/dashboard/sign_out", &[("csrf_token", &token)])
            .await;
        assert_eq!((status, location.as_str()), (303, "/"));
        let (status, _) = session.get(api, "/dashboard/users").await;
        assert_eq!(status, 303);
        other.page(api, "/dashboard/users").await;
    })
    .await;
}

#[tokio::test]
async fn a_form_without_the_sessions_csrf_token_is_refused() {
    each_backend(async |api: &mut Api| {
        let user = api
            .user(json!({"email_address": ["csrf@example.com"]}))
            .await;
        let id = user["id"].as_str().unwrap();
        let one = sign_in(api).await;
        let two = sign_in(api).await;
        let token_one = csrf(&one.page(api, "/dashboard/users").await);
        let token_two = csrf(&two.page(api, "/dashboard/users").await);
        assert_ne!(token_one, token_two);
        let ban = format!("/dashboard/users/{id}/ban");

        let (status, _, html) = one.post(api, &ban, &[]).await;
        assert_eq!(status, 403, "{html}");
        assert!(html.contains("CSRF"));
        let (status, _, _) = one.post(api, &ban, &[("csrf_token", "")]).await;
        assert_eq!(status, 403);
        // Another session's token is not this session's.
        let (status, _, _) = one.post(api, &ban, &[("csrf_token", &token_two)]).await;
        assert_eq!(status, 403);
        let (status, _, _) = one.post(api, "/dashboard/sign_out", &[]).await;
        assert_eq!(status, 403);
        assert_eq!(
            api.get(&format!("/v1/users/{id}")).await.ok()["banned"],
            false
        );

        let (status, location, _) = one.post(api, &ban, &[("csrf_token", &token_one)]).await;
        assert_eq!(status, 303);
        assert!(location.starts_with(&format!("/dashboard/users/{id}?notice=")));
        assert_eq!(
            api.get(&format!("/v1/users/{id}")).await.ok()["banned"],
            true
        );
    })
    .await;
}

#[tokio::test]
async fn the_reserved_prefixes_keep_their_json_404() {
    each_backend(async |api: &mut Api| {
        for path in [
            "/v1/no_such_thing",
            "/__clerk/no_such_thing",
            "/_local/no_such_thing",
            "/.well-known/no_such_thing",
            "/api_keys/no_such_thing",
            "/m2m_tokens/no_such_thing",
            "/oauth_applications/no_such_thing",
            "/no_such_thing",
        ] {
            let res = api.get(path).await;
            assert_eq!(res.status, 404, "{path}: {}", res.text);
            assert_eq!(res.content_type(), "application/json", "{path}");
            assert_eq!(
                res.json["errors"][0]["code"], "resource_not_found",
                "{path}"
            );
        }
    })
    .await;
}

#[tokio::test]
async fn the_pages_read_and_change_what_the_api_sees() {
    each_backend(async |api: &mut Api| {
        let user = api
            .user(json!({
                "email_address": ["ada.lovelace@example.com"],
                "first_name": "Ada",
                "public_metadata": {"plan": "free"},
            }))
            .await;
        api.user(json!({"email_address": ["someone.else@example.com"]}))
            .await;
        let id = user["id"].as_str().unwrap().to_owned();
        let dash = sign_in(api).await;

        // Search with the API's `query`: part of the email.
        let html = dash.page(api, "/dashboard/users?query=lovelace").await;
        assert!(html.contains("ada.lovelace@example.com"));
        assert!(!html.contains("someone.else@example.com"));
        let html = dash.page(api, "/dashboard/users").await;
        // Newest first.
        let newer = html.find("someone.else@example.com").unwrap();
        assert!(newer < html.find("ada.lovelace@example.com").unwrap());

        // The user's page; metadata edited there is what the API answers.
        let html = dash.page(api, &format!("/dashboard/users/{id}")).await;
        assert!(
            html.contains("&quot;plan&quot;: &quot;free&quot;"),
            "{html}"
        );
        let token = csrf(&html);
        let meta = format!("/dashboard/users/{id}/metadata");
        let (status, _, html) = dash
            .post(
                api,
                &meta,
                &[("csrf_token", &token), ("public_metadata", "[1]")],
            )
            .await;
        assert_eq!(status, 422);
        assert!(html.contains("must be a JSON object"));
        let (status, _, _) = dash
            .post(
                api,
                &meta,
                &[
                    ("csrf_token", &token),
                    ("public_metadata", r#"{"plan": "pro", "seats": 3}"#),
                    ("private_metadata", ""),
                ],
            )
            .await;
        assert_eq!(status, 303);
        let seen = api.get(&format!("/v1/users/{id}")).await.ok().clone();
        assert_eq!(seen["public_metadata"], json!({"plan": "pro", "seats": 3}));

        // A session: a token minted for it, then revoked from the sessions page.
        let session = api.session(&id).await;
        let sid = session["id"].as_str().unwrap();
        let (status, _, html) = dash
            .post(
                api,
                &format!("/dashboard/users/{id}/session_token"),
                &[("csrf_token", &token), ("session_id", sid)],
            )
            .await;
        assert_eq!(status, 200, "{html}");
        assert!(
            html.contains(&format!("&quot;sid&quot;: &quot;{sid}&quot;")),
            "{html}"
        );
        let (status, _, html) = dash
            .post(
                api,
                &format!("/dashboard/users/{id}/impersonate"),
                &[("csrf_token", &token)],
            )
            .await;
        assert_eq!(status, 200, "{html}");
        // (Handlebars escapes `=` in text: `&#x3D;`.)
        assert!(
            html.contains("/__clerk/v1/tickets/accept?ticket&#x3D;"),
            "{html}"
        );
        assert!(
            html.contains("&quot;st&quot;: &quot;actor_token&quot;"),
            "{html}"
        );
        assert!(
            html.contains(&format!("&quot;sub&quot;: &quot;{id}&quot;")),
            "{html}"
        );

        let html = dash.page(api, "/dashboard/sessions?status=active").await;
        assert!(html.contains(sid));
        let (status, _, _) = dash
            .post(
                api,
                &format!("/dashboard/sessions/{sid}/revoke"),
                &[("csrf_token", &token)],
            )
            .await;
        assert_eq!(status, 303);
        assert_eq!(
            api.get(&format!("/v1/sessions/{sid}")).await.ok()["status"],
            "revoked"
        );
        let html = dash.page(api, "/dashboard/sessions?status=active").await;
        assert!(!html.contains(sid));

        // An invitation's email is in the outbox, its HTML in a sandboxed frame.
        api.post(
            "/v1/invitations",
            json!({"email_address": "invited@example.com"}),
        )
        .await
        .ok();
        let html = dash.page(api, "/dashboard/outbox").await;
        assert!(html.contains("invited@example.com"));
        assert!(
            html.contains("data-poll=\"/dashboard/outbox/rows?offset&#x3D;0\""),
            "{html}"
        );
        let rows = dash.page(api, "/dashboard/outbox/rows").await;
        assert!(rows.contains("invited@example.com"));
        assert!(!rows.contains("<html"));
        let listed = api.get("/v1/_local/outbox").await.ok().clone();
        let email_id = listed["data"][0]["id"].as_str().unwrap();
        let html = dash
            .page(api, &format!("/dashboard/outbox/{email_id}"))
            .await;
        assert!(html.contains(" sandbox srcdoc=\"&lt;"), "{html}");
        assert!(
            !html.contains("sandbox srcdoc=\"<"),
            "the email's HTML is escaped"
        );

        // Delete with a confirmation step.
        let html = dash
            .page(api, &format!("/dashboard/users/{id}/delete"))
            .await;
        assert!(html.contains("Yes, delete this user"));
        let (status, location, _) = dash
            .post(
                api,
                &format!("/dashboard/users/{id}/delete"),
                &[("csrf_token", &token)],
            )
            .await;
        assert_eq!(status, 303);
        assert!(location.starts_with("/dashboard/users?notice="));
        api.get(&format!("/v1/users/{id}"))
            .await
            .err(404, "resource_not_found");
        let (status, _) = dash.get(api, &format!("/dashboard/users/{id}")).await;
        assert_eq!(status, 404);
    })
    .await;
}

#[tokio::test]
async fn the_instance_page_toggles_lists_and_previews_templates() {
    each_backend(async |api: &mut Api| {
        let dash = sign_in(api).await;
        let html = dash.page(api, "/dashboard/instance").await;
        let token = csrf(&html);
        let pk = api.get("/v1/instance").await.ok()["publishable_key"].clone();
        assert!(html.contains(pk.as_str().unwrap()));
        assert!(html.contains("&quot;kid&quot;"));

        let (status, _, _) = dash
            .post(
                api,
                "/dashboard/instance/restrictions",
                &[("csrf_token", &token), ("allowlist", "on")],
            )
            .await;
        assert_eq!(status, 303);
        let restrictions = api
            .patch("/v1/instance/restrictions", json!({}))
            .await
            .ok()
            .clone();
        assert_eq!(restrictions["allowlist"], true, "{restrictions}");
        assert_eq!(restrictions["blocklist"], false, "{restrictions}");
        let (status, _, _) = dash
            .post(
                api,
                "/dashboard/instance/allowlist",
                &[("csrf_token", &token), ("identifier", "friend@example.com")],
            )
            .await;
        assert_eq!(status, 303);
        let listed = api.get("/v1/allowlist_identifiers").await.ok().clone();
        assert_eq!(listed[0]["identifier"], "friend@example.com");
        let (status, _, html) = dash
            .post(
                api,
                "/dashboard/instance/blocklist",
                &[("csrf_token", &token), ("identifier", "not an identifier")],
            )
            .await;
        assert_eq!(status, 422, "{html}");

        let template = api
            .post(
                "/v1/jwt_templates",
                json!({"name": "preview", "claims": {"email": "{{user.primary_email_address}}", "plan": "{{user.public_metadata.plan}}"}}),
            )
            .await
            .ok()
            .clone();
        let user = api
            .user(json!({"email_address": ["preview@example.com"], "public_metadata": {"plan": "gold"}}))
            .await;
        let html = dash
            .page(
                api,
                &format!(
                    "/dashboard/instance?template_id={}&user_id={}",
                    template["id"].as_str().unwrap(),
                    user["id"].as_str().unwrap()
                ),
            )
            .await;
        assert!(html.contains("&quot;email&quot;: &quot;preview@example.com&quot;"), "{html}");
        assert!(html.contains("&quot;plan&quot;: &quot;gold&quot;"), "{html}");
        let html = dash
            .page(
                api,
                &format!(
                    "/dashboard/instance?template_id={}&user_id=user_missing",
                    template["id"].as_str().unwrap()
                ),
            )
            .await;
        assert!(html.contains("No user was found with id user_missing"), "{html}");
    })
    .await;
}

#[tokio::test]
async fn organizations_and_webhook_deliveries_are_shown_and_resent() {
    each_backend(async |api: &mut Api| {
        let dash = sign_in(api).await;
        let owner = api.user(json!({"email_address": ["owner@example.com"]})).await;
        let owner_id = owner["id"].as_str().unwrap();
        let org = api
            .post(
                "/v1/organizations",
                json!({"name": "Analytical Engines", "created_by": owner_id}),
            )
            .await
            .ok()
            .clone();
        let org_id = org["id"].as_str().unwrap();
        api.post(
            &format!("/v1/organizations/{org_id}/invitations"),
            json!({"email_address": "guest@example.com", "role": "org:member", "inviter_user_id": owner_id}),
        )
        .await
        .ok();
        let html = dash.page(api, "/dashboard/organizations?query=engines").await;
        assert!(html.contains("Analytical Engines"));
        assert!(html.contains(&format!("/dashboard/organizations/{org_id}")));
        let html = dash.page(api, &format!("/dashboard/organizations/{org_id}")).await;
        assert!(html.contains(owner_id));
        assert!(html.contains("org:admin"));
        assert!(html.contains("guest@example.com"));
        assert!(html.contains("org:sys_memberships:manage"), "the roles' permissions");
        let (status, _) = dash.get(api, "/dashboard/organizations/org_missing").await;
        assert_eq!(status, 404);

        // An endpoint nobody answers: the attempt fails, the page shows it, resend tries again.
        let endpoint = api
            .post(
                "/_local/webhooks/endpoints",
                json!({"url": "http://127.0.0.1:9/hook", "filter_types": ["user.created"]}),
            )
            .await
            .ok()
            .clone();
        api.user(json!({"email_address": ["hooked@example.com"]}))
            .await;
        let messages = api
            .get("/_local/webhooks/messages?event_type=user.created")
            .await
            .ok()
            .clone();
        let message_id = messages["data"][0]["id"].as_str().unwrap().to_owned();
        let attempts_path = format!("/_local/webhooks/messages/{message_id}/attempts");
        let mut attempts = 0;
        for _ in 0..100 {
            attempts = api.get(&attempts_path).await.ok()["total_count"].as_i64().unwrap();
            if attempts > 0 {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        assert_eq!(attempts, 1);
        let html = dash.page(api, "/dashboard/webhooks").await;
        assert!(html.contains(endpoint["url"].as_str().unwrap()));
        // Only API-key and machine secrets are revealed; an endpoint's is not on the page.
        let signing_secret = endpoint["secret"].as_str().unwrap();
        assert!(signing_secret.starts_with("whsec_"));
        assert!(!html.contains(signing_secret) && !html.contains("whsec_"));
        assert!(html.contains(&message_id));
        let html = dash
            .page(api, &format!("/dashboard/webhooks/messages/{message_id}"))
            .await;
        assert!(html.contains(&format!(
            "data-poll=\"/dashboard/webhooks/messages/{message_id}/attempts\""
        )));
        let rows = dash
            .page(api, &format!("/dashboard/webhooks/messages/{message_id}/attempts"))
            .await;
        assert!(rows.contains("status-failed"), "{rows}");
        assert!(rows.contains("<td class=\"response-code\">none</td>"), "{rows}");
        let token = csrf(&html);
        let (status, location, _) = dash
            .post(
                api,
                &format!("/dashboard/webhooks/messages/{message_id}/resend"),
                &[("csrf_token", &token)],
            )
            .await;
        assert_eq!(status, 303);
        assert!(location.starts_with(&format!("/dashboard/webhooks/messages/{message_id}?notice=")));
        for _ in 0..100 {
            attempts = api.get(&attempts_path).await.ok()["total_count"].as_i64().unwrap();
            if attempts > 1 {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        assert_eq!(attempts, 2, "the resend made an attempt");
        let (status, _) = dash
            .get(api, "/dashboard/webhooks/messages/msg_missing/attempts")
            .await;
        assert_eq!(status, 404);
    })
    .await;
}
