//! The pure rules of browser cookies: the suffix, which cookies count, the request URL.

use super::*;

fn unsigned(payload: serde_json::Value) -> String {
    let enc = |v: &serde_json::Value| URL_SAFE_NO_PAD.encode(v.to_string());
    format!(
        "{}.{}.sig",
        enc(&serde_json::json!({"alg": "RS256", "kid": "k"})),
        enc(&payload)
    )
}

fn config(key: &str) -> BrowserConfig {
    BrowserConfig::new(key, Some("http://127.0.0.1:8080/__clerk/")).unwrap()
}

fn cookies(header: &str) -> HeaderMap {
    let mut headers = HeaderMap::new();
    headers.insert(COOKIE, header.parse().unwrap());
    headers
}

const KEY: &str = "pk_test_MTI3LjAuMC4xOjgwODAk";

#[test]
fn the_suffix_is_clerks() {
    // base64(SHA-1("pk_test_MTI3LjAuMC4xOjgwODAk")) computed independently with openssl.
    assert_eq!(cookie_suffix(KEY), "jhCTtJ4x");
    assert_ne!(cookie_suffix("pk_test_other"), "jhCTtJ4x");
}

#[test]
fn publishable_keys_are_checked() {
    let c = config(KEY);
    assert_eq!(c.key_frontend_api, "127.0.0.1:8080");
    assert!(!c.production);
    assert_eq!(c.frontend_api.as_str(), "http://127.0.0.1:8080/__clerk");
    let default = BrowserConfig::new(KEY, None).unwrap();
    assert_eq!(default.frontend_api.as_str(), "https://127.0.0.1:8080/");
    for bad in ["sk_test_x", "pk_test_", "pk_test_!!!", "pk_test_YWJj"] {
        assert!(BrowserConfig::new(bad, None).is_err(), "{bad}");
    }
    assert!(BrowserConfig::new(KEY, Some("ftp://x")).is_err());
    // pk_live_ + base64("clerk.example.com$")
    let live = BrowserConfig::new("pk_live_Y2xlcmsuZXhhbXBsZS5jb20k", None).unwrap();
    assert!(live.production);
}

#[test]
fn which_cookies_count() {
    let c = config(KEY);
    let s = c.suffix.clone();
    let now = 1_000;
    let ours = |iat: i64, exp: i64| {
        unsigned(serde_json::json!({"iss": "http://127.0.0.1:8080", "iat": iat, "exp": exp}))
    };
    let foreign = unsigned(serde_json::json!({"iss": "https://other.example", "iat": 1}));
    let no_iss = unsigned(serde_json::json!({"iat": 1}));
    let cases: Vec<(String, bool)> = vec![
        (String::new(), false),
        ("__session=a; __client_uat=5".into(), false),
        (
            format!("__client_uat_{s}=5; __session_{s}={}", ours(10, 2000)),
            true,
        ),
        (format!("__session={no_iss}; __client_uat_{s}=5"), false),
        (format!("__session={foreign}"), true),
        // The unsuffixed session is newer: it wins.
        (
            format!(
                "__session={}; __client_uat=5; __session_{s}={}; __client_uat_{s}=5",
                ours(20, 2000),
                ours(10, 2000)
            ),
            false,
        ),
        (
            format!(
                "__session={}; __client_uat=5; __session_{s}={}; __client_uat_{s}=5",
                ours(10, 2000),
                ours(20, 2000)
            ),
            true,
        ),
        // Signed out under the suffix, signed in without it.
        (format!("__client_uat=5; __client_uat_{s}=0"), false),
        // Development: an expired suffixed session while the unsuffixed client is signed out.
        (
            format!(
                "__client_uat=0; __client_uat_{s}=5; __session_{s}={}",
                ours(10, 500)
            ),
            false,
        ),
        (
            format!(
                "__client_uat=0; __client_uat_{s}=5; __session_{s}={}",
                ours(10, 2000)
            ),
            true,
        ),
        // A suffixed session without a suffixed uat.
        (format!("__session_{s}={}", ours(10, 2000)), false),
    ];
    for (header, expected) in cases {
        let headers = cookies(&header);
        let parsed = Cookies::parse(&headers);
        assert_eq!(
            uses_suffixed_cookies(&parsed, &c, now),
            expected,
            "{header}"
        );
    }
}

#[test]
fn client_uat_parses_like_parse_int() {
    assert_eq!(parse_uat(None), 0);
    assert_eq!(parse_uat(Some("")), 0);
    assert_eq!(parse_uat(Some("abc")), 0);
    assert_eq!(parse_uat(Some("1700000000")), 1_700_000_000);
    assert_eq!(parse_uat(Some("17x")), 17);
}

#[test]
fn the_request_url_comes_from_host_and_path() {
    let parts = |uri: &str, headers: &[(&str, &str)]| {
        let mut request = http::Request::builder().uri(uri);
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        request.body(()).unwrap().into_parts().0
    };
    let url = |p: &Parts| request_url(p).map(String::from);
    assert_eq!(
        url(&parts(
            "/page?a=1&__clerk_db_jwt=x",
            &[("host", "127.0.0.1:3000")]
        ))
        .as_deref(),
        Some("http://127.0.0.1:3000/page?a=1")
    );
    assert_eq!(
        url(&parts(
            "/p?__clerk_db_jwt=x",
            &[("host", "app.example"), ("x-forwarded-proto", "https")]
        ))
        .as_deref(),
        Some("https://app.example/p")
    );
    assert_eq!(url(&parts("/p", &[])), None);
    assert_eq!(
        url(&parts("https://app.example/x", &[])).as_deref(),
        Some("https://app.example/x")
    );
}

#[test]
fn only_page_loads_get_a_handshake() {
    let parts = |method: &str, headers: &[(&str, &str)]| {
        let mut request = http::Request::builder().method(method).uri("/");
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        request.body(()).unwrap().into_parts().0
    };
    assert!(is_document_request(&parts(
        "GET",
        &[("sec-fetch-dest", "document")]
    )));
    assert!(is_document_request(&parts(
        "GET",
        &[("sec-fetch-dest", "iframe")]
    )));
    assert!(is_document_request(&parts(
        "GET",
        &[("accept", "text/html,*/*")]
    )));
    assert!(!is_document_request(&parts(
        "GET",
        &[("sec-fetch-dest", "empty"), ("accept", "text/html")]
    )));
    assert!(!is_document_request(&parts(
        "POST",
        &[("sec-fetch-dest", "document")]
    )));
    assert!(!is_document_request(&parts("GET", &[])));
}
