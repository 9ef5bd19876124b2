//! Global options, exit codes, help, completions, logging and the tour.

use crate::common::{Env, command, run};

#[test]
fn the_tour_runs_every_seed_method() {
    let tour = run(command(&["tour"])).ok();
    for method in [
        "allowlist_identifiers.all",
        "allowlist_identifiers.create",
        "allowlist_identifiers.delete",
        "allowlist.update",
        "organizations.create",
        "memberships.create",
        "organizations.delete",
        "clients.find",
        "clients.all",
        "clients.verify_token",
        "emails.create",
        "sessions.find",
        "sessions.all",
        "sessions.revoke",
        "sessions.verify_token",
        "sms_messages.create",
        "users.all",
        "users.all(email_address",
        "users.update",
        "users.delete",
    ] {
        assert!(
            tour.stdout
                .lines()
                .any(|l| l.contains(method) && l.contains(" → ")),
            "the tour lacks {method}: {}",
            tour.stdout
        );
    }
    assert!(!tour.stdout.contains("FAILED"));
    assert!(
        tour.stdout.contains("api_keys.verify") && tour.stdout.contains("404 api_key_revoked"),
        "the tour lacks its API-key chapter: {}",
        tour.stdout
    );
    // The machines chapter: one machine allowed to call another, a token minted by the
    // caller and verified by the callee.
    for step in [
        "machines.create_scope",
        "m2m.create_token",
        "m2m.verify_token",
    ] {
        assert!(
            tour.stdout
                .lines()
                .any(|l| l.contains(step) && l.contains(" → ")),
            "the tour lacks {step}: {}",
            tour.stdout
        );
    }
    assert!(
        tour.stdout.contains("valid: issued to mch_"),
        "{}",
        tour.stdout
    );
    // The invitations chapter accepts an invitation: a new user, signed in.
    assert!(
        tour.stdout.contains("invitations.create") && tour.stdout.contains("new user user_"),
        "{}",
        tour.stdout
    );
    // The organization chapter reads the organization back out of a session token.
    assert!(
        tour.stdout
            .contains("role org:member, permissions [org:invoices:read]")
            && tour.stdout.contains("has_role(\"org:member\") = true")
            && tour
                .stdout
                .contains("has_permission(\"org:invoices:read\") = true"),
        "{}",
        tour.stdout
    );
    // The templates chapter prints the custom claims of a minted token.
    assert!(
        tour.stdout.contains("custom claims: email=\"")
            && tour.stdout.contains("greeting=\"Hello ")
            && tour.stdout.contains("aud=\"tour\""),
        "{}",
        tour.stdout
    );
    // The webhook chapter receives the user.created, verifies it and reads its attempt.
    assert!(
        tour.stdout.contains("user.created about user_")
            && tour.stdout.contains("signature valid")
            && tour
                .stdout
                .contains("1 attempt(s); latest succeeded with HTTP 200"),
        "{}",
        tour.stdout
    );
    assert!(
        tour.stdout.contains("All 60 calls worked"),
        "{}",
        tour.stdout
    );
}

#[test]
fn configuration_and_usage_errors_have_their_exit_codes() {
    // No secret key: 3, before any request.
    run(command(&["users", "list"]))
        .code(3)
        .stderr_has("CLERK_SECRET_KEY");
    // Nothing listening: 4.
    let mut dead = command(&["users", "list"]);
    dead.env("CLERK_API_URL", "http://127.0.0.1:1")
        .env("CLERK_SECRET_KEY", "sk_test_x");
    run(dead).code(4).stderr_has("cannot reach the API");
    // A bad URL: 3.
    run(command(&[
        "--api-url",
        "ftp://x",
        "--secret-key",
        "sk_test_x",
        "users",
        "list",
    ]))
    .code(3);
    // Unknown commands and options: 2.
    run(command(&["users", "frobnicate"])).code(2);
    run(command(&["users", "list", "--no-such-option"])).code(2);
    // A wrong key: the API's 401.
    let env = Env::start();
    let mut wrong = command(&["users", "list"]);
    wrong
        .env("CLERK_API_URL", env.server.api_url())
        .env("CLERK_SECRET_KEY", "sk_test_wrong");
    run(wrong)
        .api_error("clerk_key_invalid")
        .stderr_has("status: 401");
}

#[test]
fn options_work_after_the_subcommand_and_the_key_never_shows() {
    let env = Env::start();
    env.user("ada@example.com");
    let key = env.server.secret_key().to_owned();
    let mut late = command(&[
        "users",
        "count",
        "--api-url",
        &env.server.api_url(),
        "--secret-key",
        &key,
        "--json",
        "-v",
    ]);
    late.env_remove("CLERK_SECRET_KEY");
    let run = run(late).ok();
    assert_eq!(run.json()["total_count"], 1);
    assert!(
        run.stderr.contains("Clerk API answered"),
        "-v logs requests: {run:#?}"
    );
    assert!(run.stderr.contains("/v1/users/count"));
    assert!(
        !run.stderr.contains(&key) && !run.stdout.contains(&key),
        "the key leaked"
    );
    // Failures don't show it either.
    let mut failing = command(&["-vv", "users", "get", "user_missing"]);
    failing
        .env("CLERK_API_URL", env.server.api_url())
        .env("CLERK_SECRET_KEY", &key);
    let failed = crate::common::run(failing).code(1);
    assert!(!failed.stderr.contains(&key), "the key leaked: {failed:#?}");
}

#[test]
fn help_has_examples_and_completions_are_generated() {
    for args in [
        &["--help"][..],
        &["users", "list", "--help"],
        &["tokens", "verify", "--help"],
        &["users", "import", "--help"],
    ] {
        run(command(args)).ok().stdout_has("Example");
    }
    run(command(&["--help"]))
        .ok()
        .stdout_has("CLERK_SECRET_KEY")
        .stdout_has("ps");
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let script = run(command(&["completions", shell])).ok();
        assert!(script.stdout.contains("clerk"), "{shell}");
        assert!(
            script.stdout.contains("import"),
            "{shell} completes subcommands"
        );
    }
    run(command(&["completions", "tcsh"])).code(2);
}

#[test]
fn the_api_command_reaches_any_endpoint() {
    let env = Env::start();
    env.user("ada@example.com");
    let count = env.clerk(&["api", "GET", "/users/count"]).ok().json();
    assert_eq!(count["total_count"], 1);
    let list = env
        .clerk(&[
            "api",
            "get",
            "/v1/users",
            "-q",
            "email_address=ada@example.com",
            "-q",
            "email_address=x@example.com",
        ])
        .ok()
        .json();
    assert_eq!(list.as_array().unwrap().len(), 1);
    let created = env
        .clerk(&["api", "POST", "/users", "-d", r#"{"first_name":"Bo"}"#])
        .ok()
        .json();
    assert_eq!(created["first_name"], "Bo");
    env.clerk(&["api", "POST", "/users", "-d", r#"{"nope":1}"#])
        .api_error("form_param_unknown");
    env.clerk(&["api", "GET", "/users", "-q", "novalue"])
        .code(2);
    env.clerk(&["api", "GET", "/users", "-d", "{"]).code(2);
}
