//! `GET /v1/public/interstitial`: public, HTML, for the instance the query names.

use crate::common::{Api, each_backend, http_client};

#[tokio::test]
async fn the_interstitial_is_public_html_that_loads_clerk_js() {
    each_backend(async |api: &mut Api| {
        // pk_test_ + base64("clerk.example.com$")
        let key = "pk_test_Y2xlcmsuZXhhbXBsZS5jb20k";
        let url = api.url(&format!("/v1/public/interstitial?publishable_key={key}"));
        let page = http_client().get(&url).send().await.unwrap();
        assert_eq!(page.status(), 200);
        assert_eq!(page.headers()["content-type"], "text/html; charset=utf-8");
        assert_eq!(page.headers()["cache-control"], "no-store");
        let html = page.text().await.unwrap();
        assert!(html.starts_with("<!DOCTYPE html>"), "{html}");
        assert!(
            html.contains(
                "src=\"https://clerk.example.com/npm/@clerk/clerk-js@5/dist/clerk.browser.js\""
            ),
            "{html}"
        );
        assert!(html.contains(&format!("data-clerk-publishable-key=\"{key}\"")));
        assert!(html.contains("window.Clerk.load("));

        let url = api.url("/v1/public/interstitial?frontendApi=localhost:3000&proxy_url=http://localhost:3000/__clerk");
        let html = http_client().get(&url).send().await.unwrap().text().await.unwrap();
        assert!(html.contains("src=\"http://localhost:3000/__clerk/npm/"), "{html}");

        // Errors: Clerk's error JSON, 400.
        api.get("/v1/public/interstitial")
            .await
            .err(400, "form_param_missing");
        api.get("/v1/public/interstitial?publishable_key=pk_test_garbage")
            .await
            .err(400, "form_param_format_invalid");
        api.get("/v1/public/interstitial?frontend_api=a.example&use_domain_for_script=maybe")
            .await
            .err(400, "form_param_format_invalid");
        // An unreadable query is 400 too (the operation declares no 422).
        api.get("/v1/public/interstitial?frontend_api=a%00b")
            .await
            .err(400, "form_param_format_invalid");
        // Other routes still need the secret key.
        let other = http_client().get(api.url("/v1/users")).send().await.unwrap();
        assert_eq!(other.status(), 401);
    })
    .await;
}
