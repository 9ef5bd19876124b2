//! `/v1/me/sessions`: the signed-in user's sessions on every client, as `user.getSessions()`
//! lists them, and `session.revoke()`: revoked through the Backend API's operation, with
//! `session.revoked`; another user's session is not found. Both backends.

use crate::common::{Api, each_backend};
use crate::fapi::signed_in;
use crate::webhook_receiver::Subscription;

fn ids(list: &serde_json::Value) -> Vec<String> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn the_user_lists_its_sessions_everywhere_and_revokes_one() {
    each_backend(async |api: &mut Api| {
        let (mut tab, current) = signed_in(api, "sessions@example.com").await;
        let me = tab.call("GET", "/v1/me", &[]).await;
        let user_id = me.ok()["response"]["id"].as_str().unwrap().to_owned();
        // A second session of the user, made by the Backend API (another client), and one
        // of somebody else.
        let other = api.session(&user_id).await;
        let other_id = other["id"].as_str().unwrap().to_owned();
        let stranger = api
            .user(serde_json::json!({"email_address": ["stranger@example.com"]}))
            .await;
        let foreign = api.session(stranger["id"].as_str().unwrap()).await;
        let foreign_id = foreign["id"].as_str().unwrap().to_owned();

        let active = tab.call("GET", "/v1/me/sessions/active", &[]).await;
        let mut listed = ids(active.ok());
        listed.sort();
        let mut expected = vec![current.clone(), other_id.clone()];
        expected.sort();
        assert_eq!(listed, expected);
        let first = &active.ok()[0];
        assert_eq!(first["object"], "session");
        assert_eq!(first["user"]["id"], user_id.as_str());
        assert!(first["user"].get("private_metadata").is_none());

        let mut hook = Subscription::start(api, Some(&["session.revoked"])).await;
        tab.call("POST", &format!("/v1/me/sessions/{foreign_id}/revoke"), &[])
            .await
            .err(404, "resource_not_found");
        let revoked = tab
            .call("POST", &format!("/v1/me/sessions/{other_id}/revoke"), &[])
            .await;
        assert_eq!(revoked.ok()["response"]["id"], other_id.as_str());
        assert_eq!(revoked.ok()["response"]["status"], "revoked");
        let event = hook.expect("session.revoked").await;
        assert_eq!(event["data"]["id"], other_id.as_str());
        let through_bapi = api.get(&format!("/v1/sessions/{other_id}")).await;
        assert_eq!(through_bapi.ok()["status"], "revoked");
        let foreign_now = api.get(&format!("/v1/sessions/{foreign_id}")).await;
        assert_eq!(foreign_now.ok()["status"], "active");

        // The active list drops it; the whole list keeps it with its status.
        let active = tab.call("GET", "/v1/me/sessions/active", &[]).await;
        assert_eq!(ids(active.ok()), vec![current.clone()]);
        let all = tab.call("GET", "/v1/me/sessions", &[]).await;
        let statuses: Vec<(String, String)> = all
            .ok()
            .as_array()
            .unwrap()
            .iter()
            .map(|s| {
                (
                    s["id"].as_str().unwrap().to_owned(),
                    s["status"].as_str().unwrap().to_owned(),
                )
            })
            .collect();
        assert!(
            statuses.contains(&(other_id.clone(), "revoked".to_owned())),
            "{statuses:?}"
        );
        assert!(statuses.contains(&(current.clone(), "active".to_owned())));
        assert!(!statuses.iter().any(|(id, _)| *id == foreign_id));

        // Signed out: 401.
        tab.call("POST", &format!("/v1/client/sessions/{current}/end"), &[])
            .await
            .ok();
        tab.call("GET", "/v1/me/sessions/active", &[])
            .await
            .err(401, "signed_out");
    })
    .await;
}
