use clerk_sdk::{CreateSession, CreateSessionToken, ListSessions, SessionStatus};
use serde_json::json;

use crate::support::{MockServer, fixtures};

#[tokio::test]
async fn list_by_user_client_and_status() {
    let server = MockServer::start().await;
    let clerk = server.clerk();
    server.respond_json(
        200,
        json!({"data": [fixtures::session("sess_1")], "total_count": 1}),
    );
    let page = clerk
        .sessions()
        .list(ListSessions::new().user_id("user_1"))
        .await
        .unwrap();
    assert_eq!(page.data[0].status, SessionStatus::Active);
    server.requests()[0].assert_request(
        "GET",
        "/v1/sessions",
        Some("user_id=user_1&paginated=true"),
        None,
    );

    server.respond_json(200, json!({"data": [], "total_count": 0}));
    clerk
        .sessions()
        .list(
            ListSessions::new()
                .client_id("client_1")
                .status(SessionStatus::Active)
                .limit(3)
                .offset(6),
        )
        .await
        .unwrap();
    server.requests()[1].assert_request(
        "GET",
        "/v1/sessions",
        Some("client_id=client_1&status=active&paginated=true&limit=3&offset=6"),
        None,
    );
}

#[tokio::test]
async fn get_revoke_create() {
    let server = MockServer::start().await;
    let clerk = server.clerk();

    server.respond_json(200, fixtures::session("sess_1"));
    clerk.sessions().get("sess_1").await.unwrap();
    server.requests()[0].assert_request("GET", "/v1/sessions/sess_1", None, None);

    let mut revoked = fixtures::session("sess_1");
    revoked["status"] = json!("revoked");
    server.respond_json(200, revoked);
    let session = clerk.sessions().revoke("sess_1").await.unwrap();
    assert_eq!(session.status, SessionStatus::Revoked);
    server.requests()[1].assert_request("POST", "/v1/sessions/sess_1/revoke", None, None);

    server.respond_json(200, fixtures::session("sess_2"));
    clerk
        .sessions()
        .create(CreateSession::new("user_1").active_organization_id("org_1"))
        .await
        .unwrap();
    server.requests()[2].assert_request(
        "POST",
        "/v1/sessions",
        None,
        Some(json!({"user_id": "user_1", "active_organization_id": "org_1"})),
    );
}

#[tokio::test]
async fn tokens_with_and_without_template() {
    let server = MockServer::start().await;
    let clerk = server.clerk();

    server.respond_json(200, fixtures::token());
    let token = clerk
        .sessions()
        .create_token("sess_1", CreateSessionToken::new())
        .await
        .unwrap();
    assert!(token.jwt.unwrap().starts_with("eyJ"));
    server.requests()[0].assert_request(
        "POST",
        "/v1/sessions/sess_1/tokens",
        None,
        Some(json!({})),
    );

    server.respond_json(200, fixtures::token());
    clerk
        .sessions()
        .create_token("sess_1", CreateSessionToken::new().expires_in_seconds(120))
        .await
        .unwrap();
    server.requests()[1].assert_request(
        "POST",
        "/v1/sessions/sess_1/tokens",
        None,
        Some(json!({"expires_in_seconds": 120})),
    );

    server.respond_json(200, fixtures::token());
    clerk
        .sessions()
        .create_token(
            "sess_1",
            CreateSessionToken::new()
                .template("my template")
                .expires_in_seconds(60),
        )
        .await
        .unwrap();
    server.requests()[2].assert_request(
        "POST",
        "/v1/sessions/sess_1/tokens/my%20template",
        None,
        Some(json!({"expires_in_seconds": 60})),
    );
}

#[tokio::test]
async fn refresh_sends_the_tokens_and_reads_both_formats() {
    let server = MockServer::start().await;
    server
        .respond_json(200, json!({"object": "token", "jwt": "eyJ.a.b"}))
        .respond_json(
            200,
            json!({"object": "cookies", "cookies": ["__session=eyJ.c.d; Path=/"]}),
        );
    let clerk = server.clerk();
    let params = clerk_sdk::RefreshSession::new("eyJ.old", "refresh-1", "https://app.example");
    let answer = clerk.sessions().refresh("sess_1", params).await.unwrap();
    assert_eq!(answer.session_token(), Some("eyJ.a.b"));
    let headers = json!({"user-agent": ["curl/8"]});
    let params = clerk_sdk::RefreshSession::new("eyJ.old", "refresh-1", "https://app.example")
        .format(clerk_sdk::RefreshFormat::Cookie)
        .request_headers(headers.as_object().unwrap().clone())
        .request_originating_ip("203.0.113.7");
    let answer = clerk.sessions().refresh("sess_1", params).await.unwrap();
    assert_eq!(answer.cookies.len(), 1);
    assert_eq!(answer.session_token(), Some("eyJ.c.d"));

    let requests = server.requests();
    requests[0].assert_target("POST", "/v1/sessions/sess_1/refresh", None);
    assert_eq!(
        requests[0].json(),
        json!({"expired_token": "eyJ.old", "refresh_token": "refresh-1",
               "request_origin": "https://app.example"})
    );
    assert_eq!(
        requests[1].json(),
        json!({"expired_token": "eyJ.old", "refresh_token": "refresh-1",
               "request_origin": "https://app.example", "format": "cookie",
               "request_headers": {"user-agent": ["curl/8"]},
               "request_originating_ip": "203.0.113.7"})
    );
}

#[tokio::test]
async fn interstitial_sends_its_query_and_answers_the_html() {
    let server = MockServer::start().await;
    server.respond(crate::support::Canned::text(
        200,
        "<!DOCTYPE html><html></html>",
    ));
    let html = server
        .clerk()
        .interstitial(
            clerk_sdk::GetInterstitial::new()
                .publishable_key("pk_test_abc")
                .proxy_url("https://app.example/__clerk")
                .use_domain_for_script(false),
        )
        .await
        .unwrap();
    assert_eq!(html, "<!DOCTYPE html><html></html>");
    server.only_request().assert_target(
        "GET",
        "/v1/public/interstitial",
        Some("publishable_key=pk_test_abc&proxy_url=https%3A%2F%2Fapp.example%2F__clerk&use_domain_for_script=false"),
    );
}
