//! `GET /v1/users` and `GET /v1/users/count`: every filter, ordering and pagination.

use std::time::Duration;

use serde_json::{Value, json};

use crate::common::{Api, each_backend};

/// Three users with distinct identifiers, created one second apart (oldest first).
async fn three_users(api: &Api) -> Vec<Value> {
    let bodies = [
        json!({
            "email_address": ["alice@wonderland.example"],
            "phone_number": ["+15555550111"],
            "web3_wallet": ["0x1111111111111111111111111111111111111111"],
            "username": "alice_w",
            "first_name": "Alice",
            "last_name": "Liddell",
            "external_id": "ext-a",
        }),
        json!({
            "email_address": ["bob@builder.example"],
            "phone_number": ["+15555550222"],
            "web3_wallet": ["0x2222222222222222222222222222222222222222"],
            "username": "bob_b",
            "first_name": "Bob",
            "last_name": "Builder",
            "external_id": "ext-b",
        }),
        json!({
            "email_address": ["carol@example.org"],
            "username": "carol_c",
            "first_name": "Carol",
            "last_name": "Danvers",
        }),
    ];
    let mut users = Vec::new();
    for body in bodies {
        users.push(api.user(body).await);
        api.server.advance_clock(Duration::from_secs(1));
    }
    users
}

fn id(user: &Value) -> String {
    user["id"].as_str().unwrap().to_owned()
}

/// The ids `GET /v1/users?<query>` returns, checking it is a bare array.
async fn list(api: &Api, query: &str) -> Vec<String> {
    let resp = api.get(&format!("/v1/users?{query}")).await;
    assert!(
        resp.ok().is_array(),
        "users list must be a bare array: {}",
        resp.text
    );
    resp.ids()
}

async fn count(api: &Api, query: &str) -> i64 {
    let resp = api.get(&format!("/v1/users/count?{query}")).await;
    assert_eq!(resp.ok()["object"], "total_count");
    resp.ok()["total_count"].as_i64().unwrap()
}

#[tokio::test]
async fn order_and_pagination() {
    each_backend(async |api: &mut Api| {
        let users = three_users(api).await;
        let (a, b, c) = (id(&users[0]), id(&users[1]), id(&users[2]));
        assert_eq!(
            list(api, "").await,
            vec![c.clone(), b.clone(), a.clone()],
            "newest first"
        );
        assert_eq!(
            list(api, "order_by=-created_at").await,
            vec![c.clone(), b.clone(), a.clone()]
        );
        assert_eq!(
            list(api, "order_by=%2Bcreated_at").await,
            vec![a.clone(), b.clone(), c.clone()]
        );
        assert_eq!(
            list(api, "order_by=created_at").await,
            vec![a.clone(), b.clone(), c.clone()]
        );
        assert_eq!(list(api, "limit=2").await, vec![c.clone(), b.clone()]);
        assert_eq!(list(api, "limit=2&offset=2").await, vec![a.clone()]);
        assert_eq!(list(api, "limit=1&offset=1").await, vec![b.clone()]);
        assert!(list(api, "offset=10").await.is_empty());

        // Ordering by other fields (nulls last), with repeated order_by honouring the first.
        assert_eq!(
            list(api, "order_by=username").await,
            vec![a.clone(), b.clone(), c.clone()]
        );
        assert_eq!(
            list(api, "order_by=-first_name").await,
            vec![c.clone(), b.clone(), a.clone()]
        );
        assert_eq!(
            list(api, "order_by=last_name").await,
            vec![b.clone(), c.clone(), a.clone()]
        );
        assert_eq!(
            list(api, "order_by=-email_address").await,
            vec![c.clone(), b.clone(), a.clone()]
        );
        assert_eq!(
            list(api, "order_by=phone_number").await,
            vec![a.clone(), b.clone(), c.clone()]
        );
        assert_eq!(
            list(api, "order_by=-phone_number").await,
            vec![b.clone(), a.clone(), c.clone()]
        );
        assert_eq!(
            list(api, "order_by=-web3wallet").await,
            vec![b.clone(), a.clone(), c.clone()]
        );
        assert_eq!(
            list(api, "order_by=username&order_by=-username").await,
            vec![a.clone(), b.clone(), c.clone()]
        );
        for field in ["updated_at", "last_active_at", "last_sign_in_at"] {
            assert_eq!(
                list(api, &format!("order_by={field}")).await.len(),
                3,
                "{field}"
            );
        }

        // Cursor pagination.
        assert_eq!(
            list(api, &format!("limit=1&starting_after={c}")).await,
            vec![b.clone()]
        );
        assert_eq!(
            list(api, &format!("starting_after={b}")).await,
            vec![a.clone()]
        );
        assert_eq!(
            list(api, &format!("order_by=created_at&starting_after={a}")).await,
            vec![b.clone(), c.clone()]
        );
        api.get(&format!("/v1/users?starting_after={a}&order_by=username"))
            .await
            .err(422, "form_param_value_invalid");
        api.get(&format!("/v1/users?starting_after={a}&offset=1"))
            .await
            .err(422, "form_conditional_param_disallowed");
        api.get("/v1/users?starting_after=user_unknown")
            .await
            .err(422, "form_param_value_invalid");

        // Bad pagination values.
        for (query, code) in [
            ("limit=0", "form_param_value_invalid"),
            ("limit=501", "form_param_value_invalid"),
            ("limit=abc", "form_param_format_invalid"),
            ("offset=-1", "form_param_value_invalid"),
            ("order_by=height", "form_param_value_invalid"),
        ] {
            let resp = api.get(&format!("/v1/users?{query}")).await;
            resp.err(422, code);
        }
        assert_eq!(list(api, "limit=500").await.len(), 3);
        // Python's defaults.
        assert_eq!(
            list(api, "limit=10&offset=0&order_by=-created_at")
                .await
                .len(),
            3
        );
    })
    .await;
}

#[tokio::test]
async fn exact_filters() {
    each_backend(async |api: &mut Api| {
        let users = three_users(api).await;
        let (a, b, c) = (id(&users[0]), id(&users[1]), id(&users[2]));
        // Alice created an organization; Carol joined it.
        let org = api
            .post(
                "/v1/organizations",
                json!({"name": "Filters", "created_by": a}),
            )
            .await
            .ok()["id"]
            .as_str()
            .unwrap()
            .to_owned();
        api.post(
            &format!("/v1/organizations/{org}/memberships"),
            json!({"user_id": c, "role": "org:member"}),
        )
        .await
        .ok();
        let cases: Vec<(String, Vec<String>)> = vec![
            (
                "email_address=alice%40wonderland.example&email_address=BOB%40builder.example"
                    .into(),
                vec![b.clone(), a.clone()],
            ),
            ("email_address=nobody%40example.com".into(), vec![]),
            ("phone_number=%2B15555550222".into(), vec![b.clone()]),
            (
                "username=CAROL_C&username=alice_w".into(),
                vec![c.clone(), a.clone()],
            ),
            (
                "web3_wallet=0x1111111111111111111111111111111111111111".into(),
                vec![a.clone()],
            ),
            (
                "external_id=ext-a&external_id=ext-b".into(),
                vec![b.clone(), a.clone()],
            ),
            ("external_id=-ext-a".into(), vec![c.clone(), b.clone()]),
            ("external_id=%2Bext-b".into(), vec![b.clone()]),
            (
                format!("user_id={a}&user_id={c}"),
                vec![c.clone(), a.clone()],
            ),
            (format!("user_id=-{a}"), vec![c.clone(), b.clone()]),
            (format!("user_id=%2B{b}&user_id=-{a}"), vec![b.clone()]),
            (format!("organization_id={org}"), vec![c.clone(), a.clone()]),
            (format!("organization_id=-{org}"), vec![b.clone()]),
            (
                format!("organization_id={org}&user_id=-{a}"),
                vec![c.clone()],
            ),
            // An unknown organization has no members: it includes nobody, excludes nobody.
            ("organization_id=org_123".into(), vec![]),
            (
                "organization_id=-org_123".into(),
                vec![c.clone(), b.clone(), a.clone()],
            ),
            // No external accounts exist here either.
            (
                "provider=oauth_google&provider_user_id=12345".into(),
                vec![],
            ),
            // The wrong array syntax is ignored, as by Clerk: everything comes back.
            (
                "email_address[]=alice%40wonderland.example".into(),
                vec![c.clone(), b.clone(), a.clone()],
            ),
            ("banned=false".into(), vec![c.clone(), b.clone(), a.clone()]),
            ("banned=true".into(), vec![]),
        ];
        for (query, expected) in cases {
            assert_eq!(list(api, &query).await, expected, "{query}");
            assert_eq!(
                count(api, &query).await,
                expected.len() as i64,
                "count {query}"
            );
        }
        api.get("/v1/users?provider=oauth_google")
            .await
            .err(422, "form_conditional_param_missing");
        api.get("/v1/users?provider_user_id=1")
            .await
            .err(422, "form_conditional_param_missing");
        api.get("/v1/users?banned=perhaps")
            .await
            .err(422, "form_param_format_invalid");
        let many: String = (0..101).map(|i| format!("user_id=user_{i}&")).collect();
        api.get(&format!("/v1/users?{many}"))
            .await
            .err(422, "form_param_array_size_exceeded");
    })
    .await;
}

#[tokio::test]
async fn query_matches_every_identifier_in_part_and_ignoring_case() {
    each_backend(async |api: &mut Api| {
        let users = three_users(api).await;
        let (a, b, c) = (id(&users[0]), id(&users[1]), id(&users[2]));
        let a_suffix = a[a.len() - 8..].to_lowercase();
        let cases: Vec<(&str, String, Vec<String>)> = vec![
            ("email", "WONDERLAND".into(), vec![a.clone()]),
            ("email domain part", "example.org".into(), vec![c.clone()]),
            ("phone", "550222".into(), vec![b.clone()]),
            ("username", "Carol_".into(), vec![c.clone()]),
            ("web3 wallet", "0x22222".into(), vec![b.clone()]),
            ("user id", a_suffix, vec![a.clone()]),
            ("first name", "ALIC".into(), vec![a.clone()]),
            ("last name", "dANVER".into(), vec![c.clone()]),
            (
                "shared",
                "example".into(),
                vec![c.clone(), b.clone(), a.clone()],
            ),
            ("no match", "zebra".into(), vec![]),
            // Needles with characters ids never hold ('@', '+'), so random ids cannot match.
            ("two characters (scan)", "b@".into(), vec![b.clone()]),
            (
                "one character (scan)",
                "+".into(),
                vec![b.clone(), a.clone()],
            ),
            ("one character, no match", "!".into(), vec![]),
            ("quote", "al\"ice".into(), vec![]),
            ("percent", "%".into(), vec![]),
        ];
        for (what, needle, expected) in cases {
            let query = format!("query={}", urlencode(&needle));
            assert_eq!(list(api, &query).await, expected, "query by {what}");
            assert_eq!(
                count(api, &query).await,
                expected.len() as i64,
                "count by {what}"
            );
        }
    })
    .await;
}

#[tokio::test]
async fn attribute_queries() {
    each_backend(async |api: &mut Api| {
        let users = three_users(api).await;
        let (a, b, c) = (id(&users[0]), id(&users[1]), id(&users[2]));
        let cases: Vec<(&str, Vec<String>)> = vec![
            ("email_address_query=ELLO", vec![]),
            ("email_address_query=BUILDER", vec![b.clone()]),
            ("email_address_query=bob_b", vec![]),
            ("phone_number_query=555", vec![b.clone(), a.clone()]),
            ("phone_number_query=0111", vec![a.clone()]),
            ("username_query=B_B", vec![b.clone()]),
            ("username_query=builder", vec![]),
            ("name_query=alice%20lid", vec![a.clone()]),
            ("name_query=ers", vec![c.clone()]),
            ("name_query=carol_c", vec![]),
            ("query=o&email_address_query=builder", vec![b.clone()]),
        ];
        for (query, expected) in cases {
            assert_eq!(list(api, query).await, expected, "{query}");
            assert_eq!(
                count(api, query).await,
                expected.len() as i64,
                "count {query}"
            );
        }
    })
    .await;
}

#[tokio::test]
async fn query_sees_changes() {
    each_backend(async |api: &mut Api| {
        let user = api.user(json!({"first_name": "Zebulon"})).await;
        let uid = id(&user);
        assert_eq!(list(api, "query=zebulon").await, vec![uid.clone()]);
        api.patch(
            &format!("/v1/users/{uid}"),
            json!({"first_name": "Yannick"}),
        )
        .await
        .ok();
        assert!(list(api, "query=zebulon").await.is_empty());
        assert_eq!(list(api, "name_query=yannick").await, vec![uid.clone()]);
        let email = api
            .post(
                "/v1/email_addresses",
                json!({"user_id": uid, "email_address": "late@added.example", "verified": true}),
            )
            .await;
        assert_eq!(list(api, "query=added.ex").await, vec![uid.clone()]);
        api.delete(&format!(
            "/v1/email_addresses/{}",
            email.ok()["id"].as_str().unwrap()
        ))
        .await
        .ok();
        assert!(list(api, "query=added.ex").await.is_empty());
        api.delete(&format!("/v1/users/{uid}")).await.ok();
        assert!(list(api, "query=yannick").await.is_empty());
    })
    .await;
}

#[tokio::test]
async fn date_filters() {
    each_backend(async |api: &mut Api| {
        let users = three_users(api).await;
        let (a, b, c) = (id(&users[0]), id(&users[1]), id(&users[2]));
        let created_b = users[1]["created_at"].as_i64().unwrap();
        assert_eq!(
            list(api, &format!("created_at_before={created_b}")).await,
            vec![a.clone()]
        );
        assert_eq!(
            list(api, &format!("created_at_after={created_b}")).await,
            vec![c.clone()]
        );
        assert_eq!(
            count(
                api,
                &format!(
                    "created_at_after={}&created_at_before={}",
                    created_b - 1,
                    created_b + 1
                )
            )
            .await,
            1
        );
        // Sign-ins come from sessions.
        api.server.advance_clock(Duration::from_secs(10));
        let session = api.session(&b).await;
        let signed_in = session["created_at"].as_i64().unwrap();
        assert_eq!(
            list(api, &format!("last_sign_in_at_after={}", signed_in - 1)).await,
            vec![b.clone()]
        );
        assert!(
            list(api, &format!("last_sign_in_at_before={signed_in}"))
                .await
                .is_empty()
        );
        let user_b = api.get(&format!("/v1/users/{b}")).await;
        let active = user_b.ok()["last_active_at"].as_i64().unwrap();
        assert_eq!(active % 86_400_000, 0, "last_active_at has day precision");
        assert_eq!(
            list(api, &format!("last_active_at_since={active}")).await,
            vec![b.clone()]
        );
        assert_eq!(
            list(api, &format!("last_active_at_after={}", active - 1)).await,
            vec![b.clone()]
        );
        assert!(
            list(api, &format!("last_active_at_before={active}"))
                .await
                .is_empty()
        );
        api.get("/v1/users?created_at_before=yesterday")
            .await
            .err(422, "form_param_invalid_date");
    })
    .await;
}

fn urlencode(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

/// A page of users is read back another way than a single user (one JSON row built by the
/// database), so every value must come out the same: metadata with nested objects, unicode,
/// escapes and numbers, every kind of identification, nulls and flags.
#[tokio::test]
async fn a_listed_user_is_the_user_as_got() {
    each_backend(async |api: &mut Api| {
        let metadata = json!({
            "nested": {"deep": [1, 2.5, -3, 12345678901234_i64, true, null, "x"]},
            "unicode": "zoë 🦀 \u{1F600} \u{0}".replace('\u{0}', ""),
            "escapes": "quote \" backslash \\ newline \n tab \t",
            "empty": {},
        });
        let user = api
            .user(json!({
                "email_address": ["ann@example.com", "ann.2@example.com"],
                "phone_number": ["+15555550101"],
                "web3_wallet": ["0x0000000000000000000000000000000000000abc"],
                "username": "ann_list",
                "first_name": "Ann",
                "public_metadata": metadata,
                "private_metadata": {"n": 1},
                "password": "correct horse battery",
                "external_id": "ext-1",
            }))
            .await;
        api.user(json!({"email_address": ["bob@example.com"]}))
            .await;
        let id = user["id"].as_str().unwrap();
        let got = api.get(&format!("/v1/users/{id}")).await.ok().clone();
        let listed = api.get("/v1/users?limit=10").await;
        let listed = listed.ok().as_array().unwrap().clone();
        let mine = listed.iter().find(|u| u["id"] == id).unwrap();
        assert_eq!(mine, &got);
        assert_eq!(got["public_metadata"], metadata);
        assert_eq!(listed.len(), 2);
        // An empty page is an empty array.
        let none = api.get("/v1/users?limit=10&offset=5").await;
        assert_eq!(none.ok(), &json!([]));
    })
    .await;
}
