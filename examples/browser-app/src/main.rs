//! A whole Clerk app offline: this axum app serves a page that signs in with Clerk's browser
//! SDK (clerk-js, from the npm package, never a CDN) against `clerk serve`'s Frontend API,
//! and an API route that only answers requests carrying a valid session token.
//!
//! ```sh
//! cargo run -p clerk-cli -- serve                      # prints the secret and publishable keys
//! cd examples/browser-app && npm ci                    # @clerk/clerk-js into node_modules
//! CLERK_SECRET_KEY=sk_test_… cargo run -p clerk-example-browser-app
//! # open http://127.0.0.1:3000 and sign in with a user of the server
//! ```
//!
//! Environment: `CLERK_API_URL` (the server, default `http://127.0.0.1:8080`),
//! `CLERK_PUBLISHABLE_KEY` (else read from the server with `CLERK_SECRET_KEY`),
//! `CLERK_JS_DIR` (default `node_modules/@clerk/clerk-js/dist` here), `ADDR` (default
//! `127.0.0.1:3000`; `127.0.0.1:0` picks a free port). It prints `listening on <url>`.

use std::path::{Component, Path, PathBuf};

use axum::extract::{Path as UrlPath, State};
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use clerk_sdk::middleware::{ClerkAuth, ClerkLayer};
use clerk_sdk::verify::Verifier;
use clerk_sdk::{Clerk, Method};
use serde_json::{Value, json};

/// What the page needs to reach the server.
#[derive(Clone)]
struct Page {
    publishable_key: String,
    proxy_url: String,
    clerk_js_dir: PathBuf,
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let api_url = std::env::var("CLERK_API_URL")
        .unwrap_or_else(|_| "http://127.0.0.1:8080".to_owned())
        .trim_end_matches('/')
        .trim_end_matches("/v1")
        .to_owned();
    let publishable_key = match std::env::var("CLERK_PUBLISHABLE_KEY") {
        Ok(key) => key,
        Err(_) => publishable_key_of(&api_url).await?,
    };
    let page = Page {
        publishable_key,
        proxy_url: format!("{api_url}/__clerk"),
        clerk_js_dir: std::env::var("CLERK_JS_DIR").map_or_else(
            |_| Path::new(env!("CARGO_MANIFEST_DIR")).join("node_modules/@clerk/clerk-js/dist"),
            PathBuf::from,
        ),
    };
    // Session tokens are checked against the server's JWKS (plain http: it is on loopback).
    let verifier = Verifier::builder_jwks_url(format!("{api_url}/.well-known/jwks.json"))?
        .allow_plain_http(true)
        .build()?;
    let addr = std::env::var("ADDR").unwrap_or_else(|_| "127.0.0.1:3000".to_owned());
    let listener = tokio::net::TcpListener::bind(&addr).await?;
    println!("listening on http://{}", listener.local_addr()?);
    axum::serve(listener, app(page, verifier)).await?;
    Ok(())
}

/// The server's publishable key, read with the secret key (`GET /v1/instance`).
async fn publishable_key_of(api_url: &str) -> Result<String, Box<dyn std::error::Error>> {
    let clerk = Clerk::builder()
        .secret_key(std::env::var("CLERK_SECRET_KEY")?)
        .base_url(api_url)
        .build()?;
    let instance: Value = clerk.request(Method::GET, "/instance", &[], None).await?;
    Ok(instance["publishable_key"]
        .as_str()
        .ok_or("the server has no publishable key")?
        .to_owned())
}

fn app(page: Page, verifier: Verifier) -> Router {
    let api = Router::new()
        .route("/api/me", get(me))
        .layer(ClerkLayer::new(verifier).require_signed_in());
    Router::new()
        .route("/", get(index))
        .route("/clerk-js/{*file}", get(clerk_js))
        .with_state(page)
        .merge(api)
}

/// The signed-in user, for a request with a valid session token (401 otherwise).
async fn me(ClerkAuth(claims): ClerkAuth) -> Json<Value> {
    Json(json!({ "user_id": claims.sub, "session_id": claims.sid }))
}

/// A file of clerk-js's `dist/` folder (it loads its chunks from beside itself).
async fn clerk_js(State(page): State<Page>, UrlPath(file): UrlPath<String>) -> Response {
    let relative = Path::new(&file);
    if relative
        .components()
        .any(|c| !matches!(c, Component::Normal(_)))
    {
        return StatusCode::NOT_FOUND.into_response();
    }
    match tokio::fs::read(page.clerk_js_dir.join(relative)).await {
        Ok(bytes) => ([(header::CONTENT_TYPE, "text/javascript")], bytes).into_response(),
        Err(_) => (
            StatusCode::NOT_FOUND,
            "clerk-js not found: run `npm ci` in examples/browser-app",
        )
            .into_response(),
    }
}

/// The page: a sign-in form driven by clerk-js, and a button calling `/api/me` with the
/// session token.
async fn index(State(page): State<Page>) -> Html<String> {
    Html(format!(
        r#"<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Clerk, offline</title></head>
<body>
<main>
  <h1>Clerk, offline</h1>
  <p id="who">Loading…</p>
  <form id="sign-in">
    <label>Email <input id="email" type="email" autocomplete="username" required></label>
    <label>Password <input id="password" type="password" autocomplete="current-password" required></label>
    <button type="submit">Sign in</button>
  </form>
  <button id="call" type="button">Call /api/me</button>
  <button id="sign-out" type="button">Sign out</button>
  <pre id="result"></pre>
</main>
<script src="/clerk-js/clerk.browser.js" data-clerk-publishable-key="{key}" data-clerk-proxy-url="{proxy}"></script>
<script>
const show = () => {{
  document.getElementById('who').textContent = window.Clerk.user
    ? `Signed in as ${{window.Clerk.user.primaryEmailAddress?.emailAddress}}`
    : 'Signed out';
}};
window.addEventListener('load', async () => {{
  await window.Clerk.load({{ telemetry: false }});
  show();
}});
document.getElementById('sign-in').addEventListener('submit', async (event) => {{
  event.preventDefault();
  const result = document.getElementById('result');
  try {{
    const signIn = await window.Clerk.client.signIn.create({{
      identifier: document.getElementById('email').value,
      password: document.getElementById('password').value,
    }});
    await window.Clerk.setActive({{ session: signIn.createdSessionId }});
    result.textContent = '';
  }} catch (err) {{
    result.textContent = err.errors?.[0]?.longMessage ?? String(err);
  }}
  show();
}});
document.getElementById('call').addEventListener('click', async () => {{
  const token = await window.Clerk.session?.getToken();
  const answer = await fetch('/api/me', {{ headers: token ? {{ Authorization: `Bearer ${{token}}` }} : {{}} }});
  document.getElementById('result').textContent = `${{answer.status}} ${{await answer.text()}}`;
}});
document.getElementById('sign-out').addEventListener('click', async () => {{
  await window.Clerk.signOut(() => {{}});
  show();
}});
</script>
</body>
</html>
"#,
        key = page.publishable_key,
        proxy = page.proxy_url,
    ))
}
