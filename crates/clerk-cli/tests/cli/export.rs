//! `clerk users export`: CSV and JSON Lines, filters, the cursor and its fallback, and a
//! round trip through `users import`.

use std::sync::atomic::Ordering;

use axum::http::Method;
use serde_json::{Value, json};

use crate::common::{Env, Proxy};

fn five_users(env: &Env) -> Vec<String> {
    (0..5)
        .map(|i| {
            env.block_on(env.server.create_user_with(json!({
                "email_address": [format!("u{i}@example.com"), format!("other{i}@example.com")],
                "email_address_identification_status": ["verified", "reserved"],
                "first_name": format!("User{i}"),
                "public_metadata": {"i": i},
            })))
            .id
        })
        .collect()
}

#[test]
fn jsonl_is_every_user_as_the_api_sent_it_walked_by_cursor() {
    let env = Env::start();
    let ids = five_users(&env);
    let proxy = Proxy::start(&env);
    let run = env
        .clerk_at(&proxy.url, &["users", "export", "--page-size", "2"], None)
        .ok()
        .stderr_has("password digests and TOTP secrets cannot be exported");
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), 5);
    for (line, id) in lines.iter().zip(&ids) {
        let user: Value = serde_json::from_str(line).unwrap();
        assert_eq!(user["id"], id.as_str(), "oldest first");
        let direct = crate::common::raw_get(&env, &format!("/v1/users?user_id={id}"));
        assert_eq!(format!("[{line}]"), direct, "written as sent");
    }
    let pages = proxy.requests(Method::GET, "/v1/users");
    assert_eq!(pages.len(), 3);
    assert!(
        pages[1]
            .query
            .contains(&format!("starting_after={}", ids[1])),
        "{:?}",
        pages[1]
    );

    // With filters, into a file.
    let file = env.path("some.jsonl");
    env.clerk(&[
        "users",
        "export",
        "-o",
        file.to_str().unwrap(),
        "--query",
        // `query` also matches user ids in part; an `@` keeps a random id from matching too.
        "u3@",
    ])
    .ok();
    let text = std::fs::read_to_string(&file).unwrap();
    assert_eq!(text.lines().count(), 1);
    assert!(text.contains(&ids[3]));
}

#[test]
fn an_api_that_ignores_the_cursor_is_walked_by_offset() {
    let env = Env::start();
    let ids = five_users(&env);
    let proxy = Proxy::start(&env);
    proxy.ignore_cursor.store(true, Ordering::SeqCst);
    let run = env
        .clerk_at(&proxy.url, &["users", "export", "--page-size", "2"], None)
        .ok()
        .stderr_has("walking by offset");
    let exported: Vec<String> = run
        .stdout
        .lines()
        .map(|l| {
            serde_json::from_str::<Value>(l).unwrap()["id"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    assert_eq!(exported, ids, "every user once, in order");
}

#[test]
fn csv_has_the_dashboard_columns_and_imports_into_another_server() {
    let env = Env::start();
    let ids = five_users(&env);
    let file = env.path("users.csv");
    env.clerk(&["users", "export", "-o", file.to_str().unwrap()])
        .ok()
        .stderr_has("columns stay empty")
        .stderr_has("exported 5 user(s)");
    let text = std::fs::read_to_string(&file).unwrap();
    let mut lines = text.lines();
    assert_eq!(
        lines.next().unwrap(),
        "id,first_name,last_name,username,primary_email_address,primary_phone_number,verified_email_addresses,unverified_email_addresses,verified_phone_numbers,unverified_phone_numbers,totp_secret,password_digest,password_hasher"
    );
    assert_eq!(
        lines.next().unwrap(),
        format!(
            "{},User0,,,u0@example.com,,u0@example.com,other0@example.com,,,,,",
            ids[0]
        )
    );

    // Into a second server: the same people, the unverified address still unverified.
    let other = Env::start();
    let report = other
        .clerk(&[
            "--json",
            "users",
            "import",
            file.to_str().unwrap(),
            "--id-as-external-id",
        ])
        .ok()
        .json();
    assert_eq!(report["created"], 5);
    let copy = &other.get("/v1/users?email_address=u2%40example.com")[0];
    assert_eq!(copy["first_name"], "User2");
    assert_eq!(copy["external_id"], ids[2].as_str());
    let other_address = copy["email_addresses"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["email_address"] == "other2@example.com")
        .unwrap();
    assert_eq!(other_address["reserved"], true);

    // JSON Lines exports import back too, metadata included.
    let jsonl = env.path("users.jsonl");
    env.clerk(&["users", "export", "-o", jsonl.to_str().unwrap()])
        .ok();
    let third = Env::start();
    third
        .clerk(&["users", "import", jsonl.to_str().unwrap()])
        .ok()
        .stdout_has("5 created");
    let copy = &third.get("/v1/users?email_address=u4%40example.com")[0];
    assert_eq!(copy["public_metadata"], json!({"i": 4}));
}
