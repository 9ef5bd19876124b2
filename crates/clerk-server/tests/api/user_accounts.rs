//! A user's passkeys, external accounts and trusted devices: seeded through the local
//! extension (nothing in the Backend API creates them), shown on the user, deleted and
//! revoked through the Backend API.

use serde_json::{Value, json};

use crate::common::{Api, each_backend};
use crate::webhook_receiver::Subscription;

fn id(v: &Value) -> String {
    v["id"].as_str().unwrap().to_owned()
}

/// The keys of an object, sorted.
fn keys(v: &Value) -> Vec<String> {
    let mut keys: Vec<String> = v.as_object().unwrap().keys().cloned().collect();
    keys.sort();
    keys
}

async fn outbox_slugs(api: &Api, to: &str) -> Vec<String> {
    let outbox = api
        .get(&format!(
            "/v1/_local/outbox?type=email&to={}",
            to.replace('@', "%40")
        ))
        .await;
    outbox.ok()["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["slug"].as_str().unwrap_or_default().to_owned())
        .collect()
}

#[tokio::test]
async fn passkeys_are_seeded_shown_on_the_user_and_deleted() {
    each_backend(async |api: &mut Api| {
        let uid = id(&api
            .user(json!({"email_address": ["pk@example.com"], "first_name": "Pat"}))
            .await);
        let mut hook = Subscription::start(api, Some(&["user.updated"])).await;

        let seeded = api
            .post(
                &format!("/v1/_local/users/{uid}/passkeys"),
                json!({"name": "MacBook Touch ID", "last_used_at": 1_700_000_000_000_i64}),
            )
            .await;
        let passkey = seeded.ok().clone();
        let pk = id(&passkey);
        assert!(pk.starts_with("idn_") && pk.len() == 31, "{pk}");
        assert_eq!(
            keys(&passkey),
            ["id", "last_used_at", "name", "object", "verification"]
        );
        assert_eq!(passkey["object"], "passkey");
        assert_eq!(passkey["name"], "MacBook Touch ID");
        assert_eq!(passkey["last_used_at"], 1_700_000_000_000_i64);
        assert_eq!(
            passkey["verification"],
            json!({"object": "verification_passkey", "status": "verified",
                   "strategy": "passkey", "attempts": null, "expire_at": null})
        );
        let event = hook.expect("user.updated").await;
        assert_eq!(event["data"]["passkeys"], json!([passkey]));

        // The user shows it, read alone and in a page of users.
        let user = api.get(&format!("/v1/users/{uid}")).await;
        assert_eq!(user.ok()["passkeys"], json!([passkey]));
        let page = api.get(&format!("/v1/users?user_id={uid}")).await;
        assert_eq!(page.ok()[0]["passkeys"], json!([passkey]));
        // A second one, without a name or a last use: "Passkey", used now.
        let other = api
            .post(&format!("/v1/_local/users/{uid}/passkeys"), json!({}))
            .await;
        assert_eq!(other.ok()["name"], "Passkey");
        assert!(other.ok()["last_used_at"].as_i64().unwrap() > 1_700_000_000_000);
        hook.expect("user.updated").await;
        let user = api.get(&format!("/v1/users/{uid}")).await;
        assert_eq!(user.ok()["passkeys"].as_array().unwrap().len(), 2);
        assert_eq!(
            outbox_slugs(api, "pk@example.com").await,
            ["passkey_added", "passkey_added"]
        );

        // Deleted: the DeletedObject, user.updated without it, the passkey_removed email.
        let deleted = api.delete(&format!("/v1/users/{uid}/passkeys/{pk}")).await;
        assert_eq!(
            deleted.ok(),
            &json!({"object": "passkey", "id": pk, "deleted": true})
        );
        let event = hook.expect("user.updated").await;
        assert_eq!(event["data"]["passkeys"].as_array().unwrap().len(), 1);
        assert_ne!(event["data"]["passkeys"][0]["id"], json!(pk));
        let user = api.get(&format!("/v1/users/{uid}")).await;
        assert_eq!(user.ok()["passkeys"], json!([other.ok()]));
        let outbox = api
            .get("/v1/_local/outbox?type=email&to=pk%40example.com")
            .await;
        let newest = &outbox.ok()["data"][0];
        assert_eq!(newest["slug"], "passkey_removed");
        assert!(
            newest["body"]
                .as_str()
                .unwrap()
                .contains("MacBook Touch ID"),
            "{newest}"
        );

        // Errors: gone, another user's, an unknown user; a credential registered twice.
        let again = api.delete(&format!("/v1/users/{uid}/passkeys/{pk}")).await;
        let err = again.err(404, "resource_not_found");
        assert_eq!(
            err["long_message"],
            format!("No passkey was found with id {pk}")
        );
        let bob = id(&api
            .user(json!({"email_address": ["bob-pk@example.com"]}))
            .await);
        let theirs = api
            .delete(&format!("/v1/users/{bob}/passkeys/{}", id(other.ok())))
            .await;
        theirs.err(404, "resource_not_found");
        let nobody = api
            .delete(&format!("/v1/users/user_nope/passkeys/{pk}"))
            .await;
        assert_eq!(
            nobody.err(404, "resource_not_found")["long_message"],
            "No user was found with id user_nope"
        );
        api.post("/v1/_local/users/user_nope/passkeys", json!({}))
            .await
            .err(404, "resource_not_found");
        let body = json!({"credential_id": "cred-1"});
        api.post(&format!("/v1/_local/users/{uid}/passkeys"), body.clone())
            .await
            .ok();
        let twice = api
            .post(&format!("/v1/_local/users/{bob}/passkeys"), body)
            .await;
        twice.err(422, "form_identifier_exists");
        assert_eq!(twice.param(), "credential_id");
        api.post(
            &format!("/v1/_local/users/{uid}/passkeys"),
            json!({"name": ""}),
        )
        .await
        .err(422, "form_param_value_invalid");
    })
    .await;
}

#[tokio::test]
async fn external_accounts_are_seeded_found_by_provider_and_deleted() {
    each_backend(async |api: &mut Api| {
        let uid = id(&api.user(json!({"email_address": ["ea@example.com"]})).await);
        let mut hook = Subscription::start(api, Some(&["user.updated"])).await;
        let seeded = api
            .post(
                &format!("/v1/_local/users/{uid}/external_accounts"),
                json!({
                    "provider": "oauth_google",
                    "provider_user_id": "g-1234",
                    "email_address": "Ann@Gmail.com",
                    "email_address_verified": true,
                    "approved_scopes": "email openid profile",
                    "first_name": "Ann",
                    "last_name": "Lee",
                    "image_url": "https://img.example.com/ann.png",
                    "username": "annlee",
                    "public_metadata": {"plan": "pro"},
                    "label": "work",
                }),
            )
            .await;
        let account = seeded.ok().clone();
        let eac = id(&account);
        assert!(eac.starts_with("eac_"), "{eac}");
        for key in [
            "object", "id", "provider", "identification_id", "provider_user_id",
            "approved_scopes", "email_address", "first_name", "last_name", "public_metadata",
            "created_at", "updated_at", "verification", "email_address_verified", "image_url",
            "avatar_url", "username", "phone_number", "label",
        ] {
            assert!(account.get(key).is_some(), "no {key}: {account}");
        }
        assert_eq!(account["object"], "external_account");
        assert_eq!(account["provider"], "oauth_google");
        assert!(account["identification_id"].as_str().unwrap().starts_with("idn_"));
        assert_eq!(account["provider_user_id"], "g-1234");
        assert_eq!(account["email_address"], "ann@gmail.com");
        assert_eq!(account["email_address_verified"], true);
        assert_eq!(account["first_name"], "Ann");
        assert_eq!(account["image_url"], "https://img.example.com/ann.png");
        assert_eq!(account["avatar_url"], "https://img.example.com/ann.png");
        assert_eq!(account["phone_number"], Value::Null);
        assert_eq!(account["public_metadata"], json!({"plan": "pro"}));
        assert_eq!(account["label"], "work");
        let verification = &account["verification"];
        assert_eq!(verification["object"], "verification_oauth");
        assert_eq!(verification["status"], "verified");
        assert_eq!(verification["strategy"], "oauth_google");
        assert!(verification["expire_at"].is_i64());
        let event = hook.expect("user.updated").await;
        assert_eq!(event["data"]["external_accounts"], json!([account]));
        let user = api.get(&format!("/v1/users/{uid}")).await;
        assert_eq!(user.ok()["external_accounts"], json!([account]));

        // GET /v1/users and /count find the user by its provider account now.
        let found = api
            .get("/v1/users?provider=oauth_google&provider_user_id=g-1234&provider_user_id=x")
            .await;
        assert_eq!(found.ids(), std::slice::from_ref(&uid));
        assert_eq!(found.ok()[0]["external_accounts"], json!([account]));
        let count = api
            .get("/v1/users/count?provider=oauth_google&provider_user_id=g-1234")
            .await;
        assert_eq!(count.ok()["total_count"], 1);
        let other_provider = api
            .get("/v1/users?provider=oauth_github&provider_user_id=g-1234")
            .await;
        assert!(other_provider.ids().is_empty());

        // The same provider account for another user; a provider that is no strategy.
        let bob = id(&api.user(json!({"email_address": ["bob-ea@example.com"]})).await);
        let taken = api
            .post(
                &format!("/v1/_local/users/{bob}/external_accounts"),
                json!({"provider": "oauth_google", "provider_user_id": "g-1234"}),
            )
            .await;
        taken.err(422, "form_identifier_exists");
        assert_eq!(taken.param(), "provider_user_id");
        let bad = api
            .post(
                &format!("/v1/_local/users/{bob}/external_accounts"),
                json!({"provider": "google", "provider_user_id": "g-1"}),
            )
            .await;
        bad.err(422, "form_param_format_invalid");
        assert_eq!(bad.param(), "provider");
        api.post(
            &format!("/v1/_local/users/{bob}/external_accounts"),
            json!({"provider": "oauth_github"}),
        )
        .await
        .err(422, "form_param_missing");
        // An unverified custom provider's account, with defaults.
        let custom = api
            .post(
                &format!("/v1/_local/users/{bob}/external_accounts"),
                json!({"provider": "oauth_custom_acme", "provider_user_id": "7", "verified": false}),
            )
            .await;
        assert_eq!(custom.ok()["verification"]["status"], "unverified");
        assert_eq!(custom.ok()["email_address"], "");
        assert_eq!(custom.ok()["email_address_verified"], Value::Null);
        let event = hook.expect("user.updated").await;
        assert_eq!(event["data"]["id"], json!(bob));

        // Deleted: the DeletedObject, user.updated, the filters no longer find the user.
        let deleted = api
            .delete(&format!("/v1/users/{uid}/external_accounts/{eac}"))
            .await;
        assert_eq!(
            deleted.ok(),
            &json!({"object": "external_account", "id": eac, "deleted": true})
        );
        let event = hook.expect("user.updated").await;
        assert_eq!(event["data"]["external_accounts"], json!([]));
        let user = api.get(&format!("/v1/users/{uid}")).await;
        assert_eq!(user.ok()["external_accounts"], json!([]));
        let found = api
            .get("/v1/users?provider=oauth_google&provider_user_id=g-1234")
            .await;
        assert!(found.ids().is_empty());
        let again = api
            .delete(&format!("/v1/users/{uid}/external_accounts/{eac}"))
            .await;
        assert_eq!(
            again.err(404, "resource_not_found")["long_message"],
            format!("No external account was found with id {eac}")
        );
        // Another user's account is as unknown.
        let theirs = api
            .delete(&format!("/v1/users/{uid}/external_accounts/{}", id(custom.ok())))
            .await;
        theirs.err(404, "resource_not_found");
    })
    .await;
}

#[tokio::test]
async fn trusted_devices_are_listed_while_active_and_revoked() {
    each_backend(async |api: &mut Api| {
        let uid = id(&api.user(json!({"email_address": ["td@example.com"]})).await);
        let list = async |api: &Api| api.get(&format!("/v1/users/{uid}/trusted_devices")).await;
        assert_eq!(list(api).await.ok(), &json!({"data": [], "total_count": 0}));

        let phone = api
            .post(
                &format!("/v1/_local/users/{uid}/trusted_devices"),
                json!({"platform": "ios", "app_identifier": "com.example.app", "name": "Ann's iPhone"}),
            )
            .await;
        let phone = phone.ok().clone();
        assert!(id(&phone).starts_with("td_"));
        assert_eq!(
            keys(&phone),
            [
                "algorithm", "app_identifier", "created_at", "id", "last_used_at", "name",
                "object", "platform", "revoked_at", "status", "updated_at"
            ]
        );
        assert_eq!(phone["object"], "trusted_device");
        assert_eq!(phone["algorithm"], "ES256");
        assert_eq!(phone["status"], "active");
        assert_eq!(phone["revoked_at"], Value::Null);
        let tablet = api
            .post(
                &format!("/v1/_local/users/{uid}/trusted_devices"),
                json!({"platform": "android", "app_identifier": "com.example.app", "last_used_at": 5}),
            )
            .await;
        let tablet = tablet.ok().clone();
        assert_eq!(tablet["name"], Value::Null);
        assert_eq!(tablet["last_used_at"], 5);

        let listed = list(api).await;
        assert_eq!(listed.ok()["total_count"], 2);
        assert_eq!(listed.ids(), [id(&tablet), id(&phone)]);
        assert_eq!(listed.ok()["data"][1], phone);

        let revoked = api
            .delete(&format!("/v1/users/{uid}/trusted_devices/{}", id(&phone)))
            .await;
        let revoked = revoked.ok();
        assert_eq!(revoked["id"], phone["id"]);
        assert_eq!(revoked["status"], "revoked");
        assert!(revoked["revoked_at"].is_i64());
        let listed = list(api).await;
        assert_eq!(listed.ids(), [id(&tablet)]);
        assert_eq!(listed.ok()["total_count"], 1);

        // Revoked already, another user's, unknown; an unknown user; a bad platform.
        let again = api
            .delete(&format!("/v1/users/{uid}/trusted_devices/{}", id(&phone)))
            .await;
        assert_eq!(
            again.err(404, "resource_not_found")["long_message"],
            format!("No trusted device was found with id {}", id(&phone))
        );
        let bob = id(&api.user(json!({"email_address": ["bob-td@example.com"]})).await);
        api.delete(&format!("/v1/users/{bob}/trusted_devices/{}", id(&tablet)))
            .await
            .err(404, "resource_not_found");
        let nobody = api.get("/v1/users/user_nope/trusted_devices").await;
        assert_eq!(
            nobody.err(404, "resource_not_found")["long_message"],
            "No user was found with id user_nope"
        );
        let bad = api
            .post(
                &format!("/v1/_local/users/{uid}/trusted_devices"),
                json!({"platform": "windows", "app_identifier": "x"}),
            )
            .await;
        bad.err(422, "form_param_value_invalid");
        assert_eq!(bad.param(), "platform");

        // Deleting the user takes its devices, passkeys and accounts with it.
        api.post(&format!("/v1/_local/users/{uid}/passkeys"), json!({})).await.ok();
        api.delete(&format!("/v1/users/{uid}")).await.ok();
        api.get(&format!("/v1/users/{uid}/trusted_devices"))
            .await
            .err(404, "resource_not_found");
    })
    .await;
}
