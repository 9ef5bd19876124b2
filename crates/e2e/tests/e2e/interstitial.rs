//! `GET /v1/public/interstitial` through the SDK (the proxy checks the status; the page
//! is HTML, which the spec gives no schema).

use clerk_sdk::GetInterstitial;
use e2e::each_backend;

use crate::support::api_error;

#[tokio::test]
async fn the_interstitial_page_loads_clerk_js_for_the_instance() {
    each_backend(async |env| {
        // pk_test_ + base64("clerk.example.com$")
        let key = "pk_test_Y2xlcmsuZXhhbXBsZS5jb20k";
        let html = env
            .clerk
            .interstitial(GetInterstitial::new().publishable_key(key))
            .await
            .unwrap();
        assert!(html.starts_with("<!DOCTYPE html>"), "{html}");
        assert!(
            html.contains("https://clerk.example.com/npm/@clerk/clerk-js@5/dist/clerk.browser.js")
        );
        // The documented error: the instance must be named.
        api_error(
            env.clerk.interstitial(GetInterstitial::new()).await,
            400,
            "form_param_missing",
        );
    })
    .await;
}
