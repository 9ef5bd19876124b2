//! The Frontend API (`/__clerk`), driven as clerk-js drives it: form bodies, `_method`,
//! the `__client` cookie, an `Origin`. Every answer that has a schema in Clerk's FAPI spec is
//! checked against it; what a browser does is checked through the Backend API.

use std::sync::LazyLock;

use openapi_kit::Spec;
use reqwest::Method;
use serde_json::{Value, json};

use crate::common::{Api, Resp, claims, each_backend, http_client, verify_with_jwks};

static FAPI_SPEC: LazyLock<Spec> = LazyLock::new(|| openapi_kit::load_spec("fapi-2026-05-12.json"));

pub(crate) const PAGE_ORIGIN: &str = "http://127.0.0.1:5173";

/// A browser tab: its cookie jar (the `__client` cookie) and its page's origin.
pub(crate) struct Tab<'a> {
    api: &'a Api,
    http: reqwest::Client,
    cookie: Option<String>,
    origin: String,
}

impl<'a> Tab<'a> {
    pub(crate) fn new(api: &'a Api) -> Self {
        Self {
            api,
            // A browser would follow redirects; the tests look at them.
            http: reqwest::Client::builder()
                .no_proxy()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .expect("http client"),
            cookie: None,
            origin: PAGE_ORIGIN.to_owned(),
        }
    }

    /// A request as clerk-js sends it: GETs as they are, other methods as a form POST with
    /// `_method`; then the answer is checked against the spec, and its cookie kept.
    pub(crate) async fn call(&mut self, method: &str, path: &str, form: &[(&str, &str)]) -> Resp {
        let mut url = format!(
            "{}/__clerk{path}{}__clerk_api_version=2026-08-20&_clerk_js_version=6.40.0",
            self.api.server.base_url(),
            if path.contains('?') { "&" } else { "?" }
        );
        if !matches!(method, "GET" | "POST") {
            url.push_str(&format!("&_method={method}"));
        }
        let wire_method = if method == "GET" {
            Method::GET
        } else {
            Method::POST
        };
        let mut request = self
            .http
            .request(wire_method, &url)
            .header("Origin", &self.origin);
        if let Some(cookie) = &self.cookie {
            request = request.header("Cookie", format!("__client={cookie}"));
        }
        if method != "GET" {
            request = request
                .header("Content-Type", "application/x-www-form-urlencoded")
                .body(
                    url::form_urlencoded::Serializer::new(String::new())
                        .extend_pairs(form)
                        .finish(),
                );
        }
        let resp = self.api.send(request).await;
        for set in resp.headers.get_all("set-cookie") {
            let set = set.to_str().unwrap();
            if let Some(rest) = set.strip_prefix("__client=") {
                let value = rest.split(';').next().unwrap();
                self.cookie = (!value.is_empty()).then(|| value.to_owned());
            }
        }
        conforms(method, path, &resp);
        resp
    }
}

/// The answer conforms to the FAPI spec's schema for its operation and status.
#[track_caller]
fn conforms(method: &str, path: &str, resp: &Resp) {
    let path = path.split('?').next().unwrap();
    // `find_operation` reads request paths as the Backend API's, dropping a leading `/v1`;
    // the FAPI spec's paths keep theirs.
    let operation = FAPI_SPEC
        .find_operation(&method.to_ascii_lowercase(), &format!("/v1{path}"))
        .unwrap_or_else(|| panic!("{method} {path} is not in the FAPI spec"));
    if let Some(schema) = operation.response_schema(resp.status)
        && let Err(violations) = FAPI_SPEC.validate(&resp.json, schema)
    {
        let list: Vec<String> = violations
            .iter()
            .take(10)
            .map(ToString::to_string)
            .collect();
        panic!(
            "{method} {path} answered {} against the spec:\n{}\n{}",
            resp.status,
            list.join("\n"),
            resp.text
        );
    }
}

async fn user_with_password(api: &Api, email: &str) -> Value {
    api.user(json!({"email_address": [email], "password": "correct horse battery"}))
        .await
}

#[tokio::test]
async fn the_environment_and_a_new_browser() {
    each_backend(async |api: &mut Api| {
        let mut tab = Tab::new(api);
        let env = tab.call("PATCH", "/v1/environment", &[]).await;
        let env = env.ok();
        assert_eq!(
            env["display_config"]["instance_environment_type"],
            "development"
        );
        assert_eq!(env["user_settings"]["sign_up"]["captcha_enabled"], false);
        assert_eq!(env["display_config"]["captcha_public_key"], Value::Null);
        assert_eq!(env["auth_config"]["single_session_mode"], true);
        assert_eq!(env["organization_settings"]["enabled"], true);

        let client = tab.call("GET", "/v1/client", &[]).await;
        assert_eq!(client.ok(), &json!({"response": null, "client": null}));
        assert!(tab.cookie.is_none(), "reading sets no cookie");

        // The page's origin is echoed with credentials; other origins get nothing.
        assert_eq!(client.headers["access-control-allow-origin"], PAGE_ORIGIN);
        assert_eq!(client.headers["access-control-allow-credentials"], "true");
        assert!(client.headers.get_all("vary").iter().any(|v| v == "Origin"));
        tab.origin = "http://evil.example".into();
        let refused = tab.call("GET", "/v1/client", &[]).await;
        assert!(refused.headers.get("access-control-allow-origin").is_none());

        // A preflight is answered, though clerk-js sends none.
        let preflight = api
            .send(
                http_client()
                    .request(Method::OPTIONS, api.url("/__clerk/v1/client/sign_ins"))
                    .header("Origin", "http://localhost:3000")
                    .header("Access-Control-Request-Method", "POST"),
            )
            .await;
        assert_eq!(preflight.status, 204);
        assert_eq!(
            preflight.headers["access-control-allow-origin"],
            "http://localhost:3000"
        );

        // The instance's publishable key names this server.
        let key = api.get("/v1/instance").await.ok()["publishable_key"]
            .as_str()
            .unwrap()
            .to_owned();
        let host = api
            .server
            .base_url()
            .trim_start_matches("http://")
            .to_owned();
        use base64::Engine;
        let decoded = base64::engine::general_purpose::STANDARD_NO_PAD
            .decode(key.strip_prefix("pk_test_").unwrap())
            .unwrap();
        assert_eq!(String::from_utf8(decoded).unwrap(), format!("{host}$"));

        // Unknown paths under /__clerk are Clerk's JSON 404.
        let missing = tab.call("GET", "/v1/client/sign_ins/sia_nope", &[]).await;
        missing.err(404, "client_not_found");
    })
    .await;
}

#[tokio::test]
async fn a_password_sign_in_gives_a_session_the_backend_api_sees() {
    each_backend(async |api: &mut Api| {
        let user = user_with_password(api, "ada@example.com").await;
        let mut tab = Tab::new(api);
        let sign_in = tab
            .call(
                "POST",
                "/v1/client/sign_ins",
                &[
                    ("identifier", "Ada@Example.com"),
                    ("password", "correct horse battery"),
                    ("locale", "en-US"),
                    ("timezone", "Europe/Paris"),
                ],
            )
            .await;
        let cookie = sign_in
            .headers
            .get_all("set-cookie")
            .iter()
            .map(|v| v.to_str().unwrap().to_owned())
            .find(|c| c.starts_with("__client="))
            .expect("the client cookie");
        assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"));
        assert!(
            !cookie.contains("Secure"),
            "plain http has no Secure cookies"
        );
        let body = sign_in.ok().clone();
        assert_eq!(body["response"]["status"], "complete");
        let session_id = body["response"]["created_session_id"]
            .as_str()
            .unwrap()
            .to_owned();
        let client = &body["client"];
        assert_eq!(client["last_active_session_id"], session_id.as_str());
        assert_eq!(client["sessions"][0]["id"], session_id.as_str());
        assert_eq!(client["sessions"][0]["user"]["id"], user["id"]);
        assert!(
            client["sessions"][0]["user"]
                .get("private_metadata")
                .is_none()
        );
        assert_eq!(client["sign_in"], Value::Null);
        assert_eq!(client["last_authentication_strategy"], "password");

        // The Backend API sees the same session, in the browser's client.
        let session = api.get(&format!("/v1/sessions/{session_id}")).await;
        assert_eq!(session.ok()["status"], "active");
        assert_eq!(session.ok()["client_id"], client["id"]);

        // setActive: touch, then a token with the page as its azp.
        let touched = tab
            .call(
                "POST",
                &format!("/v1/client/sessions/{session_id}/touch"),
                &[("active_organization_id", ""), ("intent", "select_session")],
            )
            .await;
        assert_eq!(touched.ok()["response"]["id"], session_id.as_str());
        let token = tab
            .call(
                "POST",
                &format!("/v1/client/sessions/{session_id}/tokens"),
                &[("organization_id", ""), ("tab_state", "focused")],
            )
            .await;
        let jwt = token.ok()["jwt"].as_str().unwrap().to_owned();
        assert_eq!(token.ok()["object"], "token");
        let token_claims = claims(&jwt);
        assert_eq!(token_claims["sub"], user["id"]);
        assert_eq!(token_claims["sid"], session_id.as_str());
        assert_eq!(token_claims["azp"], PAGE_ORIGIN);
        assert_eq!(token_claims["v"], 2);
        let jwks = api.get("/v1/jwks").await.ok().clone();
        assert!(verify_with_jwks(&jwt, &jwks));

        // A reload: the cookie brings the session back.
        let reloaded = tab.call("GET", "/v1/client", &[]).await;
        assert_eq!(
            reloaded.ok()["response"]["sessions"][0]["id"],
            session_id.as_str()
        );

        // signOut(): the session is removed, for the Backend API too.
        let signed_out = tab.call("DELETE", "/v1/client/sessions", &[]).await;
        assert_eq!(signed_out.ok()["response"]["sessions"], json!([]));
        assert_eq!(
            signed_out.ok()["client"]["last_active_session_id"],
            Value::Null
        );
        let session = api.get(&format!("/v1/sessions/{session_id}")).await;
        assert_eq!(session.ok()["status"], "removed");
        let refused = tab
            .call(
                "POST",
                &format!("/v1/client/sessions/{session_id}/tokens"),
                &[],
            )
            .await;
        let error = refused.err(401, "authentication_invalid");
        assert!(error["meta"].is_object());
        assert!(refused.json["meta"]["client"]["id"].is_string());
    })
    .await;
}

#[tokio::test]
async fn wrong_passwords_and_unknown_identifiers_are_form_errors() {
    each_backend(async |api: &mut Api| {
        user_with_password(api, "grace@example.com").await;
        let mut tab = Tab::new(api);
        let wrong = tab
            .call(
                "POST",
                "/v1/client/sign_ins",
                &[
                    ("identifier", "grace@example.com"),
                    ("password", "not it at all"),
                ],
            )
            .await;
        wrong.err(422, "form_password_incorrect");
        assert_eq!(wrong.param(), "password");
        // The client was made for the sign-in, and comes back beside the error.
        assert!(wrong.json["meta"]["client"]["sign_in"]["id"].is_string());

        let unknown = tab
            .call(
                "POST",
                "/v1/client/sign_ins",
                &[
                    ("identifier", "nobody@example.com"),
                    ("password", "whatever123"),
                ],
            )
            .await;
        unknown.err(422, "form_identifier_not_found");
        let missing = tab
            .call("POST", "/v1/client/sign_ins", &[("identifier", "")])
            .await;
        missing.err(422, "form_param_missing");
    })
    .await;
}

#[tokio::test]
async fn a_two_step_sign_in_and_ending_sessions() {
    each_backend(async |api: &mut Api| {
        let user = user_with_password(api, "alan@example.com").await;
        let mut tab = Tab::new(api);
        let first = tab
            .call(
                "POST",
                "/v1/client/sign_ins",
                &[("identifier", "alan@example.com")],
            )
            .await;
        let sign_in = first.ok()["response"].clone();
        assert_eq!(sign_in["status"], "needs_first_factor");
        let strategies: Vec<&str> = sign_in["supported_first_factors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["strategy"].as_str().unwrap())
            .collect();
        assert!(strategies.contains(&"password"), "{strategies:?}");
        assert_eq!(first.ok()["client"]["sign_in"]["id"], sign_in["id"]);
        let id = sign_in["id"].as_str().unwrap();

        let read = tab
            .call("GET", &format!("/v1/client/sign_ins/{id}"), &[])
            .await;
        assert_eq!(read.ok()["response"]["id"], id);
        let done = tab
            .call(
                "POST",
                &format!("/v1/client/sign_ins/{id}/attempt_first_factor"),
                &[
                    ("strategy", "password"),
                    ("password", "correct horse battery"),
                ],
            )
            .await;
        assert_eq!(done.ok()["response"]["status"], "complete");
        let session_id = done.ok()["response"]["created_session_id"]
            .as_str()
            .unwrap()
            .to_owned();
        assert_eq!(done.ok()["client"]["sessions"][0]["user"]["id"], user["id"]);

        // Signed in already: a second sign-in is refused (single-session mode).
        let again = tab
            .call(
                "POST",
                "/v1/client/sign_ins",
                &[("identifier", "alan@example.com")],
            )
            .await;
        again.err(400, "session_exists");

        // Another browser cannot touch this session.
        let mut other = Tab::new(api);
        other.call("POST", "/v1/client", &[]).await.ok();
        other
            .call(
                "POST",
                &format!("/v1/client/sessions/{session_id}/end"),
                &[],
            )
            .await
            .err(404, "resource_not_found");

        // session.end(): ended, for the Backend API too.
        let ended = tab
            .call(
                "POST",
                &format!("/v1/client/sessions/{session_id}/end"),
                &[],
            )
            .await;
        assert_eq!(ended.ok()["response"]["status"], "ended");
        let session = api.get(&format!("/v1/sessions/{session_id}")).await;
        assert_eq!(session.ok()["status"], "ended");
    })
    .await;
}

#[tokio::test]
async fn destroying_the_client_clears_its_cookie() {
    each_backend(async |api: &mut Api| {
        user_with_password(api, "linus@example.com").await;
        let mut tab = Tab::new(api);
        let created = tab.call("POST", "/v1/client", &[]).await;
        assert!(created.ok()["response"]["id"].is_string());
        let old_cookie = tab.cookie.clone().expect("a client cookie");
        tab.call(
            "POST",
            "/v1/client/sign_ins",
            &[
                ("identifier", "linus@example.com"),
                ("password", "correct horse battery"),
            ],
        )
        .await
        .ok();
        let destroyed = tab.call("DELETE", "/v1/client", &[]).await;
        let session = destroyed.ok()["response"]["sessions"].clone();
        assert_eq!(session, json!([]));
        assert!(tab.cookie.is_none(), "the cookie is cleared");
        // The old cookie names nothing any more.
        tab.cookie = Some(old_cookie);
        let read = tab.call("GET", "/v1/client", &[]).await;
        assert_eq!(read.ok()["client"], Value::Null);
    })
    .await;
}

/// The first 6-digit run in the newest outbox message (its subject or body).
async fn newest_code(api: &Api, to: &str) -> String {
    let outbox = api.get("/v1/_local/outbox").await;
    let newest = outbox.ok()["data"][0].clone();
    assert_eq!(newest["to_email_address"], to, "{newest:#}");
    let text = format!("{} {}", newest["subject"], newest["body"]);
    let digits: Vec<char> = text.chars().collect();
    digits
        .windows(8)
        .find_map(|w| {
            let inner: String = w[1..7].iter().collect();
            (!w[0].is_ascii_digit()
                && !w[7].is_ascii_digit()
                && inner.chars().all(|c| c.is_ascii_digit()))
            .then_some(inner)
        })
        .unwrap_or_else(|| panic!("no code in {newest:#}"))
}

#[tokio::test]
async fn a_sign_up_with_an_email_code() {
    each_backend(async |api: &mut Api| {
        let mut tab = Tab::new(api);
        let email = "new.person@example.com";
        let created = tab
            .call(
                "POST",
                "/v1/client/sign_ups",
                &[
                    ("email_address", email),
                    ("password", "a long enough password"),
                    ("locale", "en-US"),
                    ("timezone", "Europe/Paris"),
                ],
            )
            .await;
        let sign_up = created.ok()["response"].clone();
        assert_eq!(sign_up["status"], "missing_requirements");
        assert_eq!(sign_up["unverified_fields"], json!(["email_address"]));
        assert_eq!(sign_up["missing_fields"], json!([]));
        assert_eq!(created.ok()["client"]["sign_up"]["id"], sign_up["id"]);
        let id = sign_up["id"].as_str().unwrap().to_owned();

        let prepared = tab
            .call(
                "POST",
                &format!("/v1/client/sign_ups/{id}/prepare_verification"),
                &[("strategy", "email_code")],
            )
            .await;
        let verification = &prepared.ok()["response"]["verifications"]["email_address"];
        assert_eq!(verification["status"], "unverified");
        assert_eq!(verification["strategy"], "email_code");
        let code = newest_code(api, email).await;

        let wrong = if code == "000000" { "111111" } else { "000000" };
        let refused = tab
            .call(
                "POST",
                &format!("/v1/client/sign_ups/{id}/attempt_verification"),
                &[("strategy", "email_code"), ("code", wrong)],
            )
            .await;
        refused.err(422, "form_code_incorrect");
        assert_eq!(
            refused.json["meta"]["client"]["sign_up"]["verifications"]["email_address"]["attempts"],
            1
        );

        let done = tab
            .call(
                "POST",
                &format!("/v1/client/sign_ups/{id}/attempt_verification"),
                &[("strategy", "email_code"), ("code", &code)],
            )
            .await;
        let response = done.ok()["response"].clone();
        assert_eq!(response["status"], "complete");
        let user_id = response["created_user_id"].as_str().unwrap().to_owned();
        let session_id = response["created_session_id"].as_str().unwrap().to_owned();
        assert_eq!(
            done.ok()["client"]["sessions"][0]["id"],
            session_id.as_str()
        );
        assert_eq!(done.ok()["client"]["sign_up"], Value::Null);

        // The Backend API sees the user, verified, with its password.
        let users = api.get(&format!("/v1/users?email_address={email}")).await;
        let user = &users.ok()[0];
        assert_eq!(user["id"], user_id.as_str());
        assert_eq!(user["password_enabled"], true);
        assert_eq!(
            user["email_addresses"][0]["verification"]["status"],
            "verified"
        );
        // ... and can sign in with the password in another browser.
        let mut other = Tab::new(api);
        let signed_in = other
            .call(
                "POST",
                "/v1/client/sign_ins",
                &[
                    ("identifier", email),
                    ("password", "a long enough password"),
                ],
            )
            .await;
        assert_eq!(signed_in.ok()["response"]["status"], "complete");
    })
    .await;
}

#[tokio::test]
async fn test_addresses_take_424242_and_get_no_email() {
    each_backend(async |api: &mut Api| {
        let mut tab = Tab::new(api);
        let email = "jane+clerk_test@example.com";
        let created = tab
            .call(
                "POST",
                "/v1/client/sign_ups",
                &[
                    ("email_address", email),
                    ("password", "a long enough password"),
                ],
            )
            .await;
        let id = created.ok()["response"]["id"].as_str().unwrap().to_owned();
        tab.call(
            "POST",
            &format!("/v1/client/sign_ups/{id}/prepare_verification"),
            &[("strategy", "email_code")],
        )
        .await
        .ok();
        let outbox = api.get("/v1/_local/outbox").await;
        assert_eq!(outbox.ok()["total_count"], 0, "no email to a test address");
        let done = tab
            .call(
                "POST",
                &format!("/v1/client/sign_ups/{id}/attempt_verification"),
                &[("strategy", "email_code"), ("code", "424242")],
            )
            .await;
        assert_eq!(done.ok()["response"]["status"], "complete");

        // Taken addresses and short passwords are refused at the start.
        let mut other = Tab::new(api);
        other
            .call(
                "POST",
                "/v1/client/sign_ups",
                &[
                    ("email_address", email),
                    ("password", "a long enough password"),
                ],
            )
            .await
            .err(422, "form_identifier_exists");
        other
            .call(
                "POST",
                "/v1/client/sign_ups",
                &[
                    ("email_address", "short@example.com"),
                    ("password", "short"),
                ],
            )
            .await
            .err(422, "form_password_length_too_short");
    })
    .await;
}

#[tokio::test]
async fn tickets_sign_the_browser_in() {
    each_backend(async |api: &mut Api| {
        let user = user_with_password(api, "ticket.holder@example.com").await;
        let user_id = user["id"].as_str().unwrap();

        // A sign-in token, through clerk-js's ticket strategy.
        let token = api
            .post("/v1/sign_in_tokens", json!({"user_id": user_id}))
            .await
            .ok()["token"]
            .as_str()
            .unwrap()
            .to_owned();
        let mut tab = Tab::new(api);
        let signed_in = tab
            .call(
                "POST",
                "/v1/client/sign_ins",
                &[("strategy", "ticket"), ("ticket", &token)],
            )
            .await;
        let response = signed_in.ok()["response"].clone();
        assert_eq!(response["status"], "complete");
        assert_eq!(
            signed_in.ok()["client"]["sessions"][0]["user"]["id"],
            user_id
        );
        assert_eq!(
            signed_in.ok()["client"]["last_authentication_strategy"],
            "ticket"
        );
        // Once only.
        let mut again = Tab::new(api);
        let refused = again
            .call(
                "POST",
                "/v1/client/sign_ins",
                &[("strategy", "ticket"), ("ticket", &token)],
            )
            .await;
        assert_eq!(refused.status, 400, "{}", refused.text);

        // An actor token's link: the browser is signed in as the user, acted by the actor,
        // and sent back to the app.
        let actor = api
            .post(
                "/v1/actor_tokens",
                json!({"user_id": user_id, "actor": {"sub": "user_admin"}}),
            )
            .await
            .ok()
            .clone();
        let url = actor["url"].as_str().unwrap();
        assert!(url.starts_with(api.server.base_url()), "{url}");
        let path = url
            .trim_start_matches(api.server.base_url())
            .trim_start_matches("/__clerk");
        let mut impersonated = Tab::new(api);
        let followed = impersonated
            .call(
                "GET",
                &format!(
                    "{path}&redirect_url={}",
                    url_encode(&format!("{PAGE_ORIGIN}/dashboard"))
                ),
                &[],
            )
            .await;
        assert_eq!(followed.status, 303, "{}", followed.text);
        assert_eq!(
            followed.headers["location"],
            format!("{PAGE_ORIGIN}/dashboard")
        );
        let client = impersonated.call("GET", "/v1/client", &[]).await;
        let session = client.ok()["response"]["sessions"][0].clone();
        assert_eq!(session["user"]["id"], user_id);
        assert_eq!(session["actor"]["sub"], "user_admin");
        let session_id = session["id"].as_str().unwrap().to_owned();
        let token = impersonated
            .call(
                "POST",
                &format!("/v1/client/sessions/{session_id}/tokens"),
                &[],
            )
            .await;
        assert_eq!(
            claims(token.ok()["jwt"].as_str().unwrap())["act"]["sub"],
            "user_admin"
        );

        // A redirect to another site is not followed; the page says who is signed in.
        let other = api
            .post("/v1/sign_in_tokens", json!({"user_id": user_id}))
            .await
            .ok()["token"]
            .as_str()
            .unwrap()
            .to_owned();
        let mut third = Tab::new(api);
        let page = third
            .call(
                "GET",
                &format!(
                    "/v1/tickets/accept?ticket={other}&redirect_url={}",
                    url_encode("https://evil.example/")
                ),
                &[],
            )
            .await;
        assert_eq!(page.status, 200);
        assert!(
            page.text.contains("ticket.holder@example.com"),
            "{}",
            page.text
        );
    })
    .await;
}

pub(crate) fn url_encode(text: &str) -> String {
    url::form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

#[tokio::test]
async fn email_code_sign_ins_and_password_resets() {
    each_backend(async |api: &mut Api| {
        let email = "coder@example.com";
        let user = user_with_password(api, email).await;
        let address_id = user["email_addresses"][0]["id"]
            .as_str()
            .unwrap()
            .to_owned();
        let mut tab = Tab::new(api);
        let started = tab
            .call("POST", "/v1/client/sign_ins", &[("identifier", email)])
            .await;
        let id = started.ok()["response"]["id"].as_str().unwrap().to_owned();
        let prepared = tab
            .call(
                "POST",
                &format!("/v1/client/sign_ins/{id}/prepare_first_factor"),
                &[
                    ("strategy", "email_code"),
                    ("email_address_id", &address_id),
                ],
            )
            .await;
        let factor = &prepared.ok()["response"]["first_factor_verification"];
        assert_eq!(factor["strategy"], "email_code");
        assert_eq!(factor["status"], "unverified");
        assert!(factor.get("code_id").is_none(), "bookkeeping stays inside");
        let code = newest_code(api, email).await;
        let wrong = if code == "000000" { "111111" } else { "000000" };
        tab.call(
            "POST",
            &format!("/v1/client/sign_ins/{id}/attempt_first_factor"),
            &[("strategy", "email_code"), ("code", wrong)],
        )
        .await
        .err(422, "form_code_incorrect");
        let done = tab
            .call(
                "POST",
                &format!("/v1/client/sign_ins/{id}/attempt_first_factor"),
                &[("strategy", "email_code"), ("code", &code)],
            )
            .await;
        assert_eq!(done.ok()["response"]["status"], "complete");
        assert_eq!(
            done.ok()["client"]["last_authentication_strategy"],
            "email_code"
        );

        // A forgotten password: a reset code, then the new password.
        let mut other = Tab::new(api);
        let started = other
            .call("POST", "/v1/client/sign_ins", &[("identifier", email)])
            .await;
        let id = started.ok()["response"]["id"].as_str().unwrap().to_owned();
        other
            .call(
                "POST",
                &format!("/v1/client/sign_ins/{id}/prepare_first_factor"),
                &[
                    ("strategy", "reset_password_email_code"),
                    ("email_address_id", &address_id),
                ],
            )
            .await
            .ok();
        let code = newest_code(api, email).await;
        let proven = other
            .call(
                "POST",
                &format!("/v1/client/sign_ins/{id}/attempt_first_factor"),
                &[("strategy", "reset_password_email_code"), ("code", &code)],
            )
            .await;
        assert_eq!(proven.ok()["response"]["status"], "needs_new_password");
        let reset = other
            .call(
                "POST",
                &format!("/v1/client/sign_ins/{id}/reset_password"),
                &[
                    ("password", "a brand new password"),
                    ("sign_out_of_other_sessions", "true"),
                ],
            )
            .await;
        assert_eq!(reset.ok()["response"]["status"], "complete");
        // The first browser's session was signed out; the new password works.
        let sessions = api
            .get(&format!(
                "/v1/sessions?user_id={}&status=active",
                user["id"].as_str().unwrap()
            ))
            .await;
        assert_eq!(sessions.ok().as_array().unwrap().len(), 1);
        let verified = api
            .post(
                &format!("/v1/users/{}/verify_password", user["id"].as_str().unwrap()),
                json!({"password": "a brand new password"}),
            )
            .await;
        assert_eq!(verified.ok()["verified"], true);
    })
    .await;
}

/// A tab signed in as a new user with a password; the tab and the session id.
pub(crate) async fn signed_in<'a>(api: &'a Api, email: &str) -> (Tab<'a>, String) {
    user_with_password(api, email).await;
    let mut tab = Tab::new(api);
    let signed_in = tab
        .call(
            "POST",
            "/v1/client/sign_ins",
            &[("identifier", email), ("password", "correct horse battery")],
        )
        .await;
    let session_id = signed_in.ok()["response"]["created_session_id"]
        .as_str()
        .unwrap()
        .to_owned();
    (tab, session_id)
}

#[tokio::test]
async fn the_signed_in_user_changes_itself() {
    each_backend(async |api: &mut Api| {
        let (mut tab, session_id) = signed_in(api, "me@example.com").await;
        let me = tab
            .call(
                "GET",
                &format!("/v1/me?_clerk_session_id={session_id}"),
                &[],
            )
            .await;
        let user_id = me.ok()["response"]["id"].as_str().unwrap().to_owned();
        let renamed = tab
            .call(
                "PATCH",
                "/v1/me",
                &[("first_name", "Ada"), ("last_name", "Lovelace")],
            )
            .await;
        assert_eq!(renamed.ok()["response"]["first_name"], "Ada");
        let seen = api.get(&format!("/v1/users/{user_id}")).await;
        assert_eq!(seen.ok()["last_name"], "Lovelace");

        // A second address, verified with the code sent to it.
        let added = tab
            .call(
                "POST",
                "/v1/me/email_addresses",
                &[("email_address", "ada@work.example")],
            )
            .await;
        let address_id = added.ok()["response"]["id"].as_str().unwrap().to_owned();
        let prepared = tab
            .call(
                "POST",
                &format!("/v1/me/email_addresses/{address_id}/prepare_verification"),
                &[("strategy", "email_code")],
            )
            .await;
        assert_eq!(
            prepared.ok()["response"]["verification"]["status"],
            "unverified"
        );
        let code = newest_code(api, "ada@work.example").await;
        let wrong = if code == "000000" { "111111" } else { "000000" };
        tab.call(
            "POST",
            &format!("/v1/me/email_addresses/{address_id}/attempt_verification"),
            &[("code", wrong)],
        )
        .await
        .err(422, "form_code_incorrect");
        let verified = tab
            .call(
                "POST",
                &format!("/v1/me/email_addresses/{address_id}/attempt_verification"),
                &[("code", &code)],
            )
            .await;
        assert_eq!(
            verified.ok()["response"]["verification"]["status"],
            "verified"
        );
        let listed = tab.call("GET", "/v1/me/email_addresses", &[]).await;
        assert_eq!(listed.ok().as_array().unwrap().len(), 2);
        let primary = tab
            .call(
                "PATCH",
                "/v1/me",
                &[("primary_email_address_id", &address_id)],
            )
            .await;
        assert_eq!(
            primary.ok()["response"]["primary_email_address_id"],
            address_id.as_str()
        );

        // An organization of its own, made active, shows in the next token.
        let org = tab
            .call(
                "POST",
                "/v1/organizations",
                &[("name", "Analytical Engines")],
            )
            .await;
        let org_id = org.ok()["response"]["id"].as_str().unwrap().to_owned();
        assert!(
            org.ok()["response"].get("private_metadata").is_none(),
            "never to a browser"
        );
        let memberships = tab
            .call("GET", "/v1/me/organization_memberships", &[])
            .await;
        assert_eq!(
            memberships.ok()["response"]["data"][0]["organization"]["id"],
            org_id.as_str()
        );
        let touched = tab
            .call(
                "POST",
                &format!("/v1/client/sessions/{session_id}/touch"),
                &[("active_organization_id", &org_id)],
            )
            .await;
        assert_eq!(
            touched.ok()["response"]["last_active_organization_id"],
            org_id.as_str()
        );
        assert_eq!(
            touched.ok()["response"]["user"]["organization_memberships"][0]["role"],
            "org:admin"
        );
        let token = tab
            .call(
                "POST",
                &format!("/v1/client/sessions/{session_id}/tokens"),
                &[],
            )
            .await;
        let token_claims = claims(token.ok()["jwt"].as_str().unwrap());
        assert_eq!(token_claims["o"]["id"], org_id.as_str());
        assert_eq!(token_claims["o"]["rol"], "admin");

        // Signed out, /me is 401.
        tab.call("DELETE", "/v1/client/sessions", &[]).await.ok();
        tab.call("GET", "/v1/me", &[]).await.err(401, "signed_out");
    })
    .await;
}

#[tokio::test]
async fn dev_browsers_and_the_handshake() {
    each_backend(async |api: &mut Api| {
        user_with_password(api, "dev@example.com").await;
        // Dev-browser mode: no cookie, the token on every request.
        let mut tab = Tab::new(api);
        let created = tab.call("POST", "/v1/dev_browser", &[]).await;
        let token = created.ok()["id"].as_str().unwrap().to_owned();
        assert!(tab.cookie.is_none());
        let path = |p: &str| format!("{p}?__clerk_db_jwt={token}");
        let signed_in = tab
            .call(
                "POST",
                &path("/v1/client/sign_ins"),
                &[
                    ("identifier", "dev@example.com"),
                    ("password", "correct horse battery"),
                ],
            )
            .await;
        assert_eq!(signed_in.ok()["response"]["status"], "complete");
        let client = tab.call("GET", &path("/v1/client"), &[]).await;
        assert_eq!(
            client.ok()["response"]["sessions"]
                .as_array()
                .unwrap()
                .len(),
            1
        );
        let stale = tab
            .call("GET", "/v1/client?__clerk_db_jwt=not.a.token", &[])
            .await;
        stale.err(401, "dev_browser_unauthenticated");

        // The handshake: a browser with a session gets its cookies for the app's host and
        // is sent back; other destinations are refused.
        let mut browser = Tab::new(api);
        browser
            .call(
                "POST",
                "/v1/client/sign_ins",
                &[
                    ("identifier", "dev@example.com"),
                    ("password", "correct horse battery"),
                ],
            )
            .await
            .ok();
        let back = format!("{PAGE_ORIGIN}/page");
        let handshake = browser
            .call(
                "GET",
                &format!("/v1/client/handshake?redirect_url={}", url_encode(&back)),
                &[],
            )
            .await;
        assert_eq!(handshake.status, 307, "{}", handshake.text);
        assert_eq!(handshake.headers["location"], back.as_str());
        let set: Vec<String> = handshake
            .headers
            .get_all("set-cookie")
            .iter()
            .map(|v| v.to_str().unwrap().to_owned())
            .collect();
        for name in ["__clerk_db_jwt=", "__client_uat=", "__session="] {
            assert!(set.iter().any(|c| c.starts_with(name)), "{name} in {set:?}");
        }
        let session = set.iter().find(|c| c.starts_with("__session=")).unwrap();
        let jwt = session
            .trim_start_matches("__session=")
            .split(';')
            .next()
            .unwrap();
        assert!(claims(jwt)["sid"].is_string());
        browser
            .call(
                "GET",
                &format!(
                    "/v1/client/handshake?redirect_url={}",
                    url_encode("https://evil.example/")
                ),
                &[],
            )
            .await
            .err(422, "form_param_value_invalid");
    })
    .await;
}

#[tokio::test]
async fn browser_password_guesses_count_toward_the_lockout() {
    let config = || clerk_server::Config::default().with_lockout_attempts(Some(2));
    crate::common::each_backend_with(config, async |api: &mut Api| {
        let user = user_with_password(api, "guessed@example.com").await;
        let mut tab = Tab::new(api);
        for _ in 0..2 {
            tab.call(
                "POST",
                "/v1/client/sign_ins",
                &[
                    ("identifier", "guessed@example.com"),
                    ("password", "wrong guess!"),
                ],
            )
            .await
            .err(422, "form_password_incorrect");
        }
        let locked = tab
            .call(
                "POST",
                "/v1/client/sign_ins",
                &[
                    ("identifier", "guessed@example.com"),
                    ("password", "correct horse battery"),
                ],
            )
            .await;
        locked.err(400, "user_locked");
        let seen = api
            .get(&format!("/v1/users/{}", user["id"].as_str().unwrap()))
            .await;
        assert_eq!(seen.ok()["locked"], true);
        let env = tab.call("GET", "/v1/environment", &[]).await;
        let lockout = &env.ok()["user_settings"]["attack_protection"]["user_lockout"];
        assert_eq!(lockout["enabled"], true);
        assert_eq!(lockout["max_attempts"], 2);
    })
    .await;
}

#[tokio::test]
async fn testing_tokens_are_accepted() {
    each_backend(async |api: &mut Api| {
        user_with_password(api, "e2e@example.com").await;
        let token = api.post("/v1/testing_tokens", json!({})).await.ok()["token"]
            .as_str()
            .unwrap()
            .to_owned();
        // @clerk/testing adds the token to every Frontend API request; bot protection is
        // off here, so it changes nothing.
        let mut tab = Tab::new(api);
        let signed_in = tab
            .call(
                "POST",
                &format!("/v1/client/sign_ins?__clerk_testing_token={token}"),
                &[
                    ("identifier", "e2e@example.com"),
                    ("password", "correct horse battery"),
                ],
            )
            .await;
        assert_eq!(signed_in.ok()["response"]["status"], "complete");
    })
    .await;
}

#[tokio::test]
async fn the_instance_allowed_origins_get_cors_too() {
    each_backend(async |api: &mut Api| {
        let mut tab = Tab::new(api);
        tab.origin = "https://app.example.com".into();
        let before = tab.call("GET", "/v1/client", &[]).await;
        assert!(before.headers.get("access-control-allow-origin").is_none());
        api.patch(
            "/v1/instance",
            json!({"allowed_origins": ["https://app.example.com"]}),
        )
        .await;
        let after = tab.call("GET", "/v1/client", &[]).await;
        assert_eq!(
            after.headers["access-control-allow-origin"],
            "https://app.example.com"
        );
        assert_eq!(after.headers["access-control-allow-credentials"], "true");
    })
    .await;
}

#[tokio::test]
async fn a_browser_gets_tokens_from_jwt_templates() {
    each_backend(async |api: &mut Api| {
        let (mut tab, session_id) = signed_in(api, "templated@example.com").await;
        api.post(
            "/v1/jwt_templates",
            json!({"name": "supabase", "claims": {"email": "{{user.primary_email_address}}", "role": "authenticated"}}),
        )
        .await
        .ok();
        let token = tab
            .call(
                "POST",
                &format!("/v1/client/sessions/{session_id}/tokens/supabase"),
                &[],
            )
            .await;
        let jwt = token.ok()["jwt"].as_str().unwrap().to_owned();
        let template_claims = claims(&jwt);
        assert_eq!(template_claims["email"], "templated@example.com");
        assert_eq!(template_claims["role"], "authenticated");
        let jwks = api.get("/v1/jwks").await.ok().clone();
        assert!(verify_with_jwks(&jwt, &jwks));
        tab.call(
            "POST",
            &format!("/v1/client/sessions/{session_id}/tokens/missing"),
            &[],
        )
        .await
        .err(404, "resource_not_found");
    })
    .await;
}
