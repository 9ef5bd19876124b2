use clerk_sdk::{
    CreateUser, Error, IdentificationStatus, ListUsers, PasswordHasher, Patch, UpdateUser,
    UserMetadata,
};
use serde_json::json;

use crate::support::{Canned, MockServer, fixtures};

#[tokio::test]
async fn list_sends_every_filter_with_repeated_keys() {
    let server = MockServer::start().await;
    server.respond_json(
        200,
        json!([fixtures::user("user_1"), fixtures::user("user_2")]),
    );
    let params = ListUsers::new()
        .email_address(["a@example.com", "b+tag@example.com"])
        .phone_number(["+15555550100"])
        .external_id(["ext-1", "-ext 2"])
        .username(["ada"])
        .web3_wallet(["0xabc"])
        .user_id(["+user_1", "user_2"])
        .organization_id(["org_1"])
        .query("Ada Lovelace")
        .email_address_query("example")
        .phone_number_query("555")
        .username_query("ad")
        .name_query("love")
        .banned(false)
        .last_active_at_before(1)
        .last_active_at_after(2)
        .last_active_at_since(3)
        .created_at_before(4)
        .created_at_after(5)
        .last_sign_in_at_before(6)
        .last_sign_in_at_after(7)
        .provider("oauth_google")
        .provider_user_id(["g1", "g2"])
        .limit(20)
        .offset(40)
        .starting_after("user_0")
        .order_by("+created_at");
    let page = server.clerk().users().list(params).await.unwrap();
    assert_eq!(page.len(), 2);
    assert_eq!(page.data[1].id, "user_2");
    assert_eq!(page.total_count, None);
    server.only_request().assert_request(
        "GET",
        "/v1/users",
        Some(concat!(
            "email_address=a%40example.com&email_address=b%2Btag%40example.com",
            "&phone_number=%2B15555550100&external_id=ext-1&external_id=-ext+2&username=ada",
            "&web3_wallet=0xabc&user_id=%2Buser_1&user_id=user_2&organization_id=org_1",
            "&query=Ada+Lovelace&email_address_query=example&phone_number_query=555",
            "&username_query=ad&name_query=love&banned=false",
            "&last_active_at_before=1&last_active_at_after=2&last_active_at_since=3",
            "&created_at_before=4&created_at_after=5&last_sign_in_at_before=6&last_sign_in_at_after=7",
            "&provider=oauth_google&provider_user_id=g1&provider_user_id=g2",
            "&limit=20&offset=40&starting_after=user_0&order_by=%2Bcreated_at"
        )),
        None,
    );
}

#[tokio::test]
async fn list_without_filters_sends_no_query() {
    let server = MockServer::start().await;
    server.respond_json(200, json!([]));
    let page = server.clerk().users().list(ListUsers::new()).await.unwrap();
    assert!(page.is_empty());
    server
        .only_request()
        .assert_request("GET", "/v1/users", None, None);
}

#[tokio::test]
async fn count_sends_filters_but_not_paging() {
    let server = MockServer::start().await;
    server.respond_json(200, json!({"object": "total_count", "total_count": 42}));
    let params = ListUsers::new()
        .email_address(["a@example.com"])
        .banned(true)
        .limit(5)
        .order_by("-created_at");
    let count = server.clerk().users().count(params).await.unwrap();
    assert_eq!(count, 42);
    server.only_request().assert_request(
        "GET",
        "/v1/users/count",
        Some("email_address=a%40example.com&banned=true"),
        None,
    );
}

#[tokio::test]
async fn list_with_total_asks_for_the_count_with_the_same_filters() {
    let server = MockServer::start().await;
    server
        .on(
            "/v1/users",
            Canned::json(200, json!([fixtures::user("user_1")])),
        )
        .on(
            "/v1/users/count",
            Canned::json(200, json!({"object": "total_count", "total_count": 3})),
        );
    let params = ListUsers::new().username(["ada"]).limit(1);
    let page = server
        .clerk()
        .users()
        .list_with_total(params)
        .await
        .unwrap();
    assert_eq!(page.len(), 1);
    assert_eq!(page.total_count, Some(3));
    // The two requests run concurrently: sort them before checking.
    let mut requests = server.requests();
    requests.sort_by(|a, b| a.path.cmp(&b.path));
    assert_eq!(requests.len(), 2);
    requests[0].assert_request("GET", "/v1/users", Some("username=ada&limit=1"), None);
    requests[1].assert_request("GET", "/v1/users/count", Some("username=ada"), None);
}

#[tokio::test]
async fn get_create_update_delete() {
    let server = MockServer::start().await;
    let clerk = server.clerk();

    server.respond_json(200, fixtures::user("user_1"));
    let user = clerk.users().get("user_1").await.unwrap();
    assert_eq!(
        user.primary_email_address().unwrap().email_address,
        "ada@example.com"
    );
    server.requests()[0].assert_request("GET", "/v1/users/user_1", None, None);

    server.respond_json(200, fixtures::user("user_2"));
    let created = clerk
        .users()
        .create(
            CreateUser::new()
                .external_id("ext-1")
                .first_name("Ada")
                .last_name("Lovelace")
                .locale("en-GB")
                .email_address(["ada@example.com", "ada2@example.com"])
                .email_address_identification_status([
                    IdentificationStatus::Verified,
                    IdentificationStatus::Reserved,
                ])
                .phone_number(["+15555550100"])
                .phone_number_identification_status([IdentificationStatus::Verified])
                .web3_wallet(["0xabc"])
                .username("ada")
                .password_digest("$2a$10$digest")
                .password_hasher(PasswordHasher::Bcrypt)
                .skip_password_checks(true)
                .skip_password_requirement(false)
                .totp_secret("TOTPSECRET")
                .backup_codes(["a1", "b2"])
                .public_metadata(json!({"plan": "pro"}))
                .private_metadata(json!({"stripe": "cus_1"}))
                .unsafe_metadata(json!({}))
                .delete_self_enabled(false)
                .legal_accepted_at("2024-10-29T08:30:00Z")
                .skip_legal_checks(true)
                .skip_user_requirement(true)
                .create_organization_enabled(true)
                .create_organizations_limit(3)
                .created_at("2020-01-01T00:00:00Z")
                .bypass_client_trust(false)
                .banned(false)
                .locked(false),
        )
        .await
        .unwrap();
    assert_eq!(created.id, "user_2");
    server.requests()[1].assert_request(
        "POST",
        "/v1/users",
        None,
        Some(json!({
            "external_id": "ext-1", "first_name": "Ada", "last_name": "Lovelace", "locale": "en-GB",
            "email_address": ["ada@example.com", "ada2@example.com"],
            "email_address_identification_status": ["verified", "reserved"],
            "phone_number": ["+15555550100"], "phone_number_identification_status": ["verified"],
            "web3_wallet": ["0xabc"], "username": "ada",
            "password_digest": "$2a$10$digest", "password_hasher": "bcrypt",
            "skip_password_checks": true, "skip_password_requirement": false,
            "totp_secret": "TOTPSECRET", "backup_codes": ["a1", "b2"],
            "public_metadata": {"plan": "pro"}, "private_metadata": {"stripe": "cus_1"}, "unsafe_metadata": {},
            "delete_self_enabled": false, "legal_accepted_at": "2024-10-29T08:30:00Z",
            "skip_legal_checks": true, "skip_user_requirement": true,
            "create_organization_enabled": true, "create_organizations_limit": 3,
            "created_at": "2020-01-01T00:00:00Z", "bypass_client_trust": false,
            "banned": false, "locked": false
        })),
    );

    server.respond_json(200, fixtures::user("user_1"));
    clerk
        .users()
        .update(
            "user_1",
            UpdateUser::new()
                .first_name("John")
                .username(Patch::Null)
                .external_id(Patch::Null)
                .notify_primary_email_address_changed(true)
                .password("n3w-Passw0rd")
                .sign_out_of_other_sessions(true)
                .create_organizations_limit(0)
                .backup_codes(["x"]),
        )
        .await
        .unwrap();
    server.requests()[2].assert_request(
        "PATCH",
        "/v1/users/user_1",
        None,
        Some(
            json!({"first_name": "John", "username": null, "external_id": null,
                    "notify_primary_email_address_changed": true, "password": "n3w-Passw0rd",
                    "sign_out_of_other_sessions": true, "create_organizations_limit": 0,
                    "backup_codes": ["x"]}),
        ),
    );

    server.respond_json(200, fixtures::deleted("user", "user_1"));
    let deleted = clerk.users().delete("user_1").await.unwrap();
    assert_eq!(
        (
            deleted.object.as_str(),
            deleted.id.as_deref(),
            deleted.deleted
        ),
        ("user", Some("user_1"), true)
    );
    server.requests()[3].assert_request("DELETE", "/v1/users/user_1", None, None);
}

#[tokio::test]
async fn metadata_merge_and_replace() {
    let server = MockServer::start().await;
    let clerk = server.clerk();
    server.always(Canned::json(200, fixtures::user("user_1")));

    let merge = UserMetadata::new()
        .public(json!({"plan": "pro", "trial": null}))
        .private(json!({"a": {"b": 1}}));
    clerk
        .users()
        .update_metadata("user_1", merge)
        .await
        .unwrap();
    server.requests()[0].assert_request(
        "PATCH",
        "/v1/users/user_1/metadata",
        None,
        Some(json!({"public_metadata": {"plan": "pro", "trial": null}, "private_metadata": {"a": {"b": 1}}})),
    );

    let replace = UserMetadata::new().unsafe_metadata(json!({"theme": "dark"}));
    clerk
        .users()
        .replace_metadata("user_1", replace)
        .await
        .unwrap();
    server.requests()[1].assert_request(
        "PUT",
        "/v1/users/user_1/metadata",
        None,
        Some(json!({"unsafe_metadata": {"theme": "dark"}})),
    );
}

#[tokio::test]
async fn metadata_that_is_not_an_object_is_refused_before_sending() {
    let server = MockServer::start().await;
    let clerk = server.clerk();
    let err = clerk
        .users()
        .update_metadata(
            "user_1",
            UserMetadata::new().public(json!(["not", "an", "object"])),
        )
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::InvalidInput(m) if m.contains("public_metadata")),
        "{err}"
    );
    let err = clerk
        .users()
        .create(CreateUser::new().private_metadata(json!("x")))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidInput(_)));
    assert!(server.requests().is_empty());
}

#[tokio::test]
async fn ban_unban_lock_unlock_post_without_a_body() {
    let server = MockServer::start().await;
    let clerk = server.clerk();
    let mut banned = fixtures::user("user_1");
    banned["banned"] = json!(true);
    server.respond_json(200, banned);
    assert!(clerk.users().ban("user_1").await.unwrap().banned);
    server.always(Canned::json(200, fixtures::user("user_1")));
    assert!(!clerk.users().unban("user_1").await.unwrap().banned);
    clerk.users().lock("user_1").await.unwrap();
    clerk.users().unlock("user_1").await.unwrap();
    let requests = server.requests();
    for (request, action) in requests.iter().zip(["ban", "unban", "lock", "unlock"]) {
        request.assert_request("POST", &format!("/v1/users/user_1/{action}"), None, None);
    }
}

#[tokio::test]
async fn verify_password_maps_incorrect_password_to_false() {
    let server = MockServer::start().await;
    let clerk = server.clerk();
    server.respond_json(200, json!({"verified": true}));
    assert!(
        clerk
            .users()
            .verify_password("user_1", "s3cret pw")
            .await
            .unwrap()
    );
    server.requests()[0].assert_request(
        "POST",
        "/v1/users/user_1/verify_password",
        None,
        Some(json!({"password": "s3cret pw"})),
    );

    server.respond_json(
        422,
        fixtures::error("incorrect_password", "incorrect password"),
    );
    assert!(
        !clerk
            .users()
            .verify_password("user_1", "wrong")
            .await
            .unwrap()
    );

    server.respond_json(400, fixtures::error("no_password_set", "no password set"));
    let err = clerk
        .users()
        .verify_password("user_1", "x")
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("no_password_set"));
}

#[tokio::test]
async fn ids_are_percent_encoded_and_empty_ids_refused() {
    let server = MockServer::start().await;
    let clerk = server.clerk();
    server.respond_json(200, fixtures::user("x"));
    clerk.users().get("user 1/../admin?x").await.unwrap();
    server
        .only_request()
        .assert_target("GET", "/v1/users/user%201%2F..%2Fadmin%3Fx", None);

    for bad in ["", ".", ".."] {
        let err = clerk.users().get(bad).await.unwrap_err();
        assert!(matches!(err, Error::InvalidInput(_)), "{bad:?}: {err}");
        let err = clerk.users().delete(bad).await.unwrap_err();
        assert!(matches!(err, Error::InvalidInput(_)));
    }
    assert_eq!(server.requests().len(), 1, "nothing sent for invalid IDs");
}

#[tokio::test]
async fn password_compromised_set_and_unset_post_to_their_paths() {
    let server = MockServer::start().await;
    server
        .respond_json(200, fixtures::user("user_1"))
        .respond_json(200, fixtures::user("user_1"));
    let clerk = server.clerk();
    let user = clerk
        .users()
        .set_password_compromised("user_1", true)
        .await
        .unwrap();
    assert_eq!(user.id, "user_1");
    clerk
        .users()
        .unset_password_compromised("user_1")
        .await
        .unwrap();
    let requests = server.requests();
    requests[0].assert_target("POST", "/v1/users/user_1/password/set_compromised", None);
    assert_eq!(requests[0].json(), json!({"revoke_all_sessions": true}));
    requests[1].assert_target("POST", "/v1/users/user_1/password/unset_compromised", None);
}

#[tokio::test]
async fn profile_image_upload_is_multipart_with_the_file_and_delete_is_a_delete() {
    let server = MockServer::start().await;
    let mut answer = fixtures::user("user_1");
    answer["has_image"] = json!(true);
    answer["image_url"] = json!("https://img.example/me");
    server
        .respond_json(200, answer)
        .respond_json(200, fixtures::user("user_1"));
    let gif = b"GIF89a\x01\x00pixels".to_vec();
    let clerk = server.clerk();
    let user = clerk
        .users()
        .set_profile_image(
            "user_1",
            clerk_sdk::ProfileImage::new(gif.clone()).file_name("me.gif"),
        )
        .await
        .unwrap();
    assert!(user.has_image);
    assert_eq!(user.image_url.as_deref(), Some("https://img.example/me"));
    clerk.users().delete_profile_image("user_1").await.unwrap();

    let requests = server.requests();
    requests[0].assert_target("POST", "/v1/users/user_1/profile_image", None);
    let content_type = requests[0].header("content-type").unwrap();
    let boundary = content_type
        .strip_prefix("multipart/form-data; boundary=")
        .unwrap_or_else(|| panic!("{content_type}"));
    let mut expected = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"me.gif\"\r\n\
         Content-Type: image/gif\r\n\r\n"
    )
    .into_bytes();
    expected.extend_from_slice(&gif);
    expected.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    assert_eq!(requests[0].body, expected);
    requests[1].assert_target("DELETE", "/v1/users/user_1/profile_image", None);
}

#[tokio::test]
async fn verify_totp_reads_the_code_type_and_a_422_as_none() {
    let server = MockServer::start().await;
    server
        .respond_json(200, json!({"verified": true, "code_type": "backup_code"}))
        .respond_json(
            422,
            fixtures::error("form_code_incorrect", "Incorrect code"),
        )
        .respond_json(400, fixtures::error("totp_not_enabled", "TOTP not enabled"));
    let users = server.clerk();
    let users = users.users();
    assert_eq!(
        users.verify_totp("user_1", "abc-123").await.unwrap(),
        Some(clerk_sdk::TotpCodeType::BackupCode)
    );
    assert_eq!(users.verify_totp("user_1", "000000").await.unwrap(), None);
    let err = users.verify_totp("user_1", "000000").await.unwrap_err();
    assert!(err.has_code("totp_not_enabled"), "{err:?}");
    let requests = server.requests();
    requests[0].assert_target("POST", "/v1/users/user_1/verify_totp", None);
    assert_eq!(requests[0].json(), json!({"code": "abc-123"}));
}

#[tokio::test]
async fn passkeys_and_external_accounts_are_deleted_by_their_paths() {
    let server = MockServer::start().await;
    server
        .respond_json(
            200,
            json!({"object": "passkey", "id": "idn_p", "deleted": true}),
        )
        .respond_json(
            200,
            json!({"object": "external_account", "id": "eac_1", "deleted": true}),
        );
    let clerk = server.clerk();
    let deleted = clerk
        .users()
        .delete_passkey("user_1", "idn_p")
        .await
        .unwrap();
    assert_eq!(deleted.object, "passkey");
    assert_eq!(deleted.id.as_deref(), Some("idn_p"));
    let deleted = clerk
        .users()
        .delete_external_account("user_1", "eac_1")
        .await
        .unwrap();
    assert_eq!(deleted.object, "external_account");
    assert!(deleted.deleted);
    let requests = server.requests();
    requests[0].assert_request("DELETE", "/v1/users/user_1/passkeys/idn_p", None, None);
    requests[1].assert_request(
        "DELETE",
        "/v1/users/user_1/external_accounts/eac_1",
        None,
        None,
    );
}

#[tokio::test]
async fn trusted_devices_are_listed_and_revoked() {
    use clerk_sdk::{TrustedDevicePlatform, TrustedDeviceStatus};
    let device = |status: &str| {
        json!({
            "object": "trusted_device", "id": "td_1", "platform": "android",
            "app_identifier": "com.example.app", "name": "Pixel", "algorithm": "ES256",
            "status": status, "created_at": 1, "updated_at": 2, "last_used_at": 3,
            "revoked_at": if status == "revoked" { json!(4) } else { json!(null) },
            "added_later": true
        })
    };
    let server = MockServer::start().await;
    server
        .respond_json(200, json!({"data": [device("active")], "total_count": 1}))
        .respond_json(200, device("revoked"));
    let clerk = server.clerk();
    let page = clerk.users().list_trusted_devices("user_1").await.unwrap();
    assert_eq!(page.total_count, Some(1));
    let listed = &page.data[0];
    assert_eq!(listed.platform, TrustedDevicePlatform::Android);
    assert_eq!(listed.status, TrustedDeviceStatus::Active);
    assert_eq!(listed.name.as_deref(), Some("Pixel"));
    assert_eq!(listed.last_used_at, Some(3));
    assert_eq!(listed.revoked_at, None);
    assert_eq!(listed.extra["added_later"], true);
    let revoked = clerk
        .users()
        .revoke_trusted_device("user_1", "td_1")
        .await
        .unwrap();
    assert_eq!(revoked.status, TrustedDeviceStatus::Revoked);
    assert_eq!(revoked.revoked_at, Some(4));
    let requests = server.requests();
    requests[0].assert_request("GET", "/v1/users/user_1/trusted_devices", None, None);
    requests[1].assert_request(
        "DELETE",
        "/v1/users/user_1/trusted_devices/td_1",
        None,
        None,
    );
}
