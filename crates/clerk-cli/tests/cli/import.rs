//! `clerk users import`: 10,000 users, interruption and resumption without duplicates, rate
//! limits, failed rows, JSON Lines.

use std::collections::HashSet;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use axum::http::Method;
use serde_json::{Value, json};

use crate::common::{CLERK, DIGEST, Env, Proxy, write_users_csv};

/// The emails of every user on the server, through the in-process router.
fn all_emails(env: &Env) -> Vec<String> {
    let mut emails = Vec::new();
    let mut offset = 0;
    loop {
        let page = env.get(&format!(
            "/v1/users?limit=500&offset={offset}&order_by=%2Bcreated_at"
        ));
        let page = page.as_array().unwrap();
        for user in page {
            emails.push(
                user["email_addresses"][0]["email_address"]
                    .as_str()
                    .unwrap()
                    .to_owned(),
            );
        }
        if page.len() < 500 {
            return emails;
        }
        offset += 500;
    }
}

/// Every `u{i}@example.com` for `i < rows` exactly once.
#[track_caller]
fn assert_all_present_once(env: &Env, rows: usize) {
    let emails = all_emails(env);
    assert_eq!(emails.len(), rows, "users on the server");
    let unique: HashSet<&String> = emails.iter().collect();
    assert_eq!(unique.len(), rows, "duplicates on the server");
    for i in 0..rows {
        assert!(
            unique.contains(&format!("u{i}@example.com")),
            "u{i} missing"
        );
    }
}

#[test]
fn ten_thousand_users() {
    let env = Env::start();
    let file = env.path("users.csv");
    write_users_csv(&file, 10_000);
    let started = Instant::now();
    let run = env
        .clerk(&["--json", "users", "import", file.to_str().unwrap()])
        .ok();
    eprintln!("imported 10,000 users in {:.1?}", started.elapsed());
    let report = run.json();
    assert_eq!(report["created"], 10_000, "{report}");
    assert_eq!(report["failed"], 0);
    assert_all_present_once(&env, 10_000);

    // Each row's fields, digest and unverified address made it.
    let user = &env.get("/v1/users?email_address=u1234%40example.com")[0];
    assert_eq!(user["first_name"], "First1234");
    assert_eq!(user["username"], "user01234");
    assert_eq!(user["password_enabled"], true);
    assert!(
        user["external_id"].is_null(),
        "ids become external ids only when asked"
    );
    let emails = user["email_addresses"].as_array().unwrap();
    let alt = emails
        .iter()
        .find(|e| e["email_address"] == "alt1234@example.com")
        .unwrap();
    assert_eq!(alt["reserved"], true);
    assert_ne!(alt["verification"]["status"], "verified");

    // A second run sends nothing: every row is in the checkpoint.
    let again = env
        .clerk(&["--json", "users", "import", file.to_str().unwrap()])
        .ok()
        .json();
    assert_eq!(again["created"], 0);
    assert_eq!(again["already_done"], 10_000);
}

/// Starts an import through `proxy` and kills it once `after` creates went through.
fn interrupt(
    env: &Env,
    proxy: &Proxy,
    file: &str,
    after: usize,
    signal: &str,
) -> std::process::Output {
    let child = std::process::Command::new(CLERK)
        .args(["users", "import", file, "--concurrency", "8"])
        .env_remove("CLERK_JWT_KEY")
        .env("CLERK_API_URL", &proxy.url)
        .env("CLERK_SECRET_KEY", env.server.secret_key())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(300);
    while proxy.requests(Method::POST, "/v1/users").len() < after {
        assert!(Instant::now() < deadline, "the import never got going");
        std::thread::sleep(Duration::from_millis(5));
    }
    let status = std::process::Command::new("kill")
        .args([signal, &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let output = child.wait_with_output().unwrap();
    // Let creates the proxy was still forwarding land.
    std::thread::sleep(Duration::from_millis(500));
    output
}

#[test]
fn a_killed_import_resumes_without_creating_any_row_twice() {
    let env = Env::start();
    let proxy = Proxy::start(&env);
    let rows = 1500;
    let file = env.path("users.csv");
    write_users_csv(&file, rows);
    let file = file.to_str().unwrap();

    let killed = interrupt(&env, &proxy, file, 500, "-KILL");
    assert!(!killed.status.success());
    let present: HashSet<String> = all_emails(&env).into_iter().collect();
    assert!(
        present.len() >= 500 && present.len() < rows,
        "{} present",
        present.len()
    );

    proxy.reset();
    let resumed = env
        .clerk_at(&proxy.url, &["--json", "users", "import", file], None)
        .ok();
    let creates = proxy.requests(Method::POST, "/v1/users");
    for create in &creates {
        let email = create.body["email_address"][0].as_str().unwrap();
        assert!(
            !present.contains(email),
            "{email} was imported already, yet created again"
        );
    }
    assert_eq!(
        creates.len(),
        rows - present.len(),
        "one create per missing row"
    );
    let report = resumed.json();
    eprintln!(
        "after kill -9 with {} users present: {report}",
        present.len()
    );
    assert_eq!(report["failed"], 0, "{report}");
    assert_eq!(
        report["already_done"].as_u64().unwrap()
            + report["found_after_interruption"].as_u64().unwrap(),
        present.len() as u64,
        "{report}"
    );
    assert_all_present_once(&env, rows);
}

#[test]
fn rows_started_but_not_recorded_are_looked_up_not_created_again() {
    let env = Env::start();
    let proxy = Proxy::start(&env);
    let file = env.path("users.csv");
    write_users_csv(&file, 3);
    // As a run killed mid-create leaves it: row 1 started, created on the server, not done.
    env.user("u1@example.com");
    std::fs::write(
        env.path("users.csv.checkpoint"),
        "[\"started\",\"user_old00001\"]\n[\"started\",\"user_old00002\"]\n[\"done\",\"user_o",
    )
    .unwrap();
    let report = env.json_at(&proxy.url, &["users", "import", file.to_str().unwrap()]);
    assert_eq!(report["found_after_interruption"], 1, "{report}");
    assert_eq!(report["created"], 2, "{report}");
    let creates = proxy.requests(Method::POST, "/v1/users");
    let emails: Vec<&str> = creates
        .iter()
        .map(|c| c.body["email_address"][0].as_str().unwrap())
        .collect();
    assert_eq!(emails.len(), 2);
    assert!(!emails.contains(&"u1@example.com"), "{emails:?}");
    // Row 2 was started but never reached the server: looked up, then created.
    let lookups = proxy.requests(Method::GET, "/v1/users");
    assert_eq!(lookups.len(), 2, "one lookup per uncertain row");
    assert_all_present_once(&env, 3);
}

#[test]
fn ctrl_c_stops_cleanly_and_the_rerun_finishes() {
    let env = Env::start();
    let proxy = Proxy::start(&env);
    let rows = 600;
    let file = env.path("users.jsonl");
    let lines: Vec<String> = (0..rows)
        .map(|i| {
            json!({"id": format!("legacy-{i}"), "primary_email_address": format!("u{i}@example.com"),
                   "verified_email_addresses": [format!("u{i}@example.com")], "first_name": "J",
                   "public_metadata": {"row": i}})
            .to_string()
        })
        .collect();
    std::fs::write(&file, lines.join("\n")).unwrap();
    let file = file.to_str().unwrap();

    let stopped = interrupt(&env, &proxy, file, 100, "-INT");
    assert_eq!(stopped.status.code(), Some(130), "{stopped:?}");
    let stdout = String::from_utf8_lossy(&stopped.stdout);
    assert!(stdout.contains("created"), "{stdout}");
    // Graceful: every create that was sent was recorded as done, none left uncertain.
    let checkpoint = std::fs::read_to_string(format!("{file}.checkpoint")).unwrap();
    let entries: Vec<Value> = checkpoint
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let done = entries.iter().filter(|e| e[0] == "done").count();
    let started = entries.iter().filter(|e| e[0] == "started").count();
    assert_eq!(done, started, "a graceful stop finishes what it started");
    assert_eq!(done as i64, env.user_count());

    proxy.reset();
    let report = env.json_at(
        &proxy.url,
        &["users", "import", file, "--id-as-external-id"],
    );
    assert_eq!(report["already_done"], done as u64);
    assert_eq!(proxy.requests(Method::POST, "/v1/users").len(), rows - done);
    assert_all_present_once(&env, rows);
    let user = &env.get("/v1/users?email_address=u599%40example.com")[0];
    assert_eq!(user["public_metadata"], json!({"row": 599}));
    assert_eq!(user["external_id"], "legacy-599");
}

#[test]
fn rate_limits_pause_every_worker_for_retry_after() {
    let env = Env::start();
    let proxy = Proxy::start(&env);
    proxy.rate_limit.store(3, Ordering::SeqCst);
    let file = env.path("users.csv");
    write_users_csv(&file, 40);
    let report = env.json_at(&proxy.url, &["users", "import", file.to_str().unwrap()]);
    assert_eq!(report["created"], 40, "{report}");
    let creates = proxy.requests(Method::POST, "/v1/users");
    let limited: Vec<_> = creates.iter().filter(|c| c.status == 429).collect();
    assert_eq!(limited.len(), 3);
    assert_eq!(
        creates.len(),
        43,
        "each rate-limited create is sent again, once"
    );
    // Each rate-limited row is sent again only after its Retry-After (1 s)...
    for limited in &limited {
        let email = &limited.body["email_address"][0];
        let retry = creates
            .iter()
            .find(|c| c.status == 200 && &c.body["email_address"][0] == email)
            .expect("the row was sent again");
        assert!(
            retry.at >= limited.at + Duration::from_millis(950),
            "{email} was retried {:?} after its 429",
            retry.at - limited.at
        );
    }
    // ...and every other worker paused too: after the first 429 no create arrives for
    // about a second (requests already on their way may land just after it).
    let first = limited.iter().map(|c| c.at).min().unwrap();
    let early = creates
        .iter()
        .filter(|c| {
            c.at > first + Duration::from_millis(300) && c.at < first + Duration::from_millis(900)
        })
        .count();
    assert_eq!(early, 0, "creates were sent during the pause");
    assert_all_present_once(&env, 40);
}

#[test]
fn failed_rows_go_to_a_file_that_imports_once_fixed() {
    let env = Env::start();
    env.user("taken@example.com");
    let file = env.path("people.csv");
    std::fs::write(
        &file,
        format!(
            "id,first_name,primary_email_address,verified_email_addresses,password_digest,password_hasher,extra\n\
             a1,Ann,ann@example.com,ann@example.com,{DIGEST},bcrypt,x\n\
             a2,Bob,taken@example.com,taken@example.com,,,x\n\
             a3,Cy,cy@example.com,cy@example.com,{DIGEST},,x\n\
             a1,Dup,dup@example.com,dup@example.com,,,x\n\
             a4,Di,not-an-email,,,,x\n"
        ),
    )
    .unwrap();
    let run = env
        .clerk(&["users", "import", file.to_str().unwrap()])
        .code(1);
    assert!(run.stdout.contains("5 row(s): 1 created"), "{run:#?}");
    let failed_path = env.path("people.failed.csv");
    assert!(
        run.stderr.contains("4 row(s) failed") && run.stderr.contains("people.failed.csv"),
        "{run:#?}"
    );
    let failed = std::fs::read_to_string(&failed_path).unwrap();
    let mut lines = failed.lines();
    assert_eq!(
        lines.next(),
        Some(
            "id,first_name,primary_email_address,verified_email_addresses,password_digest,password_hasher,extra,error"
        )
    );
    let failed: Vec<&str> = lines.collect();
    assert_eq!(failed.len(), 4, "{failed:?}");
    assert!(
        failed
            .iter()
            .any(|l| l.starts_with("a2,") && l.contains("form_identifier_exists"))
    );
    assert!(
        failed
            .iter()
            .any(|l| l.starts_with("a3,") && l.contains("password_hasher"))
    );
    assert!(
        failed
            .iter()
            .any(|l| l.starts_with("a1,Dup") && l.contains("same id"))
    );
    assert!(failed.iter().any(|l| l.starts_with("a4,")));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&failed_path)
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o077, 0, "the failed rows hold digests: owner only");
    }

    // Fix the file and import it: its `error` column is ignored.
    let fixed = std::fs::read_to_string(&failed_path)
        .unwrap()
        .replace("taken@example.com", "bob@example.com")
        .replace(&format!("{DIGEST},,"), &format!("{DIGEST},bcrypt,"))
        .replace("a1,Dup", "a5,Dup")
        .replace("not-an-email", "di@example.com");
    let fixed_path = env.path("fixed.csv");
    std::fs::write(&fixed_path, fixed).unwrap();
    env.clerk(&["users", "import", fixed_path.to_str().unwrap()])
        .ok()
        .stdout_has("4 created");
    assert_eq!(env.user_count(), 6);
}

#[test]
fn unreadable_input_is_a_clear_error() {
    let env = Env::start();
    env.clerk(&["users", "import", "/nonexistent/users.csv"])
        .code(1)
        .stderr_has("cannot read");
    let odd = env.path("users.txt");
    std::fs::write(&odd, "x").unwrap();
    env.clerk(&["users", "import", odd.to_str().unwrap()])
        .code(2)
        .stderr_has("--format");
    let headerless = env.path("users.csv");
    std::fs::write(&headerless, "a,b\n1,2\n").unwrap();
    env.clerk(&["users", "import", headerless.to_str().unwrap()])
        .code(2)
        .stderr_has("none of the columns");
    let bad_json = env.path("bad.jsonl");
    std::fs::write(
        &bad_json,
        "{\"primary_email_address\":\"ok@example.com\"}\nnot json\n[1]\n",
    )
    .unwrap();
    let run = env
        .clerk(&["users", "import", bad_json.to_str().unwrap()])
        .code(1);
    assert!(
        run.stdout.contains("1 created") && run.stdout.contains("2 failed"),
        "{run:#?}"
    );
    let failed = std::fs::read_to_string(env.path("bad.failed.jsonl")).unwrap();
    assert_eq!(failed.lines().count(), 2);
    assert!(
        failed.contains("not JSON") && failed.contains("not a JSON object"),
        "{failed}"
    );
}

#[test]
fn errors_about_the_key_or_the_api_stop_the_import_instead_of_failing_every_row() {
    let env = Env::start();
    let proxy = Proxy::start(&env);
    let file = env.path("users.csv");
    write_users_csv(&file, 200);
    let file = file.to_str().unwrap();

    let mut wrong_key = crate::common::command(&["users", "import", file]);
    wrong_key
        .env("CLERK_API_URL", &proxy.url)
        .env("CLERK_SECRET_KEY", "sk_test_wrong");
    let run = crate::common::run(wrong_key)
        .code(1)
        .stderr_has("error: clerk_key_invalid");
    assert!(run.stdout.contains("0 failed"), "{run:#?}");
    assert!(
        proxy.requests(Method::POST, "/v1/users").len() <= 16,
        "stopped at once, not after 200 rows"
    );
    assert!(!env.path("users.failed.csv").exists());

    let mut no_key = crate::common::command(&["users", "import", file]);
    no_key.env("CLERK_API_URL", &proxy.url);
    crate::common::run(no_key).code(3);

    env.clerk_at("http://127.0.0.1:1", &["users", "import", file], None)
        .code(4)
        .stderr_has("cannot reach the API");

    // Nothing was recorded as done: the next run imports everything.
    let report = env.clerk(&["--json", "users", "import", file]).ok().json();
    assert_eq!(report["created"], 200, "{report}");
}

#[test]
fn a_dry_run_checks_every_row_and_sends_nothing() {
    let env = Env::start();
    let file = env.path("users.csv");
    write_users_csv(&file, 5);
    let mut text = std::fs::read_to_string(&file).unwrap();
    text.push_str("user_bad,,,,bad@example.com,,,,,,,$2a$10$x,\n");
    std::fs::write(&file, text).unwrap();
    // No secret key, no API: a dry run needs neither.
    let mut dry = crate::common::command(&[
        "--json",
        "users",
        "import",
        file.to_str().unwrap(),
        "--dry-run",
    ]);
    dry.env("CLERK_API_URL", "http://127.0.0.1:1");
    let run = crate::common::run(dry).ok();
    assert_eq!(
        run.json(),
        json!({"rows": 6, "would_create": 5, "already_done": 0, "invalid": 1})
    );
    assert!(
        run.stderr
            .contains("line 7: password_digest without password_hasher"),
        "{run:#?}"
    );
    assert_eq!(env.user_count(), 0);
    assert!(
        !env.path("users.csv.checkpoint").exists(),
        "a dry run records nothing"
    );
}
