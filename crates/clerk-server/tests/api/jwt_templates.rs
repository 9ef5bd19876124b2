//! `/v1/jwt_templates` and `POST /v1/sessions/{id}/tokens/{template_name}`: Clerk's
//! validation, every shortcode, and every signing algorithm verified with its key.

use std::time::Duration;

use aws_lc_rs::encoding::AsDer;
use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::signature::{self, EcdsaKeyPair, KeyPair, UnparsedPublicKey};
use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use serde_json::{Value, json};

use crate::common::{Api, claims, each_backend, jwt_header, verify_with_jwks};

const KEYS: &[&str] = &[
    "object",
    "id",
    "name",
    "claims",
    "lifetime",
    "allowed_clock_skew",
    "custom_signing_key",
    "signing_algorithm",
    "created_at",
    "updated_at",
];

fn pem(label: &str, der: &[u8]) -> String {
    let body = STANDARD.encode(der);
    let lines: Vec<&str> = body
        .as_bytes()
        .chunks(64)
        .map(|c| std::str::from_utf8(c).unwrap())
        .collect();
    format!(
        "-----BEGIN {label}-----\n{}\n-----END {label}-----\n",
        lines.join("\n")
    )
}

fn split(jwt: &str) -> (String, Vec<u8>) {
    let (input, sig) = jwt.rsplit_once('.').unwrap();
    (input.to_owned(), URL_SAFE_NO_PAD.decode(sig).unwrap())
}

async fn mint(api: &Api, sid: &str, name: &str) -> String {
    api.post_empty(&format!("/v1/sessions/{sid}/tokens/{name}"))
        .await
        .ok()["jwt"]
        .as_str()
        .unwrap()
        .to_owned()
}

#[tokio::test]
async fn crud_and_validation() {
    each_backend(async |api: &mut Api| {
        let created = api
            .post(
                "/v1/jwt_templates",
                json!({"name": "hasura", "claims": {"role": "{{user.id}}"}}),
            )
            .await;
        let t = created.ok().clone();
        for key in KEYS {
            assert!(!t[key].is_null(), "template.{key}");
        }
        assert_eq!(t.as_object().unwrap().len(), KEYS.len(), "{t}");
        assert_eq!(t["object"], "jwt_template");
        assert!(t["id"].as_str().unwrap().starts_with("jtmp_"));
        assert_eq!((t["lifetime"].as_i64(), t["allowed_clock_skew"].as_i64()), (Some(60), Some(5)));
        assert_eq!((&t["custom_signing_key"], &t["signing_algorithm"]), (&json!(false), &json!("RS256")));
        let id = t["id"].as_str().unwrap();
        assert_eq!(api.get(&format!("/v1/jwt_templates/{id}")).await.ok(), &t);

        api.server.advance_clock(Duration::from_secs(1));
        let second = api
            .post(
                "/v1/jwt_templates",
                json!({"name": "supabase", "claims": {}, "lifetime": 3600, "allowed_clock_skew": 0}),
            )
            .await
            .ok()
            .clone();
        let list = api.get("/v1/jwt_templates").await;
        assert!(list.ok().is_array());
        assert_eq!(list.ids(), vec![second["id"].as_str().unwrap(), id]);
        let page = api.get("/v1/jwt_templates?paginated=true&limit=1&offset=1").await;
        assert_eq!(page.ok()["total_count"], 2);
        assert_eq!(page.ids(), vec![id]);

        // Validation.
        for claim in ["azp", "exp", "iat", "iss", "jti", "nbf", "sub"] {
            let err = api
                .post("/v1/jwt_templates", json!({"name": "r", "claims": {claim: 1}}))
                .await;
            let first = err.err(400, "jwt_template_reserved_claim");
            assert_eq!(first["long_message"], format!("You can't use the reserved claim: '{claim}'"));
        }
        for (field, value) in [("lifetime", 29), ("lifetime", 315_360_001), ("allowed_clock_skew", -1), ("allowed_clock_skew", 301)] {
            let resp = api
                .post("/v1/jwt_templates", json!({"name": "r", "claims": {}, field: value}))
                .await;
            resp.err(422, "form_param_value_invalid");
            assert_eq!(resp.param(), field);
        }
        api.post("/v1/jwt_templates", json!({"name": "hasura", "claims": {}}))
            .await
            .err(422, "form_identifier_exists");
        api.post("/v1/jwt_templates", json!({"name": "x", "claims": "{}"}))
            .await
            .err(422, "form_param_type_invalid");
        api.post("/v1/jwt_templates", json!({"name": "x"}))
            .await
            .err(422, "form_param_missing");
        api.post("/v1/jwt_templates", json!({"claims": {}}))
            .await
            .err(422, "form_param_missing");
        api.post("/v1/jwt_templates", json!({"name": "x", "claims": {}, "custom_signing_key": true, "signing_algorithm": "HS256"}))
            .await
            .err(422, "form_param_missing");
        api.post("/v1/jwt_templates", json!({"name": "x", "claims": {}, "custom_signing_key": true, "signing_algorithm": "none", "signing_key": "k"}))
            .await
            .err(422, "form_param_value_invalid");
        api.post("/v1/jwt_templates", json!({"name": "x", "claims": {}, "custom_signing_key": true, "signing_algorithm": "RS256", "signing_key": "not a pem"}))
            .await
            .err(422, "form_param_value_invalid");
        api.post("/v1/jwt_templates", json!({"name": "x", "claims": {}, "other": 1}))
            .await
            .err(422, "form_param_unknown");

        // Update replaces name and claims; the rest stays unless given.
        api.server.advance_clock(Duration::from_secs(1));
        let updated = api
            .patch(
                &format!("/v1/jwt_templates/{id}"),
                json!({"name": "hasura2", "claims": {"a": 1}, "lifetime": 120}),
            )
            .await
            .ok()
            .clone();
        assert_eq!(updated["name"], "hasura2");
        assert_eq!(updated["claims"], json!({"a": 1}));
        assert_eq!(updated["lifetime"], 120);
        assert_eq!(updated["allowed_clock_skew"], 5);
        assert!(updated["updated_at"].as_i64() > t["updated_at"].as_i64());
        api.patch(&format!("/v1/jwt_templates/{id}"), json!({"name": "supabase", "claims": {}}))
            .await
            .err(422, "form_identifier_exists");
        api.patch(&format!("/v1/jwt_templates/{id}"), json!({"name": "n", "claims": {"sub": "x"}}))
            .await
            .err(400, "jwt_template_reserved_claim");
        api.patch("/v1/jwt_templates/jtmp_missing", json!({"name": "n", "claims": {}}))
            .await
            .err(404, "resource_not_found");

        // Delete.
        let deleted = api.delete(&format!("/v1/jwt_templates/{id}")).await;
        assert_eq!(deleted.ok(), &json!({"object": "jwt_template", "id": id, "deleted": true}));
        let missing = api.get(&format!("/v1/jwt_templates/{id}")).await;
        let first = missing.err(404, "resource_not_found");
        assert!(first["long_message"].as_str().unwrap().contains(id));
        api.delete(&format!("/v1/jwt_templates/{id}"))
            .await
            .err(404, "resource_not_found");
    })
    .await;
}

#[tokio::test]
async fn every_shortcode_renders_real_values() {
    each_backend(async |api: &mut Api| {
        let user = api
            .user(json!({
                "email_address": ["ada@example.com"],
                "phone_number": ["+15555550100"],
                "username": "ada_l",
                "first_name": "Ada",
                "last_name": "Lovelace",
                "external_id": "ext-1",
                "public_metadata": {"a": {"b": "deep"}, "tier": "gold"},
                "unsafe_metadata": {"theme": "dark"},
                "skip_password_requirement": true
            }))
            .await;
        let uid = user["id"].as_str().unwrap();
        let org = api
            .post(
                "/v1/organizations",
                json!({"name": "Acme", "slug": "acme", "created_by": uid, "public_metadata": {"x": 7}}),
            )
            .await
            .ok()
            .clone();
        let oid = org["id"].as_str().unwrap();
        let session = api
            .post("/v1/sessions", json!({"user_id": uid, "active_organization_id": oid}))
            .await
            .ok()
            .clone();
        let sid = session["id"].as_str().unwrap();
        let shortcodes = [
            "user.id", "user.first_name", "user.last_name", "user.full_name",
            "user.primary_email_address", "user.primary_phone_address", "user.primary_phone_number",
            "user.email_verified", "user.phone_number_verified", "user.image_url", "user.has_image",
            "user.created_at", "user.updated_at", "user.username", "user.external_id",
            "user.public_metadata", "user.public_metadata.a.b", "user.unsafe_metadata",
            "user.two_factor_enabled",
            "org.id", "org.name", "org.slug", "org.role", "org.image_url", "org.has_image",
            "org.public_metadata", "org.public_metadata.x", "session.actor",
        ];
        let mut template = serde_json::Map::new();
        for code in shortcodes {
            template.insert(code.replace('.', "_"), json!(format!("{{{{{code}}}}}")));
        }
        template.insert("greeting".into(), json!("Hello {{user.first_name}} of {{org.name}}"));
        template.insert("nick".into(), json!("{{user.nickname || user.username}}"));
        template.insert("fallback".into(), json!("{{user.public_metadata.none || 'guest'}}"));
        template.insert("nested".into(), json!({"list": ["{{user.id}}", 1, {"t": "{{user.public_metadata.tier}}"}], "static": true}));
        template.insert("missing".into(), json!("{{user.public_metadata.nothing}}"));
        template.insert("aud".into(), json!("convex"));
        api.post(
            "/v1/jwt_templates",
            json!({"name": "all", "claims": template, "lifetime": 300, "allowed_clock_skew": 20}),
        )
        .await
        .ok();
        let jwt = mint(api, sid, "all").await;
        let jwks = api.get("/v1/jwks").await.ok().clone();
        assert!(verify_with_jwks(&jwt, &jwks));
        let header = jwt_header(&jwt);
        assert_eq!(header["alg"], "RS256");
        assert_eq!(header["kid"], jwks["keys"][0]["kid"]);
        let c = claims(&jwt);
        let fresh = api.get(&format!("/v1/users/{uid}")).await.ok().clone();
        let expect = json!({
            "user_id": uid, "user_first_name": "Ada", "user_last_name": "Lovelace",
            "user_full_name": "Ada Lovelace", "user_primary_email_address": "ada@example.com",
            "user_primary_phone_address": "+15555550100", "user_primary_phone_number": "+15555550100",
            "user_email_verified": true, "user_phone_number_verified": true,
            "user_has_image": false, "user_created_at": fresh["created_at"],
            "user_updated_at": fresh["updated_at"], "user_username": "ada_l", "user_external_id": "ext-1",
            "user_public_metadata": {"a": {"b": "deep"}, "tier": "gold"},
            "user_public_metadata_a_b": "deep", "user_unsafe_metadata": {"theme": "dark"},
            "user_two_factor_enabled": false,
            "org_id": oid, "org_name": "Acme", "org_slug": "acme", "org_role": "org:admin",
            "org_has_image": false, "org_public_metadata": {"x": 7}, "org_public_metadata_x": 7,
            "session_actor": null,
            "greeting": "Hello Ada of Acme", "nick": "ada_l", "fallback": "guest",
            "nested": {"list": [uid, 1, {"t": "gold"}], "static": true},
            "missing": null, "aud": "convex",
        });
        for (key, value) in expect.as_object().unwrap() {
            assert_eq!(&c[key], value, "{key} in {c}");
        }
        assert!(c["user_image_url"].as_str().unwrap().starts_with("http"));
        assert!(c["org_image_url"].as_str().unwrap().starts_with("http"));
        // Default claims: sub, iss, iat, exp from the lifetime, nbf from the clock skew, jti.
        assert_eq!(c["sub"], uid);
        assert!(c["iss"].as_str().unwrap().starts_with("http"));
        let iat = c["iat"].as_i64().unwrap();
        assert_eq!(c["exp"].as_i64().unwrap(), iat + 300);
        assert_eq!(c["nbf"].as_i64().unwrap(), iat - 20);
        assert!(c["jti"].is_string());
        assert!(c.get("azp").is_none() && c.get("sid").is_none());

        // expires_in_seconds overrides the lifetime.
        let short = api
            .post(&format!("/v1/sessions/{sid}/tokens/all"), json!({"expires_in_seconds": 45}))
            .await
            .ok()["jwt"]
            .as_str()
            .unwrap()
            .to_owned();
        let s = claims(&short);
        assert_eq!(s["exp"].as_i64().unwrap() - s["iat"].as_i64().unwrap(), 45);

        // Without an active organization, org shortcodes are null.
        let plain = api.session(uid).await;
        let c = claims(&mint(api, plain["id"].as_str().unwrap(), "all").await);
        assert_eq!(c["org_id"], Value::Null);
        assert_eq!(c["greeting"], "Hello Ada of ");

        // A revoked session gets no token; an unknown template is 404.
        let revoked = api.session(uid).await;
        let rid = revoked["id"].as_str().unwrap();
        api.post_empty(&format!("/v1/sessions/{rid}/revoke")).await.ok();
        api.post_empty(&format!("/v1/sessions/{rid}/tokens/all"))
            .await
            .err(401, "authentication_invalid");
        api.post_empty(&format!("/v1/sessions/{sid}/tokens/nope"))
            .await
            .err(404, "resource_not_found");
    })
    .await;
}

#[tokio::test]
async fn custom_signing_keys_of_every_algorithm() {
    let rng = SystemRandom::new();
    let rsa = aws_lc_rs::rsa::KeyPair::generate(aws_lc_rs::rsa::KeySize::Rsa2048).unwrap();
    let rsa_pem = pem("PRIVATE KEY", rsa.as_der().unwrap().as_ref());
    let rsa_public = rsa.public_key().as_ref().to_vec();
    let ec = |alg: &'static signature::EcdsaSigningAlgorithm| {
        let pkcs8 = EcdsaKeyPair::generate_pkcs8(alg, &rng).unwrap();
        let pair = EcdsaKeyPair::from_pkcs8(alg, pkcs8.as_ref()).unwrap();
        (
            pem("PRIVATE KEY", pkcs8.as_ref()),
            pair.public_key().as_ref().to_vec(),
        )
    };
    let (p256, p256_pub) = ec(&signature::ECDSA_P256_SHA256_FIXED_SIGNING);
    let (p384, p384_pub) = ec(&signature::ECDSA_P384_SHA384_FIXED_SIGNING);
    let (p521, p521_pub) = ec(&signature::ECDSA_P521_SHA512_FIXED_SIGNING);
    each_backend(async |api: &mut Api| {
        let user = api.user(json!({"first_name": "Grace"})).await;
        let uid = user["id"].as_str().unwrap();
        let sid = api.session(uid).await["id"].as_str().unwrap().to_owned();
        let hmac = |alg, key: &str| (alg, key.to_owned());
        let cases = [
            hmac("HS256", "a-shared-secret-of-some-length!!"),
            hmac("HS384", "another-secret"),
            hmac("HS512", "third-secret"),
            ("RS256", rsa_pem.clone()),
            ("RS384", rsa_pem.clone()),
            ("RS512", rsa_pem.clone()),
            ("ES256", p256.clone()),
            ("ES384", p384.clone()),
            ("ES512", p521.clone()),
        ];
        for (alg, key) in cases {
            let name = format!("t_{alg}");
            let t = api
                .post(
                    "/v1/jwt_templates",
                    json!({"name": name, "claims": {"n": "{{user.first_name}}"},
                           "custom_signing_key": true, "signing_algorithm": alg, "signing_key": key}),
                )
                .await
                .ok()
                .clone();
            assert_eq!(t["custom_signing_key"], true);
            assert_eq!(t["signing_algorithm"], alg);
            assert!(t.get("signing_key").is_none(), "the key is never answered");
            let jwt = mint(api, &sid, &name).await;
            assert_eq!(jwt_header(&jwt), json!({"alg": alg, "typ": "JWT"}));
            assert_eq!(claims(&jwt)["n"], "Grace");
            let (input, sig) = split(&jwt);
            let ok = match alg {
                "HS256" | "HS384" | "HS512" => {
                    let h = match alg {
                        "HS256" => aws_lc_rs::hmac::HMAC_SHA256,
                        "HS384" => aws_lc_rs::hmac::HMAC_SHA384,
                        _ => aws_lc_rs::hmac::HMAC_SHA512,
                    };
                    let k = aws_lc_rs::hmac::Key::new(h, key.as_bytes());
                    aws_lc_rs::hmac::verify(&k, input.as_bytes(), &sig).is_ok()
                }
                "RS256" => UnparsedPublicKey::new(&signature::RSA_PKCS1_2048_8192_SHA256, &rsa_public)
                    .verify(input.as_bytes(), &sig)
                    .is_ok(),
                "RS384" => UnparsedPublicKey::new(&signature::RSA_PKCS1_2048_8192_SHA384, &rsa_public)
                    .verify(input.as_bytes(), &sig)
                    .is_ok(),
                "RS512" => UnparsedPublicKey::new(&signature::RSA_PKCS1_2048_8192_SHA512, &rsa_public)
                    .verify(input.as_bytes(), &sig)
                    .is_ok(),
                "ES256" => UnparsedPublicKey::new(&signature::ECDSA_P256_SHA256_FIXED, &p256_pub)
                    .verify(input.as_bytes(), &sig)
                    .is_ok(),
                "ES384" => UnparsedPublicKey::new(&signature::ECDSA_P384_SHA384_FIXED, &p384_pub)
                    .verify(input.as_bytes(), &sig)
                    .is_ok(),
                _ => UnparsedPublicKey::new(&signature::ECDSA_P521_SHA512_FIXED, &p521_pub)
                    .verify(input.as_bytes(), &sig)
                    .is_ok(),
            };
            assert!(ok, "{alg} token verifies with its key");
        }
        // A key of the wrong kind for the algorithm is refused.
        api.post(
            "/v1/jwt_templates",
            json!({"name": "bad", "claims": {}, "custom_signing_key": true,
                   "signing_algorithm": "ES384", "signing_key": p256}),
        )
        .await
        .err(422, "form_param_value_invalid");

        // Switching back to the instance's keys drops the custom key; an update that keeps
        // the algorithm keeps the stored key.
        let list = api.get("/v1/jwt_templates").await.ok().clone();
        let hs = list.as_array().unwrap().iter().find(|t| t["name"] == "t_HS256").unwrap();
        let hs_id = hs["id"].as_str().unwrap();
        let kept = api
            .patch(&format!("/v1/jwt_templates/{hs_id}"), json!({"name": "t_HS256", "claims": {"k": 1}}))
            .await
            .ok()
            .clone();
        assert_eq!(kept["signing_algorithm"], "HS256");
        let jwt = mint(api, &sid, "t_HS256").await;
        assert_eq!(jwt_header(&jwt)["alg"], "HS256");
        api.patch(
            &format!("/v1/jwt_templates/{hs_id}"),
            json!({"name": "t_HS256", "claims": {}, "custom_signing_key": true, "signing_algorithm": "HS512"}),
        )
        .await
        .err(422, "form_param_missing");
        let back = api
            .patch(
                &format!("/v1/jwt_templates/{hs_id}"),
                json!({"name": "t_HS256", "claims": {}, "custom_signing_key": false}),
            )
            .await
            .ok()
            .clone();
        assert_eq!((&back["custom_signing_key"], &back["signing_algorithm"]), (&json!(false), &json!("RS256")));
        let jwt = mint(api, &sid, "t_HS256").await;
        let jwks = api.get("/v1/jwks").await.ok().clone();
        assert!(verify_with_jwks(&jwt, &jwks));
    })
    .await;
}
