//! Concurrent writes: no lost updates, one winner for a contested identifier.

use serde_json::{Value, json};

use crate::common::{Api, each_backend};

#[tokio::test]
async fn fifty_concurrent_metadata_merges_lose_no_key() {
    each_backend(async |api: &mut Api| {
        let user = api.user(json!({"public_metadata": {"base": true}})).await;
        let path = format!("/v1/users/{}/metadata", user["id"].as_str().unwrap());
        let api = &*api;
        let merges = (0..50).map(|i| {
            let path = path.clone();
            async move {
                let body = json!({
                    "public_metadata": {format!("key_{i}"): i, "nested": {format!("n_{i}"): i}},
                    "private_metadata": {format!("p_{i}"): true},
                });
                api.patch(&path, body).await.status
            }
        });
        let statuses = futures_util::future::join_all(merges).await;
        assert!(statuses.iter().all(|s| *s == 200), "{statuses:?}");
        let user = api
            .get(&format!("/v1/users/{}", user["id"].as_str().unwrap()))
            .await;
        let public = &user.ok()["public_metadata"];
        assert_eq!(public["base"], true);
        for i in 0..50 {
            assert_eq!(public[format!("key_{i}")], i, "key_{i} lost");
            assert_eq!(public["nested"][format!("n_{i}")], i, "nested n_{i} lost");
            assert_eq!(user.ok()["private_metadata"][format!("p_{i}")], true);
        }
        assert_eq!(public.as_object().unwrap().len(), 52);
    })
    .await;
}

#[tokio::test]
async fn twenty_concurrent_creates_with_one_email_make_one_user() {
    each_backend(async |api: &mut Api| {
        let api = &*api;
        let creates = (0..20).map(|i| async move {
            api.post(
                "/v1/users",
                json!({"email_address": ["contested@example.com"], "first_name": format!("n{i}")}),
            )
            .await
        });
        let responses = futures_util::future::join_all(creates).await;
        let winners: Vec<&Value> = responses
            .iter()
            .filter(|r| r.status == 200)
            .map(|r| &r.json)
            .collect();
        assert_eq!(winners.len(), 1, "exactly one create wins");
        let losers: Vec<_> = responses.iter().filter(|r| r.status != 200).collect();
        assert_eq!(losers.len(), 19);
        for loser in losers {
            loser.err(422, "form_identifier_exists");
            assert_eq!(loser.param(), "email_address");
        }
        assert_eq!(api.get("/v1/users/count").await.ok()["total_count"], 1);
        let found = api
            .get("/v1/users?email_address=contested%40example.com")
            .await;
        assert_eq!(found.ids(), vec![winners[0]["id"].as_str().unwrap()]);
    })
    .await;
}

#[tokio::test]
async fn ten_concurrent_invitations_of_one_address_leave_one_pending() {
    each_backend(async |api: &mut Api| {
        let api = &*api;
        // Under load a request may wait past the connection timeout and be told to come back
        // (503 with Retry-After); a client does, so these do too.
        let creates = (0..10).map(|_| async move {
            let mut tries = 0;
            loop {
                let answer = api
                    .post(
                        "/v1/invitations",
                        json!({"email_address": "invited@example.com", "notify": false}),
                    )
                    .await;
                tries += 1;
                if answer.status != 503 || tries == 10 {
                    return answer;
                }
                tokio::time::sleep(std::time::Duration::from_millis(200)).await;
            }
        });
        let responses = futures_util::future::join_all(creates).await;
        let winners: Vec<&Value> = responses
            .iter()
            .filter(|r| r.status == 200)
            .map(|r| &r.json)
            .collect();
        assert_eq!(winners.len(), 1, "exactly one invitation is created");
        for loser in responses.iter().filter(|r| r.status != 200) {
            loser.err(400, "duplicate_record");
        }
        let pending = api
            .get("/v1/invitations?status=pending&query=invited%40example.com")
            .await;
        assert_eq!(
            pending.ids(),
            vec![winners[0]["id"].as_str().unwrap().to_owned()]
        );
    })
    .await;
}
