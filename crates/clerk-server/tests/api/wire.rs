//! The rules of the wire: authentication, API versions, errors, content types, body limits.

use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::common::{Api, each_backend, each_backend_with, http_client};

#[tokio::test]
async fn every_v1_route_needs_the_secret_key() {
    each_backend(async |api: &mut Api| {
        let http = http_client();
        let routes = [
            ("GET", "/v1/users"),
            ("POST", "/v1/users"),
            ("GET", "/v1/users/count"),
            ("GET", "/v1/users/user_x"),
            ("GET", "/v1/sessions?user_id=user_x"),
            ("GET", "/v1/clients"),
            ("GET", "/v1/allowlist_identifiers"),
            ("GET", "/v1/jwks"),
            ("PATCH", "/v1/instance"),
            ("GET", "/v1/_local/outbox"),
            ("POST", "/v1/_local/keys/rotate"),
        ];
        for (method, path) in routes {
            let method: reqwest::Method = method.parse().unwrap();
            let without = api.send(http.request(method.clone(), api.url(path))).await;
            without.err(401, "clerk_key_invalid");
            let wrong = api
                .send(
                    http.request(method.clone(), api.url(path))
                        .bearer_auth("sk_test_wrong"),
                )
                .await;
            wrong.err(401, "clerk_key_invalid");
            let basic = api
                .send(http.request(method, api.url(path)).header(
                    "Authorization",
                    format!("Basic {}", api.server.secret_key()),
                ))
                .await;
            basic.err(401, "clerk_key_invalid");
        }
        // Nothing was created by the refused POST.
        assert_eq!(api.get("/v1/users/count").await.ok()["total_count"], 0);
        // The scheme is case-insensitive.
        let lower = api
            .send(http.get(api.url("/v1/users")).header(
                "authorization",
                format!("bearer {}", api.server.secret_key()),
            ))
            .await;
        assert!(lower.ok().is_array());
    })
    .await;
}

#[tokio::test]
async fn header_names_are_case_insensitive_on_the_wire() {
    each_backend(async |api: &mut Api| {
        // reqwest lowercases header names, so speak HTTP/1.1 by hand.
        let addr = api.server.base_url().trim_start_matches("http://").to_owned();
        let mut stream = tokio::net::TcpStream::connect(&addr).await.unwrap();
        let request = format!(
            "GET /v1/users/count HTTP/1.1\r\nHost: {addr}\r\nAUTHORIZATION: Bearer {}\r\nCLERK-API-VERSION: 2025-11-10\r\nX-Clerk-SDK: python/7.0.0\r\nConnection: close\r\n\r\n",
            api.server.secret_key()
        );
        stream.write_all(request.as_bytes()).await.unwrap();
        let mut response = String::new();
        stream.read_to_string(&mut response).await.unwrap();
        assert!(response.starts_with("HTTP/1.1 200"), "{response}");
        assert!(response.to_ascii_lowercase().contains("content-type: application/json\r\n"), "{response}");
        assert!(response.contains(r#"{"object":"total_count","total_count":0}"#), "{response}");
    })
    .await;
}

/// Sends `head` (a request without its body), waits for the answer, and returns it.
async fn answer_before_body(addr: &str, head: &str) -> String {
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    stream.write_all(head.as_bytes()).await.unwrap();
    let mut answer = vec![0; 4096];
    let n = tokio::time::timeout(std::time::Duration::from_secs(10), stream.read(&mut answer))
        .await
        .expect("an answer before the body")
        .unwrap();
    String::from_utf8_lossy(&answer[..n]).to_ascii_lowercase()
}

#[tokio::test]
async fn a_response_that_leaves_the_body_unread_closes_the_connection() {
    // Python's client sends the body after the headers; hyper drops a connection whose
    // request body was left unread, so without `Connection: close` the client's next
    // request went into a closed socket ("Server disconnected without sending a response").
    each_backend(async |api: &mut Api| {
        let addr = api.server.base_url().trim_start_matches("http://").to_owned();
        let key = api.server.secret_key().to_owned();
        let unknown_route = answer_before_body(
            &addr,
            &format!(
                "POST /v1/beta_features/change_domain HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {key}\r\nContent-Type: application/json\r\nContent-Length: 40\r\n\r\n"
            ),
        )
        .await;
        assert!(unknown_route.starts_with("http/1.1 404"), "{unknown_route}");
        assert!(unknown_route.contains("\r\nconnection: close\r\n"), "{unknown_route}");
        let bad_key = answer_before_body(
            &addr,
            &format!(
                "POST /v1/users HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer sk_test_nope\r\nContent-Length: 2\r\n\r\n"
            ),
        )
        .await;
        assert!(bad_key.starts_with("http/1.1 401"), "{bad_key}");
        assert!(bad_key.contains("\r\nconnection: close\r\n"), "{bad_key}");

        // A body that was read, or no body: the connection stays open for the next one.
        let created = api.post("/v1/users", json!({"first_name": "Kept"})).await;
        assert_eq!(created.status, 200);
        assert!(created.headers.get("connection").is_none(), "{:?}", created.headers);
        let missing = api.get("/v1/nothing_here").await;
        assert_eq!(missing.status, 404);
        assert!(missing.headers.get("connection").is_none(), "{:?}", missing.headers);
        let unread = api.post("/v1/nothing_here", json!({"a": 1})).await;
        assert_eq!(unread.status, 404);
    })
    .await;
}

#[tokio::test]
async fn api_versions() {
    each_backend(async |api: &mut Api| {
        for version in [
            "2021-02-05",
            "2024-10-01",
            "2025-03-12",
            "2025-04-10",
            "2025-11-10",
            "2026-05-12",
        ] {
            api.version(version);
            api.get("/v1/users").await.ok();
        }
        api.version("2025-01-01");
        let resp = api.get("/v1/users").await;
        resp.err(400, "api_version_invalid");
        api.version("v1");
        api.get("/v1/users").await.err(400, "api_version_invalid");
        // The query parameter works alone, and not together with the header.
        api.version("2026-05-12");
        api.get("/v1/users?__clerk_api_version=2026-05-12")
            .await
            .err(400, "api_version_invalid");
        let resp = api
            .send(
                http_client()
                    .get(api.url("/v1/users?__clerk_api_version=2025-04-10"))
                    .bearer_auth(api.server.secret_key()),
            )
            .await;
        resp.ok();
        let resp = api
            .send(
                http_client()
                    .get(api.url("/v1/users?__clerk_api_version=1999-01-01"))
                    .bearer_auth(api.server.secret_key()),
            )
            .await;
        resp.err(400, "api_version_invalid");
        // A bad key is reported before a bad version.
        let resp = api
            .send(
                http_client()
                    .get(api.url("/v1/users"))
                    .bearer_auth("sk_test_nope")
                    .header("Clerk-API-Version", "bogus"),
            )
            .await;
        resp.err(401, "clerk_key_invalid");
    })
    .await;
}

#[tokio::test]
async fn unknown_routes_and_methods_answer_in_clerk_format() {
    each_backend(async |api: &mut Api| {
        api.get("/v1/nothing_here")
            .await
            .err(404, "resource_not_found");
        api.get("/nothing").await.err(404, "resource_not_found");
        let resp = api
            .send(api.request(reqwest::Method::PUT, "/v1/users"))
            .await;
        assert_eq!(resp.status, 405);
        assert_eq!(resp.content_type(), "application/json");
        assert!(resp.json["errors"][0]["code"].is_string());
        assert!(resp.trace_id().is_some());
    })
    .await;
}

#[tokio::test]
async fn oversized_bodies_are_413_and_change_nothing() {
    each_backend_with(
        || clerk_server::Config::default().with_max_body_bytes(1024),
        async |api: &mut Api| {
            let big = "x".repeat(2048);
            let resp = api.post("/v1/users", json!({"first_name": big})).await;
            resp.err(413, "request_body_too_large");
            // Chunked bodies without a length are cut off too.
            let stream = futures_util::stream::iter(
                (0..8).map(|_| Ok::<_, std::io::Error>(bytes::Bytes::from(vec![b' '; 512]))),
            );
            let resp = api
                .send(
                    api.request(reqwest::Method::POST, "/v1/users")
                        .header("Content-Type", "application/json")
                        .body(reqwest::Body::wrap_stream(stream)),
                )
                .await;
            resp.err(413, "request_body_too_large");
            assert_eq!(api.get("/v1/users/count").await.ok()["total_count"], 0);
            api.post("/v1/users", json!({"first_name": "small"}))
                .await
                .ok();
        },
    )
    .await;
}

#[tokio::test]
async fn every_response_is_exact_json_with_a_trace_id() {
    each_backend(async |api: &mut Api| {
        let a = api.get("/v1/users").await;
        let b = api.get("/v1/users").await;
        a.ok();
        assert_ne!(a.trace_id(), b.trace_id(), "trace ids are per request");
        let err = api.get("/v1/users/user_missing").await;
        let first = err.err(404, "resource_not_found");
        assert_eq!(
            first["long_message"],
            "No user was found with id user_missing"
        );
        assert_eq!(err.json["meta"], json!({}));
        let id = err.json["clerk_trace_id"].as_str().unwrap();
        assert_eq!(id.len(), 32);
    })
    .await;
}
