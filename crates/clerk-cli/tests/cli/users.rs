//! `clerk users …`

use serde_json::json;

use crate::common::{Env, raw_get};

#[test]
fn list_prints_a_table_and_the_exact_json_with_every_filter() {
    let env = Env::start();
    for email in ["ada@example.com", "bob@example.com", "cy@example.com"] {
        env.user(email);
    }
    let table = env.clerk(&["users", "list"]).ok();
    let header = table.stdout.lines().next().unwrap();
    assert!(
        header.starts_with("ID") && header.contains("PRIMARY EMAIL"),
        "{table:#?}"
    );
    assert_eq!(table.stdout.lines().count(), 4, "{table:#?}");
    assert!(table.stdout.contains("bob@example.com"));

    // --json is byte for byte what the API sent (fields the SDK does not model included).
    let json = env
        .clerk(&["--json", "users", "list", "--order-by", "+created_at"])
        .ok();
    assert_eq!(
        json.stdout.trim_end(),
        raw_get(&env, "/v1/users?order_by=%2Bcreated_at")
    );
    assert_eq!(json.json().as_array().unwrap().len(), 3);

    // Array filters repeat their key; every filter is passed on.
    let some = env.json(&[
        "users",
        "list",
        "--email-address",
        "ada@example.com",
        "--email-address",
        "cy@example.com",
    ]);
    let mut emails: Vec<&str> = some
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["email_addresses"][0]["email_address"].as_str().unwrap())
        .collect();
    emails.sort_unstable();
    assert_eq!(emails, ["ada@example.com", "cy@example.com"]);
    let none = env.json(&[
        "users",
        "list",
        "--created-at-before",
        "2000-01-01",
        "--banned",
        "false",
    ]);
    assert_eq!(none, json!([]));
    let paged = env.json(&[
        "users",
        "list",
        "--limit",
        "1",
        "--offset",
        "1",
        "--order-by",
        "+created_at",
    ]);
    assert_eq!(
        paged[0]["email_addresses"][0]["email_address"],
        "bob@example.com"
    );
    let query = env.json(&["users", "list", "--query", "bob"]);
    assert_eq!(query.as_array().unwrap().len(), 1);

    // An API error: the Clerk code, message and trace id on stderr, exit 1.
    env.clerk(&["users", "list", "--limit", "501"])
        .api_error("form_param_value_invalid")
        .stderr_has("status: 422");
    // Bad arguments are usage errors (exit 2).
    env.clerk(&["users", "list", "--created-at-after", "yesterday"])
        .code(2);
    env.clerk(&["users", "list", "--banned", "maybe"]).code(2);
}

#[test]
fn get_count_and_errors() {
    let env = Env::start();
    let id = env.user("ada@example.com");
    env.clerk(&["users", "get", &id])
        .ok()
        .stdout_has("ID:")
        .stdout_has("ada@example.com (primary, verified)");
    let json = env.clerk(&["--json", "users", "get", &id]).ok();
    assert_eq!(
        json.stdout.trim_end(),
        raw_get(&env, &format!("/v1/users/{id}"))
    );
    env.clerk(&["users", "get", "user_missing"])
        .api_error("resource_not_found")
        .stderr_has("status: 404");
    // The ID is one path segment, whatever it holds.
    env.clerk(&["users", "get", "../users"])
        .api_error("resource_not_found");
    env.clerk(&["users", "get", ""]).code(2);

    assert_eq!(env.clerk(&["users", "count"]).ok().stdout.trim(), "1");
    assert_eq!(
        env.json(&["users", "count", "--email-address", "nobody@example.com"]),
        json!({"object": "total_count", "total_count": 0})
    );
}

#[test]
fn create_update_delete() {
    let env = Env::start();
    let created = env
        .clerk_stdin(
            &[
                "--json",
                "users",
                "create",
                "--email-address",
                "ada@example.com",
                "--first-name",
                "Ada",
                "--username",
                "ada_l",
                "--password-stdin",
                "--public-metadata",
                r#"{"plan":"pro"}"#,
            ],
            "correct horse battery staple\n",
        )
        .ok()
        .json();
    let id = created["id"].as_str().unwrap().to_owned();
    assert_eq!(created["first_name"], "Ada");
    assert_eq!(created["password_enabled"], true);
    assert_eq!(created["public_metadata"], json!({"plan": "pro"}));

    env.clerk(&["users", "create", "--email-address", "ada@example.com"])
        .api_error("form_identifier_exists")
        .stderr_has("parameter: email_address");
    env.clerk(&["users", "create", "--public-metadata", "[1]"])
        .code(2);

    env.clerk(&[
        "users",
        "update",
        &id,
        "--first-name",
        "John",
        "--username",
        "",
    ])
    .ok()
    .stdout_has("Name:")
    .stdout_has("John");
    let user = env.get(&format!("/v1/users/{id}"));
    assert_eq!(user["first_name"], "John");
    assert!(user["username"].is_null());
    env.clerk(&["users", "update", &id])
        .code(2)
        .stderr_has("nothing to update");
    env.clerk(&["users", "update", "user_missing", "--first-name", "X"])
        .api_error("resource_not_found");

    env.clerk(&["users", "delete", &id])
        .ok()
        .stdout_has(&format!("deleted user {id}"));
    env.clerk(&["users", "delete", &id])
        .api_error("resource_not_found");
    assert_eq!(env.user_count(), 0);
}

#[test]
fn ban_lock_and_metadata() {
    let env = Env::start();
    let id = env.user("ada@example.com");
    env.clerk(&["users", "ban", &id]).ok().stdout_has("banned");
    assert_eq!(env.json(&["users", "get", &id])["banned"], true);
    assert_eq!(env.json(&["users", "unban", &id])["banned"], false);
    env.clerk(&["users", "lock", &id]).ok().stdout_has("locked");
    assert_eq!(env.json(&["users", "unlock", &id])["locked"], false);
    env.clerk(&["users", "ban", "user_missing"])
        .api_error("resource_not_found");

    let merged = env.json(&[
        "users",
        "metadata",
        "merge",
        &id,
        "--public",
        r#"{"plan":"pro","nested":{"a":1}}"#,
        "--private",
        r#"{"secret":1}"#,
    ]);
    assert_eq!(
        merged["public_metadata"],
        json!({"plan": "pro", "nested": {"a": 1}})
    );
    let file = env.path("meta.json");
    std::fs::write(&file, r#"{"nested":{"b":2},"plan":null}"#).unwrap();
    let again = env
        .clerk(&[
            "users",
            "metadata",
            "merge",
            &id,
            "--public",
            &format!("@{}", file.display()),
        ])
        .ok();
    assert!(
        again.stdout.contains(r#"{"nested":{"a":1,"b":2}}"#),
        "{again:#?}"
    );
    let replaced = env.json(&["users", "metadata", "replace", &id, "--public", "{}"]);
    assert_eq!(replaced["public_metadata"], json!({}));
    assert_eq!(replaced["private_metadata"], json!({"secret": 1}));
    env.clerk(&["users", "metadata", "merge", &id]).code(2);
    env.clerk(&["users", "metadata", "merge", &id, "--public", "{"])
        .code(2)
        .stderr_has("not valid JSON");
}
