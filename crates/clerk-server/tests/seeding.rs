//! Bulk seeding (`seed_users`) and the query plans of `GET /v1/_local/explain/…`, on SQLite
//! and (with `CLERK_TEST_POSTGRES_URL`) PostgreSQL.

use reqwest::Method;
use serde_json::{Value, json};

use clerk_server::{
    Config, Error, SeedUsers, SeededUser, TestDatabase, TestServer, seed_users, test_backends,
};

const PASSWORD: &str = "seeded-password-42";

/// Asserts success and returns the body.
#[track_caller]
fn ok((status, body): (http::StatusCode, Value)) -> Value {
    assert!(status.is_success(), "{status}: {body}");
    body
}

/// The usernames of a list of users.
fn usernames(list: &Value) -> Vec<String> {
    list.as_array()
        .expect("a list")
        .iter()
        .map(|u| u["username"].as_str().unwrap_or_default().to_owned())
        .collect()
}

#[tokio::test]
async fn seeded_users_are_what_the_api_would_have_created() {
    for backend in test_backends() {
        let database = TestDatabase::create(&backend).await.unwrap();
        let config = Config::new(database.url());
        let report = seed_users(&config, &SeedUsers::new(300).with_password(PASSWORD))
            .await
            .unwrap();
        assert_eq!(report.users, 300);
        let server = TestServer::start_with(config).await;
        let get = async |path: String| server.request(Method::GET, &path, None).await;

        assert_eq!(ok(get("/v1/users/count".into()).await)["total_count"], 300);

        // One user, found by email, as POST /v1/users would have made it.
        let seeded = SeededUser::at(7);
        let email = seeded.email_address.replace('@', "%40");
        let found = ok(get(format!("/v1/users?email_address={email}")).await);
        let user = &found[0];
        assert_eq!(found.as_array().unwrap().len(), 1);
        assert_eq!(user["first_name"], seeded.first_name.as_str());
        assert_eq!(user["last_name"], seeded.last_name.as_str());
        assert_eq!(user["username"], seeded.username.as_str());
        assert_eq!(user["password_enabled"], true);
        let address = &user["email_addresses"][0];
        assert_eq!(address["email_address"], seeded.email_address.as_str());
        assert_eq!(address["verification"]["status"], "verified");
        assert_eq!(user["primary_email_address_id"], address["id"]);
        let id = user["id"].as_str().unwrap().to_owned();
        assert!(id.starts_with("user_") && id.len() == 32, "{id}");
        assert_eq!(ok(get(format!("/v1/users/{id}")).await)["id"], id.as_str());

        // The shared password digest verifies for any of them.
        let verify = format!("/v1/users/{id}/verify_password");
        let (status, _) = server
            .request(Method::POST, &verify, Some(json!({ "password": PASSWORD })))
            .await;
        assert_eq!(status, 200);
        let (status, _) = server
            .request(
                Method::POST,
                &verify,
                Some(json!({ "password": "not-it-at-all" })),
            )
            .await;
        assert_eq!(status, 422);

        // Every search column is filled in: the tag, parts of names, username, email, id.
        for query in [
            format!("query={}", seeded.tag),
            format!("username_query={}", seeded.tag),
            format!("email_address_query={}", seeded.tag),
            format!("query={}", &id[5..20]),
        ] {
            let list = ok(get(format!("/v1/users?{query}")).await);
            assert_eq!(usernames(&list), [seeded.username.as_str()], "{query}");
        }
        let last = seeded.last_name.to_lowercase();
        let expected = (0..300)
            .filter(|i| SeededUser::at(*i).last_name == seeded.last_name)
            .count();
        let named = ok(get(format!("/v1/users/count?name_query={last}")).await);
        assert_eq!(named["total_count"], expected);

        // Created one second apart in index order: the cursor walks them all, newest first.
        let mut walked = Vec::new();
        let mut path = "/v1/users?limit=64".to_owned();
        loop {
            let page = ok(get(path.clone()).await);
            let page = page.as_array().unwrap();
            let Some(last) = page.last() else { break };
            walked.extend(
                page.iter()
                    .map(|u| u["username"].as_str().unwrap().to_owned()),
            );
            path = format!(
                "/v1/users?limit=64&starting_after={}",
                last["id"].as_str().unwrap()
            );
        }
        let expected: Vec<String> = (0..300).rev().map(|i| SeededUser::at(i).username).collect();
        assert_eq!(walked, expected);

        server.shutdown().await;
        database.remove().await;
    }
}

#[tokio::test]
async fn seeding_the_same_indexes_twice_fails_without_writing() {
    for backend in test_backends() {
        let database = TestDatabase::create(&backend).await.unwrap();
        let config = Config::new(database.url());
        seed_users(&config, &SeedUsers::new(20)).await.unwrap();
        let again = seed_users(&config, &SeedUsers::new(30).starting_at(10)).await;
        match again {
            Err(Error::InvalidConfig(message)) => {
                assert!(message.contains("starting_at"), "{message}")
            }
            other => panic!("expected a clash, got {other:?}"),
        }
        let more = seed_users(&config, &SeedUsers::new(30).starting_at(20))
            .await
            .unwrap();
        assert_eq!(more.users, 30);
        let server = TestServer::start_with(config).await;
        let count = ok(server.request(Method::GET, "/v1/users/count", None).await);
        assert_eq!(count["total_count"], 50);
        // Users added later are newer.
        let newest = ok(server.request(Method::GET, "/v1/users?limit=1", None).await);
        assert_eq!(newest[0]["username"], SeededUser::at(49).username.as_str());
        server.shutdown().await;
        database.remove().await;
    }
}

#[tokio::test]
async fn indexes_past_the_tag_space_are_refused() {
    let database = TestDatabase::create(&clerk_server::TestBackend::Sqlite)
        .await
        .unwrap();
    let seed = SeedUsers::new(2).starting_at((1 << 32) - 1);
    let result = seed_users(&Config::new(database.url()), &seed).await;
    assert!(matches!(result, Err(Error::InvalidConfig(_))), "{result:?}");
}

#[tokio::test]
async fn explain_shows_the_plans_of_the_users_routes() {
    for backend in test_backends() {
        let database = TestDatabase::create(&backend).await.unwrap();
        let config = Config::new(database.url());
        seed_users(&config, &SeedUsers::new(50)).await.unwrap();
        let server = TestServer::start_with(config).await;
        let seeded = SeededUser::at(3);
        let list = ok(server
            .request(
                Method::GET,
                &format!("/v1/users?query={}", seeded.tag),
                None,
            )
            .await);
        let id = list[0]["id"].as_str().unwrap().to_owned();

        let purposes = |plans: &Value| -> Vec<String> {
            plans["data"]
                .as_array()
                .unwrap()
                .iter()
                .map(|p| p["purpose"].as_str().unwrap().to_owned())
                .collect()
        };
        let expected_backend = match backend {
            clerk_server::TestBackend::Sqlite => "sqlite",
            clerk_server::TestBackend::Postgres(_) => "postgres",
        };
        for (path, expected) in [
            (
                format!("/v1/_local/explain/users?query={}", seeded.tag),
                vec!["page"],
            ),
            (
                format!("/v1/_local/explain/users?starting_after={id}"),
                vec!["cursor", "page"],
            ),
            (
                "/v1/_local/explain/users/count?banned=true".to_owned(),
                vec!["count"],
            ),
            (format!("/v1/_local/explain/users/{id}"), vec!["user"]),
        ] {
            let plans = ok(server.request(Method::GET, &path, None).await);
            assert_eq!(plans["object"], "query_plans");
            assert_eq!(plans["backend"], expected_backend);
            assert_eq!(purposes(&plans), expected, "{path}");
            for plan in plans["data"].as_array().unwrap() {
                assert!(
                    plan["sql"].as_str().unwrap().starts_with("SELECT "),
                    "{plan}"
                );
                assert!(!plan["plan"].as_array().unwrap().is_empty(), "{plan}");
            }
        }
        // The list's own validation applies.
        let (status, body) = server
            .request(Method::GET, "/v1/_local/explain/users?limit=0", None)
            .await;
        assert_eq!(status, 422, "{body}");
        let (status, body) = server
            .request(
                Method::GET,
                "/v1/_local/explain/users?starting_after=user_missing",
                None,
            )
            .await;
        assert_eq!(status, 422, "{body}");
        server.shutdown().await;
        database.remove().await;
    }
}
