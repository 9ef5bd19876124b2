//! The SDK authenticates a page load from the browser's cookies, as `@clerk/backend` does:
//! a browser signs in through the Frontend API (`/__clerk`) with plain HTTP, and the cookies
//! a page on 127.0.0.1 would hold sign it in; without the development browser cookie the
//! SDK's axum layer sends the page to the server's handshake, which sets the cookies and
//! sends it back signed in.

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use axum::routing::get;
use clerk_sdk::middleware::{ClerkAuth, ClerkLayer};
use clerk_sdk::verify::{AuthState, Reason, Verifier, cookie_suffix};
use clerk_sdk::{CreateUser, Method};
use e2e::{Env, each_backend};
use serde_json::Value;
use tower::ServiceExt as _;

const PAGE_HOST: &str = "127.0.0.1:3000";
const PASSWORD: &str = "correct-horse-battery";

/// A browser's cookie jar: every cookie the server set, by name (an empty value clears one).
#[derive(Default, Clone)]
struct Jar(Vec<(String, String)>);

impl Jar {
    fn take(&mut self, headers: &reqwest::header::HeaderMap) {
        for line in headers.get_all("set-cookie") {
            let pair = line.to_str().unwrap().split(';').next().unwrap();
            let (name, value) = pair.split_once('=').unwrap();
            self.0.retain(|(n, _)| n != name);
            if !value.is_empty() {
                self.0.push((name.to_owned(), value.to_owned()));
            }
        }
    }

    fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    fn header(&self) -> String {
        self.0
            .iter()
            .map(|(n, v)| format!("{n}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }
}

fn http() -> reqwest::Client {
    reqwest::Client::builder()
        .no_proxy()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

/// A form POST to the Frontend API, as clerk-js sends it from the page.
async fn fapi_post(env: &Env, jar: &mut Jar, path: &str, form: &str) -> Value {
    let mut request = http()
        .post(format!("{}/__clerk{path}", env.server.base_url()))
        .header("origin", format!("http://{PAGE_HOST}"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(form.to_owned());
    if !jar.0.is_empty() {
        request = request.header("cookie", jar.header());
    }
    let response = request.send().await.unwrap();
    assert!(
        response.status().is_success(),
        "{path}: {}",
        response.status()
    );
    jar.take(response.headers());
    response.json().await.unwrap()
}

/// A page load of the app: `GET` with `Sec-Fetch-Dest: document` and these cookies.
fn page(cookie: &str) -> Request<Body> {
    Request::builder()
        .uri("/dashboard")
        .header("host", PAGE_HOST)
        .header("sec-fetch-dest", "document")
        .header("cookie", cookie)
        .body(Body::empty())
        .unwrap()
}

async fn whoami(ClerkAuth(claims): ClerkAuth) -> String {
    claims.sub
}

#[tokio::test]
async fn a_browser_signed_in_through_the_frontend_api_is_signed_in_on_the_page() {
    each_backend(async |env| {
        let user = env
            .clerk
            .users()
            .create(
                CreateUser::new()
                    .email_address(["browser@example.com"])
                    .password(PASSWORD),
            )
            .await
            .unwrap();
        let instance: Value = env
            .clerk
            .request(Method::GET, "/instance", &[], None)
            .await
            .unwrap();
        let pk = instance["publishable_key"].as_str().unwrap().to_owned();
        let verifier = Verifier::builder_jwks_url(env.server.jwks_url())
            .unwrap()
            .publishable_key(&pk)
            .frontend_api_url(format!("{}/__clerk", env.server.base_url()))
            .build()
            .unwrap();

        // The browser signs in through the Frontend API, keeping the cookies it is given.
        let mut jar = Jar::default();
        let signed_in = fapi_post(
            env,
            &mut jar,
            "/v1/client/sign_ins",
            &format!("identifier=browser%40example.com&password={PASSWORD}"),
        )
        .await;
        let session_id = signed_in["response"]["created_session_id"]
            .as_str()
            .unwrap()
            .to_owned();
        let updated_at = signed_in["client"]["updated_at"].as_i64().unwrap();
        assert!(jar.get("__client").is_some());
        let dev_browser = jar.get("__clerk_db_jwt").unwrap().to_owned();
        let suffix = cookie_suffix(&pk);
        assert_eq!(
            jar.get(&format!("__clerk_db_jwt_{suffix}")),
            Some(dev_browser.as_str()),
            "the server's cookie suffix is the SDK's"
        );
        let minted = fapi_post(
            env,
            &mut jar,
            &format!("/v1/client/sessions/{session_id}/tokens"),
            "",
        )
        .await;
        let jwt = minted["jwt"].as_str().unwrap();

        // The cookies the page holds: clerk-js's `__session` and `__client_uat`, the
        // server's development browser cookie.
        let uat = updated_at / 1000;
        let cookies = format!("__clerk_db_jwt={dev_browser}; __client_uat={uat}; __session={jwt}");
        let (parts, _) = page(&cookies).into_parts();
        let state = verifier.authenticate_request(&parts).await;
        assert_eq!(state.user_id(), Some(user.id.as_str()), "{state:?}");
        assert_eq!(
            state.claims().and_then(|c| c.sid.as_deref()),
            Some(session_id.as_str())
        );

        // The documented error: a token older than the client's last change is not
        // trusted; a fetch() is signed out with the reason.
        let stale = format!(
            "__clerk_db_jwt={dev_browser}; __client_uat={}; __session={jwt}",
            uat + 3600
        );
        let (mut parts, _) = page(&stale).into_parts();
        parts
            .headers
            .insert("sec-fetch-dest", "empty".parse().unwrap());
        match verifier.authenticate_request(&parts).await {
            AuthState::SignedOut(e) => {
                assert_eq!(e.reason(), Reason::SessionTokenIatBeforeClientUat);
            }
            other => panic!("expected signed out, got {other:?}"),
        }

        // A page load with only the server's `__client` cookie (no development browser
        // token, no session yet): the layer sends it to the handshake.
        let app = Router::new()
            .route("/dashboard", get(whoami))
            .layer(ClerkLayer::new(verifier.clone()));
        let mut browser = Jar::default();
        browser
            .0
            .push(("__client".into(), jar.get("__client").unwrap().into()));
        let first = app.clone().oneshot(page(&browser.header())).await.unwrap();
        assert_eq!(first.status(), StatusCode::TEMPORARY_REDIRECT);
        let location = first.headers()["location"].to_str().unwrap().to_owned();
        assert!(
            location.starts_with(&format!(
                "{}/__clerk/v1/client/handshake?",
                env.server.base_url()
            )),
            "{location}"
        );
        let url = reqwest::Url::parse(&location).unwrap();
        let back = url
            .query_pairs()
            .find(|(k, _)| k == "redirect_url")
            .unwrap()
            .1
            .into_owned();
        assert_eq!(back, format!("http://{PAGE_HOST}/dashboard"));

        // Following it (the browser sends the server its cookies): fresh cookies for the
        // page's host, and back to the page.
        let handshake = http()
            .get(&location)
            .header("cookie", browser.header())
            .send()
            .await
            .unwrap();
        assert_eq!(handshake.status(), 307);
        assert_eq!(handshake.headers()["location"], back.as_str());
        browser.take(handshake.headers());
        assert!(browser.get("__session").is_some() && browser.get("__client_uat").is_some());
        let again = app.clone().oneshot(page(&browser.header())).await.unwrap();
        assert_eq!(again.status(), StatusCode::OK);
        let body = axum::body::to_bytes(again.into_body(), 1 << 16)
            .await
            .unwrap();
        assert_eq!(&body[..], user.id.as_bytes());

        // Signed out of every session: the handshake brings the page back signed out.
        fapi_post(env, &mut jar, "/v1/client/sessions?_method=DELETE", "").await;
        let mut out = Jar::default();
        out.0
            .push(("__client".into(), jar.get("__client").unwrap().into()));
        let handshake = http()
            .get(&location)
            .header("cookie", out.header())
            .send()
            .await
            .unwrap();
        assert_eq!(handshake.status(), 307);
        out.take(handshake.headers());
        let (parts, _) = page(&out.header()).into_parts();
        match verifier.authenticate_request(&parts).await {
            AuthState::SignedOut(e) => assert_eq!(e.reason(), Reason::SessionTokenAndUatMissing),
            other => panic!("expected signed out, got {other:?}"),
        }
    })
    .await;
}
