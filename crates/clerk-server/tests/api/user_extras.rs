//! The last user operations: passwords marked compromised and profile images.

use reqwest::Method;
use reqwest::multipart::{Form, Part};
use serde_json::{Value, json};

use crate::common::{Api, Resp, each_backend, http_client};
use crate::webhook_receiver::Subscription;

const PNG: &[u8] =
    b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89";

fn id(v: &Value) -> String {
    v["id"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn passwords_are_set_and_unset_as_compromised() {
    each_backend(async |api: &mut Api| {
        let uid = id(&api
            .user(json!({"email_address": ["pw@example.com"], "password": "correct horse battery"}))
            .await);
        let sid = id(&api.session(&uid).await);
        let mut hook = Subscription::start(api, Some(&["user.updated", "session.revoked"])).await;
        let status = async |api: &Api| api.get(&format!("/v1/_local/users/{uid}/password")).await;
        assert_eq!(status(api).await.ok()["compromised"], false);

        let set = api
            .post(
                &format!("/v1/users/{uid}/password/set_compromised"),
                json!({}),
            )
            .await;
        assert_eq!(set.ok()["object"], "user");
        assert_eq!(set.ok()["password_enabled"], true);
        let event = hook.expect("user.updated").await;
        assert_eq!(event["data"]["id"], json!(uid));
        let now = status(api).await;
        assert_eq!(now.ok()["compromised"], true);
        assert!(now.ok()["compromised_at"].as_i64().is_some());
        // Without revoke_all_sessions the sessions stay.
        let session = api.get(&format!("/v1/sessions/{sid}")).await;
        assert_eq!(session.ok()["status"], "active");

        // Again with revoke_all_sessions: the flag is already set (no user.updated), the
        // sessions go.
        api.post(
            &format!("/v1/users/{uid}/password/set_compromised"),
            json!({"revoke_all_sessions": true}),
        )
        .await
        .ok();
        hook.expect("session.revoked").await;
        let session = api.get(&format!("/v1/sessions/{sid}")).await;
        assert_eq!(session.ok()["status"], "revoked");

        api.post_empty(&format!("/v1/users/{uid}/password/unset_compromised"))
            .await
            .ok();
        hook.expect("user.updated").await;
        assert_eq!(status(api).await.ok()["compromised"], false);

        // A new password is not compromised.
        api.post(
            &format!("/v1/users/{uid}/password/set_compromised"),
            json!({}),
        )
        .await
        .ok();
        assert_eq!(status(api).await.ok()["compromised"], true);
        api.patch(
            &format!("/v1/users/{uid}"),
            json!({"password": "another horse battery"}),
        )
        .await
        .ok();
        assert_eq!(status(api).await.ok()["compromised"], false);

        // Errors.
        let plain = id(&api.user(json!({"email_address": ["np@example.com"]})).await);
        api.post(
            &format!("/v1/users/{plain}/password/set_compromised"),
            json!({}),
        )
        .await
        .err(400, "no_password_set");
        api.post_empty(&format!("/v1/users/{plain}/password/unset_compromised"))
            .await
            .ok();
        let missing = api
            .post("/v1/users/user_missing/password/set_compromised", json!({}))
            .await;
        let error = missing.err(404, "resource_not_found");
        assert!(
            error["long_message"]
                .as_str()
                .unwrap()
                .contains("user_missing")
        );
        api.post_empty("/v1/users/user_missing/password/unset_compromised")
            .await
            .err(404, "resource_not_found");
        api.post(
            &format!("/v1/users/{uid}/password/set_compromised"),
            json!({"other": 1}),
        )
        .await
        .err(422, "form_param_unknown");
        api.get("/v1/_local/users/user_missing/password")
            .await
            .err(404, "resource_not_found");
    })
    .await;
}

/// Sends a multipart profile image upload.
async fn upload(api: &Api, uid: &str, part: Option<Part>) -> Resp {
    // A part besides the file, so that a form without the file is still well formed.
    let mut form = Form::new().text("note", "x");
    if let Some(part) = part {
        form = form.part("file", part);
    }
    api.send(
        api.request(Method::POST, &format!("/v1/users/{uid}/profile_image"))
            .multipart(form),
    )
    .await
}

#[tokio::test]
async fn profile_images_upload_serve_replace_delete() {
    each_backend(async |api: &mut Api| {
        let uid = id(&api
            .user(json!({"email_address": ["img@example.com"]}))
            .await);
        let fresh = api.get(&format!("/v1/users/{uid}")).await;
        assert_eq!(fresh.ok()["has_image"], false);
        let default_url = fresh.ok()["image_url"].as_str().unwrap().to_owned();
        assert!(default_url.ends_with("/images/default"), "{default_url}");
        assert_eq!(fresh.ok()["profile_image_url"], json!(default_url));
        let mut hook = Subscription::start(api, Some(&["user.updated", "user.deleted"])).await;

        let user = upload(
            api,
            &uid,
            Some(Part::bytes(PNG.to_vec()).file_name("me.png")),
        )
        .await;
        assert_eq!(user.ok()["has_image"], true);
        let url = user.ok()["image_url"].as_str().unwrap().to_owned();
        assert!(url.contains("/images/img_"), "{url}");
        assert_eq!(user.ok()["profile_image_url"], json!(url));
        let event = hook.expect("user.updated").await;
        assert_eq!(event["data"]["image_url"], json!(url));
        let served = http_client().get(&url).send().await.unwrap();
        assert_eq!(served.status(), 200);
        assert_eq!(served.headers()["content-type"], "image/png");
        assert_eq!(served.bytes().await.unwrap().as_ref(), PNG);
        assert_eq!(
            api.get(&format!("/v1/users/{uid}")).await.ok()["image_url"],
            json!(url)
        );

        // Replacing drops the old image.
        let gif = Part::bytes(b"GIF89a\x01\0\x01\0\0\0\0;".to_vec()).file_name("x.gif");
        let replaced = upload(api, &uid, Some(gif)).await;
        let new_url = replaced.ok()["image_url"].as_str().unwrap().to_owned();
        assert_ne!(new_url, url);
        hook.expect("user.updated").await;
        let old = http_client().get(&url).send().await.unwrap();
        assert_eq!(old.status(), 404);

        // Refused uploads: 400s, as the operation declares.
        let svg = Part::bytes(b"<svg/>".to_vec())
            .file_name("x.svg")
            .mime_str("image/svg+xml")
            .unwrap();
        let refused = upload(api, &uid, Some(svg)).await;
        let error = refused.err(400, "request_body_invalid");
        assert!(
            error["long_message"]
                .as_str()
                .unwrap()
                .contains("image/svg+xml")
        );
        upload(api, &uid, None).await.err(400, "form_param_missing");
        let big = Part::bytes([PNG, &vec![0u8; 10 * 1024 * 1024]].concat()).file_name("big.png");
        upload(api, &uid, Some(big))
            .await
            .err(400, "image_too_large");
        let part = Part::bytes(PNG.to_vec()).file_name("me.png");
        upload(api, "user_missing", Some(part))
            .await
            .err(404, "resource_not_found");

        // Delete, then delete again (nothing to remove: no event).
        let removed = api.delete(&format!("/v1/users/{uid}/profile_image")).await;
        assert_eq!(removed.ok()["has_image"], false);
        assert_eq!(removed.ok()["image_url"], json!(default_url));
        hook.expect("user.updated").await;
        let gone = http_client().get(&new_url).send().await.unwrap();
        assert_eq!(gone.status(), 404);
        api.delete(&format!("/v1/users/{uid}/profile_image"))
            .await
            .ok();
        api.delete("/v1/users/user_missing/profile_image")
            .await
            .err(404, "resource_not_found");

        // A deleted user's image goes with it.
        let part = Part::bytes(PNG.to_vec()).file_name("me.png");
        let again = upload(api, &uid, Some(part)).await;
        let last_url = again.ok()["image_url"].as_str().unwrap().to_owned();
        hook.expect("user.updated").await;
        api.delete(&format!("/v1/users/{uid}")).await.ok();
        hook.expect("user.deleted").await;
        let gone = http_client().get(&last_url).send().await.unwrap();
        assert_eq!(gone.status(), 404);
    })
    .await;
}
