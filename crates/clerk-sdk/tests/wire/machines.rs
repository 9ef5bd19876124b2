use clerk_sdk::{
    Clerk, CreateM2mToken, CreateMachine, ListM2mTokens, ListMachines, RetryPolicy, UpdateMachine,
};
use serde_json::{Value, json};

use crate::support::MockServer;

fn machine(id: &str, name: &str) -> Value {
    json!({
        "object": "machine", "id": id, "name": name, "instance_id": "ins_1",
        "default_token_ttl": 3600, "created_at": 1, "updated_at": 2,
        "scoped_machines": [{
            "object": "machine", "id": "mch_2", "name": "b", "instance_id": "ins_1",
            "default_token_ttl": 3600, "created_at": 1, "updated_at": 1
        }]
    })
}

fn token(id: &str) -> Value {
    json!({
        "object": "machine_to_machine_token", "id": id, "subject": "mch_1",
        "claims": null, "scopes": ["mch_2"], "revoked": false, "revocation_reason": null,
        "expired": false, "expiration": 10, "last_used_at": null, "created_at": 1,
        "updated_at": 1
    })
}

#[tokio::test]
async fn machines_every_operation() {
    let server = MockServer::start().await;
    let clerk = server.clerk();

    server.respond_json(
        200,
        json!({"data": [machine("mch_1", "a")], "total_count": 1}),
    );
    let page = clerk
        .machines()
        .list(ListMachines::new().query("a b").order_by("-name").limit(5))
        .await
        .unwrap();
    assert_eq!(page.total_count, Some(1));
    assert_eq!(page.data[0].scoped_machines[0].id, "mch_2");
    server.requests()[0].assert_request(
        "GET",
        "/v1/machines",
        Some("query=a+b&order_by=-name&limit=5"),
        None,
    );

    let mut created = machine("mch_1", "a");
    created["secret_key"] = json!("ak_secret");
    server.respond_json(200, created);
    let m = clerk
        .machines()
        .create(
            CreateMachine::new("a")
                .scoped_machines(["mch_2"])
                .default_token_ttl(60),
        )
        .await
        .unwrap();
    assert_eq!(m.secret_key.as_deref(), Some("ak_secret"));
    assert!(!format!("{m:?}").contains("ak_secret"));
    server.requests()[1].assert_request(
        "POST",
        "/v1/machines",
        None,
        Some(json!({"name": "a", "scoped_machines": ["mch_2"], "default_token_ttl": 60})),
    );

    server.respond_json(200, machine("mch_1", "a"));
    clerk.machines().get("mch_1").await.unwrap();
    server.requests()[2].assert_request("GET", "/v1/machines/mch_1", None, None);

    server.respond_json(200, machine("mch_1", "z"));
    clerk
        .machines()
        .update("mch_1", UpdateMachine::new().name("z"))
        .await
        .unwrap();
    server.requests()[3].assert_request(
        "PATCH",
        "/v1/machines/mch_1",
        None,
        Some(json!({"name": "z"})),
    );

    server.respond_json(
        200,
        json!({"object": "machine", "id": "mch_1", "deleted": true}),
    );
    assert!(clerk.machines().delete("mch_1").await.unwrap().deleted);
    server.requests()[4].assert_request("DELETE", "/v1/machines/mch_1", None, None);

    server.respond_json(
        200,
        json!({"object": "machine_secret_key", "secret": "ak_x"}),
    );
    assert_eq!(
        clerk.machines().secret_key("mch_1").await.unwrap().secret,
        "ak_x"
    );
    server.requests()[5].assert_request("GET", "/v1/machines/mch_1/secret_key", None, None);

    server.respond_json(
        200,
        json!({"object": "machine_secret_key", "secret": "ak_y"}),
    );
    clerk
        .machines()
        .rotate_secret_key("mch_1", 60)
        .await
        .unwrap();
    server.requests()[6].assert_request(
        "POST",
        "/v1/machines/mch_1/secret_key/rotate",
        None,
        Some(json!({"previous_token_ttl": 60})),
    );

    server.respond_json(
        200,
        json!({"object": "machine_scope", "from_machine_id": "mch_1", "to_machine_id": "mch_2", "created_at": 3}),
    );
    let scope = clerk.machines().add_scope("mch_1", "mch_2").await.unwrap();
    assert_eq!(scope.created_at, Some(3));
    server.requests()[7].assert_request(
        "POST",
        "/v1/machines/mch_1/scopes",
        None,
        Some(json!({"to_machine_id": "mch_2"})),
    );

    server.respond_json(
        200,
        json!({"object": "machine_scope", "from_machine_id": "mch_1", "to_machine_id": "mch_2", "deleted": true}),
    );
    assert!(
        clerk
            .machines()
            .remove_scope("mch_1", "mch_2")
            .await
            .unwrap()
            .deleted
    );
    server.requests()[8].assert_request("DELETE", "/v1/machines/mch_1/scopes/mch_2", None, None);
}

#[tokio::test]
async fn m2m_tokens_send_the_machine_key_when_given() {
    let server = MockServer::start().await;
    let clerk = server.clerk();

    let mut created = token("mt_1");
    created["token"] = json!("mt_secretvalue");
    server.respond_json(201, created);
    let tokens = clerk
        .m2m_tokens()
        .with_machine_secret_key("ak_machine")
        .unwrap();
    let t = tokens
        .create(
            CreateM2mToken::new()
                .seconds_until_expiration(60)
                .claims(json!({"a": 1}))
                .jwt(),
        )
        .await
        .unwrap();
    assert_eq!(t.token.as_deref(), Some("mt_secretvalue"));
    assert!(!format!("{t:?}").contains("mt_secretvalue"));
    let request = &server.requests()[0];
    request.assert_target("POST", "/v1/m2m_tokens", None);
    assert_eq!(request.header("authorization"), Some("Bearer ak_machine"));
    assert_eq!(
        request.json(),
        json!({"token_format": "jwt", "seconds_until_expiration": 60, "claims": {"a": 1}})
    );

    server.respond_json(
        200,
        json!({"m2m_tokens": [token("mt_1")], "total_count": 1}),
    );
    let list = tokens
        .list(
            ListM2mTokens::new()
                .subject("mch_1")
                .revoked(true)
                .limit(10),
        )
        .await
        .unwrap();
    assert_eq!(list.total_count.as_i64(), Some(1));
    assert_eq!(list.m2m_tokens[0].scopes, ["mch_2"]);
    server.requests()[1].assert_target(
        "GET",
        "/v1/m2m_tokens",
        Some("subject=mch_1&revoked=true&limit=10"),
    );

    // Without a machine key: the instance's secret key.
    server.respond_json(200, token("mt_1"));
    clerk
        .m2m_tokens()
        .revoke("mt_1", Some("leaked"))
        .await
        .unwrap();
    server.requests()[2].assert_request(
        "POST",
        "/v1/m2m_tokens/mt_1/revoke",
        None,
        Some(json!({"revocation_reason": "leaked"})),
    );

    server.respond_json(200, token("mt_1"));
    clerk.m2m_tokens().verify("mt_value").await.unwrap();
    server.requests()[3].assert_request(
        "POST",
        "/v1/m2m_tokens/verify",
        None,
        Some(json!({"token": "mt_value"})),
    );

    // A client with only a machine key reaches the M2M endpoints with it.
    let machine_only = Clerk::builder()
        .base_url(server.url())
        .machine_secret_key("ak_only")
        .retry_policy(RetryPolicy::disabled())
        .build()
        .unwrap();
    server.respond_json(200, token("mt_1"));
    machine_only.m2m_tokens().verify("mt_value").await.unwrap();
    assert_eq!(
        server.requests()[4].header("authorization"),
        Some("Bearer ak_only")
    );
    assert!(matches!(
        machine_only.machines().get("mch_1").await,
        Err(clerk_sdk::Error::MissingSecretKey)
    ));
}
