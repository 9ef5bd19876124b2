use clerk_sdk::{CreateJwtTemplate, ListJwtTemplates, UpdateJwtTemplate};
use serde_json::{Value, json};

use crate::support::MockServer;

fn template(id: &str, name: &str) -> Value {
    json!({
        "object": "jwt_template", "id": id, "name": name, "claims": {"n": "{{user.id}}"},
        "lifetime": 60, "allowed_clock_skew": 5, "custom_signing_key": false,
        "signing_algorithm": "RS256", "created_at": 1, "updated_at": 2
    })
}

#[tokio::test]
async fn jwt_templates_list_get_create_update_delete_and_mint() {
    let server = MockServer::start().await;
    let clerk = server.clerk();

    server.respond_json(
        200,
        json!({"data": [template("jtmp_1", "a")], "total_count": 1}),
    );
    let page = clerk
        .jwt_templates()
        .list(ListJwtTemplates::new().limit(5))
        .await
        .unwrap();
    assert_eq!(page.total_count, Some(1));
    assert_eq!(page.data[0].name, "a");
    server.requests()[0].assert_request(
        "GET",
        "/v1/jwt_templates",
        Some("paginated=true&limit=5"),
        None,
    );

    server.respond_json(200, template("jtmp_1", "a"));
    let one = clerk.jwt_templates().get("jtmp_1").await.unwrap();
    assert_eq!(one.claims["n"], "{{user.id}}");
    server.requests()[1].assert_request("GET", "/v1/jwt_templates/jtmp_1", None, None);

    server.respond_json(200, template("jtmp_2", "b"));
    let claims = json!({"n": "{{user.id}}"}).as_object().unwrap().clone();
    clerk
        .jwt_templates()
        .create(
            CreateJwtTemplate::new("b", claims.clone())
                .lifetime(120)
                .allowed_clock_skew(0)
                .custom_signing_key("HS256", "s3cret"),
        )
        .await
        .unwrap();
    server.requests()[2].assert_request(
        "POST",
        "/v1/jwt_templates",
        None,
        Some(
            json!({"name": "b", "claims": {"n": "{{user.id}}"}, "lifetime": 120,
                    "allowed_clock_skew": 0, "custom_signing_key": true,
                    "signing_algorithm": "HS256", "signing_key": "s3cret"}),
        ),
    );

    server.respond_json(200, template("jtmp_2", "c"));
    clerk
        .jwt_templates()
        .update(
            "jtmp_2",
            UpdateJwtTemplate::new("c", claims).instance_signing_key(),
        )
        .await
        .unwrap();
    server.requests()[3].assert_request(
        "PATCH",
        "/v1/jwt_templates/jtmp_2",
        None,
        Some(json!({"name": "c", "claims": {"n": "{{user.id}}"}, "custom_signing_key": false})),
    );

    server.respond_json(
        200,
        json!({"object": "jwt_template", "id": "jtmp_2", "deleted": true}),
    );
    let deleted = clerk.jwt_templates().delete("jtmp_2").await.unwrap();
    assert!(deleted.deleted);
    server.requests()[4].assert_request("DELETE", "/v1/jwt_templates/jtmp_2", None, None);

    server.respond_json(200, json!({"object": "token", "jwt": "a.b.c"}));
    let token = clerk
        .sessions()
        .create_token_from_template("sess_1", "c", Some(90))
        .await
        .unwrap();
    assert_eq!(token.jwt.as_deref(), Some("a.b.c"));
    server.requests()[5].assert_request(
        "POST",
        "/v1/sessions/sess_1/tokens/c",
        None,
        Some(json!({"expires_in_seconds": 90})),
    );
}
