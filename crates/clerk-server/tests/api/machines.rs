//! Machines, their secret keys and scopes, and M2M tokens.

use std::time::Duration;

use reqwest::Method;
use serde_json::{Value, json};

use crate::common::{Api, Resp, claims, each_backend, jwt_header};

async fn machine(api: &Api, name: &str, scoped: &[&str]) -> Value {
    api.post(
        "/v1/machines",
        json!({"name": name, "scoped_machines": scoped}),
    )
    .await
    .ok()
    .clone()
}

async fn with_key(api: &Api, method: Method, path: &str, key: &str, body: Option<Value>) -> Resp {
    let mut request = api.request_with_key(method, path, key);
    if let Some(body) = body {
        request = request.json(&body);
    }
    api.send(request).await
}

fn str_of<'a>(v: &'a Value, key: &str) -> &'a str {
    v[key].as_str().unwrap_or_else(|| panic!("{key} in {v}"))
}

#[tokio::test]
async fn machine_crud_list_and_not_found() {
    each_backend(async |api: &mut Api| {
        let beta = machine(api, "Beta service", &[]).await;
        let created = api
            .post(
                "/v1/machines",
                json!({"name": "Alpha service", "scoped_machines": [beta["id"]], "default_token_ttl": 60}),
            )
            .await
            .ok()
            .clone();
        assert_eq!(created["object"], "machine");
        let id = str_of(&created, "id").to_owned();
        assert!(id.starts_with("mch_") && id.len() == 31, "{id}");
        assert!(str_of(&created, "secret_key").starts_with("ak_"));
        assert!(str_of(&created, "instance_id").starts_with("ins_"));
        assert_eq!(created["default_token_ttl"], 60);
        assert_eq!(beta["default_token_ttl"], 3600);
        assert_eq!(beta["scoped_machines"], json!([]));
        let scoped = created["scoped_machines"].as_array().unwrap();
        assert_eq!(scoped.len(), 1);
        assert_eq!(scoped[0]["id"], beta["id"]);
        assert_eq!(scoped[0]["object"], "machine");
        assert!(scoped[0].get("scoped_machines").is_none());

        // Clerk's validation.
        let missing = api.post("/v1/machines", json!({})).await;
        missing.err(422, "form_param_missing");
        let long = api.post("/v1/machines", json!({"name": "x".repeat(256)})).await;
        long.err(422, "form_param_value_invalid");
        assert_eq!(long.param(), "name");
        api.post("/v1/machines", json!({"name": "a", "default_token_ttl": 0}))
            .await
            .err(422, "form_param_value_invalid");
        api.post("/v1/machines", json!({"name": "a", "scoped_machines": ["mch_nope"]}))
            .await
            .err(422, "form_param_value_invalid");
        api.post("/v1/machines", json!({"name": "a", "color": "red"}))
            .await
            .err(422, "form_param_unknown");

        // Get answers what create did, without the secret.
        let path = format!("/v1/machines/{id}");
        let got = api.get(&path).await.ok().clone();
        assert!(got.get("secret_key").is_none());
        assert_eq!(got["scoped_machines"], created["scoped_machines"]);
        assert_eq!(got["name"], "Alpha service");

        // The list: always the envelope; query by name part or exact id; order; paging.
        let list = api.get("/v1/machines").await.ok().clone();
        assert_eq!(list["total_count"], 2);
        assert_eq!(list["data"][0]["id"], json!(id), "newest first");
        let by_name = api.get("/v1/machines?query=BETA").await.ok().clone();
        assert_eq!(by_name["total_count"], 1);
        assert_eq!(by_name["data"][0]["id"], beta["id"]);
        let by_id = api.get(&format!("/v1/machines?query={id}")).await.ok().clone();
        assert_eq!(by_id["data"][0]["id"], json!(id));
        let by_name_asc = api.get("/v1/machines?order_by=name").await.ok().clone();
        assert_eq!(by_name_asc["data"][0]["name"], "Alpha service");
        let by_name_desc = api.get("/v1/machines?order_by=-name&limit=1&offset=1").await.ok().clone();
        assert_eq!(by_name_desc["data"][0]["name"], "Alpha service");
        assert_eq!(by_name_desc["total_count"], 2);
        api.get("/v1/machines?order_by=color")
            .await
            .err(422, "form_param_value_invalid");

        // Update.
        let updated = api
            .patch(&path, json!({"name": "Alpha v2", "default_token_ttl": 120}))
            .await
            .ok()
            .clone();
        assert_eq!(updated["name"], "Alpha v2");
        assert_eq!(updated["default_token_ttl"], 120);
        api.patch(&path, json!({"name": ""}))
            .await
            .err(422, "form_param_value_invalid");

        // Delete; then every route names the machine.
        assert_eq!(
            api.delete(&path).await.ok(),
            &json!({"object": "machine", "id": id, "deleted": true})
        );
        let gone = [
            api.get(&path).await,
            api.patch(&path, json!({"name": "x"})).await,
            api.delete(&path).await,
            api.get(&format!("{path}/secret_key")).await,
            api.post(&format!("{path}/secret_key/rotate"), json!({"previous_token_ttl": 0}))
                .await,
            api.post(&format!("{path}/scopes"), json!({"to_machine_id": beta["id"]}))
                .await,
        ];
        for resp in gone {
            let error = resp.err(404, "resource_not_found");
            assert_eq!(error["long_message"], format!("No machine was found with id {id}"));
        }
        // Deleting a machine removes it from the others' scopes.
        assert_eq!(api.get("/v1/machines").await.ok()["total_count"], 1);
    })
    .await;
}

#[tokio::test]
async fn secret_keys_rotate_and_authenticate_only_the_m2m_endpoints() {
    each_backend(async |api: &mut Api| {
        let created = machine(api, "worker", &[]).await;
        let id = str_of(&created, "id").to_owned();
        let first = str_of(&created, "secret_key").to_owned();
        let secret = api
            .get(&format!("/v1/machines/{id}/secret_key"))
            .await
            .ok()
            .clone();
        assert_eq!(
            secret,
            json!({"object": "machine_secret_key", "secret": first})
        );

        // A machine key authenticates the M2M endpoints, nothing else.
        for path in [
            "/v1/users",
            "/v1/machines",
            &format!("/v1/machines/{id}/secret_key"),
        ] {
            with_key(api, Method::GET, path, &first, None)
                .await
                .err(401, "clerk_key_invalid");
        }
        with_key(api, Method::GET, "/m2m_tokens", &first, None)
            .await
            .ok();
        with_key(api, Method::GET, "/m2m_tokens", "ak_wrong", None)
            .await
            .err(401, "clerk_key_invalid");

        // Rotation with a grace period: both keys work until it ends.
        let rotate = format!("/v1/machines/{id}/secret_key/rotate");
        api.post(&rotate, json!({}))
            .await
            .err(422, "form_param_missing");
        api.post(&rotate, json!({"previous_token_ttl": 28_801}))
            .await
            .err(422, "form_param_value_invalid");
        let second = api
            .post(&rotate, json!({"previous_token_ttl": 60}))
            .await
            .ok()
            .clone();
        assert_eq!(second["object"], "machine_secret_key");
        let second = str_of(&second, "secret").to_owned();
        assert_ne!(second, first);
        assert_eq!(
            api.get(&format!("/v1/machines/{id}/secret_key")).await.ok()["secret"],
            json!(second)
        );
        for key in [&first, &second] {
            with_key(api, Method::GET, "/m2m_tokens", key, None)
                .await
                .ok();
        }
        api.server.advance_clock(Duration::from_secs(61));
        with_key(api, Method::GET, "/m2m_tokens", &first, None)
            .await
            .err(401, "clerk_key_invalid");
        with_key(api, Method::GET, "/m2m_tokens", &second, None)
            .await
            .ok();

        // previous_token_ttl 0: the previous key stops at once.
        let third = api
            .post(&rotate, json!({"previous_token_ttl": 0}))
            .await
            .ok()
            .clone();
        with_key(api, Method::GET, "/m2m_tokens", &second, None)
            .await
            .err(401, "clerk_key_invalid");
        with_key(
            api,
            Method::GET,
            "/m2m_tokens",
            str_of(&third, "secret"),
            None,
        )
        .await
        .ok();
    })
    .await;
}

#[tokio::test]
async fn scopes_between_machines() {
    each_backend(async |api: &mut Api| {
        let a = machine(api, "a", &[]).await;
        let b = machine(api, "b", &[]).await;
        let (a_id, b_id) = (str_of(&a, "id"), str_of(&b, "id"));
        let scopes = format!("/v1/machines/{a_id}/scopes");
        let scope = api
            .post(&scopes, json!({"to_machine_id": b_id}))
            .await
            .ok()
            .clone();
        assert_eq!(scope["object"], "machine_scope");
        assert_eq!(scope["from_machine_id"], json!(a_id));
        assert_eq!(scope["to_machine_id"], json!(b_id));
        assert!(scope["created_at"].is_i64());
        assert_eq!(
            api.get(&format!("/v1/machines/{a_id}")).await.ok()["scoped_machines"][0]["id"],
            json!(b_id)
        );
        api.post(&scopes, json!({"to_machine_id": b_id}))
            .await
            .err(409, "duplicate_record");
        api.post(&scopes, json!({"to_machine_id": a_id}))
            .await
            .err(400, "machine_scope_invalid");
        let unknown = api
            .post(&scopes, json!({"to_machine_id": "mch_unknown"}))
            .await;
        assert_eq!(
            unknown.err(404, "resource_not_found")["long_message"],
            "No machine was found with id mch_unknown"
        );
        api.post(&scopes, json!({})).await.err(422, "form_param_missing");

        let one = format!("{scopes}/{b_id}");
        assert_eq!(
            api.delete(&one).await.ok(),
            &json!({"object": "machine_scope", "from_machine_id": a_id, "to_machine_id": b_id, "deleted": true})
        );
        assert_eq!(
            api.delete(&one).await.err(404, "resource_not_found")["long_message"],
            format!("No machine scope was found with id {b_id}")
        );
        assert_eq!(
            api.get(&format!("/v1/machines/{a_id}")).await.ok()["scoped_machines"],
            json!([])
        );
    })
    .await;
}

#[tokio::test]
async fn m2m_tokens_create_list_verify_revoke() {
    each_backend(async |api: &mut Api| {
        let callee = machine(api, "callee", &[]).await;
        let stranger = machine(api, "stranger", &[]).await;
        let caller = machine(api, "caller", &[str_of(&callee, "id")]).await;
        let caller_id = str_of(&caller, "id").to_owned();
        let caller_key = str_of(&caller, "secret_key").to_owned();
        let callee_key = str_of(&callee, "secret_key").to_owned();
        let stranger_key = str_of(&stranger, "secret_key").to_owned();
        let instance_key = api.server.secret_key().to_owned();

        // Creating needs a machine key; with and without /v1.
        api.post("/v1/m2m_tokens", json!({})).await.err(401, "clerk_key_invalid");
        let created = with_key(
            api,
            Method::POST,
            "/m2m_tokens",
            &caller_key,
            Some(json!({"seconds_until_expiration": 60.0, "claims": {"job": "nightly"}, "token_format": "opaque"})),
        )
        .await;
        assert_eq!(created.status, 201, "{}", created.text);
        let created = created.json.clone();
        assert_eq!(created["object"], "machine_to_machine_token");
        let token = str_of(&created, "token").to_owned();
        let token_id = str_of(&created, "id").to_owned();
        assert!(token.starts_with("mt_") && token != token_id);
        assert!(token_id.starts_with("mt_") && token_id.len() == 35);
        assert_eq!(created["subject"], json!(caller_id));
        assert_eq!(created["scopes"], json!([callee["id"]]));
        assert_eq!(created["claims"], json!({"job": "nightly"}));
        assert_eq!(created["revoked"], false);
        assert_eq!(created["expired"], false);
        assert_eq!(created["last_used_at"], Value::Null);
        assert_eq!(
            created["expiration"].as_i64().unwrap() - created["created_at"].as_i64().unwrap(),
            60_000
        );
        let v1 = with_key(api, Method::POST, "/v1/m2m_tokens", &caller_key, Some(json!({"seconds_until_expiration": null, "claims": null, "token_format": "opaque"}))).await;
        assert_eq!(v1.status, 201);
        let default_ttl = &v1.json;
        assert_eq!(
            default_ttl["expiration"].as_i64().unwrap() - default_ttl["created_at"].as_i64().unwrap(),
            3_600_000,
            "the machine's default_token_ttl"
        );
        with_key(api, Method::POST, "/m2m_tokens", &caller_key, Some(json!({"seconds_until_expiration": -1})))
            .await
            .err(400, "form_param_value_invalid");
        with_key(api, Method::POST, "/m2m_tokens", &caller_key, Some(json!({"token_format": "paseto"})))
            .await
            .err(400, "form_param_value_invalid");

        // Reuse: a live token with the same claims and enough time left comes back.
        let reuse = json!({"seconds_until_expiration": 600, "min_remaining_ttl_seconds": 300});
        let first = with_key(api, Method::POST, "/m2m_tokens", &caller_key, Some(reuse.clone())).await;
        let again = with_key(api, Method::POST, "/m2m_tokens", &caller_key, Some(reuse.clone())).await;
        assert_eq!(again.status, 201);
        assert_eq!(first.json["id"], again.json["id"]);
        assert_eq!(
            first.json["id"], default_ttl["id"],
            "the hour-long token without claims has 300 s left"
        );
        assert_eq!(first.json["token"], again.json["token"]);
        with_key(api, Method::POST, "/m2m_tokens", &caller_key, Some(json!({"seconds_until_expiration": 60, "min_remaining_ttl_seconds": 60})))
            .await
            .err(400, "form_param_value_invalid");

        // Verify: the instance key, the subject itself, a machine in its scopes; not others.
        for key in [&instance_key, &caller_key, &callee_key] {
            let verified = with_key(api, Method::POST, "/m2m_tokens/verify", key, Some(json!({"token": token}))).await;
            let verified = verified.ok();
            assert_eq!(verified["id"], json!(token_id));
            assert_eq!(verified["subject"], json!(caller_id));
            assert!(verified.get("token").is_none());
            assert!(verified["last_used_at"].is_i64());
        }
        with_key(api, Method::POST, "/v1/m2m_tokens/verify", &stranger_key, Some(json!({"token": token})))
            .await
            .err(404, "resource_not_found");
        // Python's helper posts {"secret": …}.
        with_key(api, Method::POST, "/m2m_tokens/verify", &instance_key, Some(json!({"secret": token})))
            .await
            .ok();
        // Hostile values: truncated, wrong prefix, unknown, nothing.
        for bad in [&token[..token.len() - 1], &token.replacen("mt_", "ak_", 1), "mt_0000", "garbage"] {
            with_key(api, Method::POST, "/m2m_tokens/verify", &instance_key, Some(json!({"token": bad})))
                .await
                .err(404, "resource_not_found");
        }
        with_key(api, Method::POST, "/m2m_tokens/verify", &instance_key, Some(json!({})))
            .await
            .err(400, "form_param_missing");

        // List: a machine sees its own; the instance any machine's; floats as Python sends.
        let own = with_key(api, Method::GET, "/m2m_tokens?limit=10.0&offset=0.0&revoked=false&expired=false", &caller_key, None).await;
        assert_eq!(own.ok()["total_count"], 2);
        assert_eq!(own.json["m2m_tokens"].as_array().unwrap().len(), 2);
        assert!(own.json["m2m_tokens"][0].get("token").is_none());
        let by_subject = api.get(&format!("/v1/m2m_tokens?subject={caller_id}&limit=1")).await;
        assert_eq!(by_subject.ok()["total_count"], 2);
        assert_eq!(by_subject.json["m2m_tokens"].as_array().unwrap().len(), 1);
        with_key(api, Method::GET, &format!("/m2m_tokens?subject={caller_id}"), &callee_key, None)
            .await
            .err(403, "authorization_invalid");
        assert_eq!(
            with_key(api, Method::GET, "/m2m_tokens", &callee_key, None).await.ok()["total_count"],
            0
        );
        api.get("/v1/m2m_tokens?subject=mch_unknown")
            .await
            .err(404, "resource_not_found");
        api.get("/v1/m2m_tokens?limit=101").await.err(400, "form_param_value_invalid");

        // Revoke: only the subject machine or the instance.
        let revoke = format!("/m2m_tokens/{token_id}/revoke");
        with_key(api, Method::POST, &revoke, &callee_key, Some(json!({})))
            .await
            .err(404, "resource_not_found");
        let revoked = with_key(api, Method::POST, &revoke, &caller_key, Some(json!({"revocation_reason": "rotated"}))).await;
        assert_eq!(revoked.ok()["revoked"], true);
        assert_eq!(revoked.json["revocation_reason"], "rotated");
        with_key(api, Method::POST, "/m2m_tokens/verify", &instance_key, Some(json!({"token": token})))
            .await
            .err(404, "token_revoked");
        let unknown = api.post("/v1/m2m_tokens/mt_00000000000000000000000000000000/revoke", json!({})).await;
        assert_eq!(
            unknown.err(404, "resource_not_found")["long_message"],
            "No M2M token was found with id mt_00000000000000000000000000000000"
        );
        assert_eq!(with_key(api, Method::GET, "/m2m_tokens", &caller_key, None).await.ok()["total_count"], 1);
        assert_eq!(
            with_key(api, Method::GET, "/m2m_tokens?revoked=true", &caller_key, None).await.ok()["total_count"],
            2
        );

        // Expiry.
        let short = with_key(api, Method::POST, "/m2m_tokens", &caller_key, Some(json!({"seconds_until_expiration": 1}))).await;
        let short = str_of(&short.json, "token").to_owned();
        api.server.advance_clock(Duration::from_secs(2));
        with_key(api, Method::POST, "/m2m_tokens/verify", &instance_key, Some(json!({"token": short})))
            .await
            .err(404, "token_expired");
        let listed = with_key(api, Method::GET, "/m2m_tokens?expired=true", &caller_key, None).await;
        assert!(listed.ok()["m2m_tokens"].as_array().unwrap().iter().any(|t| t["expired"] == true));
    })
    .await;
}

#[tokio::test]
async fn jwt_format_m2m_tokens() {
    each_backend(async |api: &mut Api| {
        let callee = machine(api, "callee", &[]).await;
        let caller = machine(api, "caller", &[str_of(&callee, "id")]).await;
        let key = str_of(&caller, "secret_key").to_owned();
        let created = with_key(
            api,
            Method::POST,
            "/m2m_tokens",
            &key,
            Some(json!({"token_format": "jwt", "claims": {"tier": "gold", "sub": "ignored"}})),
        )
        .await;
        assert_eq!(created.status, 201, "{}", created.text);
        let jwt = str_of(&created.json, "token").to_owned();
        let header = jwt_header(&jwt);
        assert_eq!(header["cat"], "cl_B7d4PD333AAA");
        assert_eq!(header["alg"], "RS256");
        let payload = claims(&jwt);
        assert_eq!(payload["sub"], caller["id"]);
        assert_eq!(payload["jti"], created.json["id"]);
        assert_eq!(payload["scopes"], callee["id"]);
        assert_eq!(payload["tier"], "gold");
        let jwks = api.get("/v1/jwks").await.ok().clone();
        assert!(crate::common::verify_with_jwks(&jwt, &jwks));

        // Not stored: not listed, not revocable; verified by signature.
        assert_eq!(
            with_key(api, Method::GET, "/m2m_tokens", &key, None)
                .await
                .ok()["total_count"],
            0
        );
        let id = str_of(&created.json, "id");
        api.post(&format!("/v1/m2m_tokens/{id}/revoke"), json!({}))
            .await
            .err(404, "resource_not_found");
        let verified = api
            .post("/v1/m2m_tokens/verify", json!({"token": jwt}))
            .await
            .ok()
            .clone();
        assert_eq!(verified["subject"], caller["id"]);
        assert_eq!(verified["claims"], json!({"tier": "gold"}));
        assert_eq!(verified["scopes"], json!([callee["id"]]));

        // A session token is no M2M token; a tampered JWT neither.
        let user = api
            .user(json!({"email_address": ["m2m@example.com"]}))
            .await;
        let session = api.session(str_of(&user, "id")).await;
        let session_jwt = api.server.session_token(str_of(&session, "id")).await;
        api.post("/v1/m2m_tokens/verify", json!({"token": session_jwt}))
            .await
            .err(404, "resource_not_found");
        let mut tampered = jwt.clone();
        tampered.pop();
        tampered.push(if jwt.ends_with('A') { 'B' } else { 'A' });
        api.post("/v1/m2m_tokens/verify", json!({"token": tampered}))
            .await
            .err(404, "resource_not_found");
    })
    .await;
}

#[tokio::test]
async fn tokens_of_another_instance_are_refused() {
    let tokens = std::sync::Mutex::new(Vec::new());
    each_backend(async |api: &mut Api| {
        let m = machine(api, "elsewhere", &[]).await;
        let key = str_of(&m, "secret_key").to_owned();
        for format in ["opaque", "jwt"] {
            let created = with_key(
                api,
                Method::POST,
                "/m2m_tokens",
                &key,
                Some(json!({"token_format": format})),
            )
            .await;
            let token = str_of(&created.json, "token").to_owned();
            tokens.lock().unwrap().push(token);
        }
        tokens.lock().unwrap().push(key);
    })
    .await;
    let tokens = tokens.into_inner().unwrap();
    each_backend(async |api: &mut Api| {
        for token in &tokens {
            if token.starts_with("ak_") {
                with_key(api, Method::GET, "/m2m_tokens", token, None)
                    .await
                    .err(401, "clerk_key_invalid");
            } else {
                api.post("/v1/m2m_tokens/verify", json!({"token": token}))
                    .await
                    .err(404, "resource_not_found");
            }
        }
    })
    .await;
}
