//! `clerk tokens verify`: valid, expired and tampered tokens, with a PEM key and a JWKS URL.

use serde_json::json;

use crate::common::{Env, command, run};

/// `clerk tokens verify` with no API configuration at all: neither key source needs one.
fn verify(args: &[&str]) -> crate::common::Run {
    let mut all = vec!["tokens", "verify"];
    all.extend_from_slice(args);
    run(command(&all))
}

/// Flips one character of the payload: still well-formed, no longer signed.
fn tamper(token: &str) -> String {
    let mut parts: Vec<String> = token.split('.').map(str::to_owned).collect();
    let payload = &mut parts[1];
    let last = payload.pop().unwrap();
    payload.push(if last == 'A' { 'B' } else { 'A' });
    parts.join(".")
}

#[test]
fn valid_expired_and_tampered_tokens_with_a_key_file_and_a_jwks_url() {
    let env = Env::start();
    let user = env.user("ada@example.com");
    let session = env.block_on(env.server.create_session(&user));
    let valid = env.block_on(env.server.session_token(&session.id));
    let expired = env.block_on(env.server.mint_token(
        &session.id,
        json!({"iat": 1_600_000_000, "nbf": 1_600_000_000, "exp": 1_600_000_060}),
    ));
    let with_azp = env.block_on(
        env.server
            .mint_token(&session.id, json!({"azp": "https://app.example.com"})),
    );
    let pem = env.path("clerk-jwt-key.pem");
    std::fs::write(&pem, env.block_on(env.server.jwt_key())).unwrap();
    let pem = pem.display().to_string();
    let jwks = env.server.jwks_url();

    for source in [["--jwt-key", pem.as_str()], ["--jwks-url", jwks.as_str()]] {
        let ok = verify(&[&valid, source[0], source[1]]).ok();
        let claims = ok.json();
        assert_eq!(claims["sub"], user.as_str(), "{source:?}");
        assert_eq!(claims["sid"], session.id.as_str());
        assert!(ok.stderr.is_empty(), "{ok:#?}");

        verify(&[&expired, source[0], source[1]])
            .code(1)
            .stderr_has("error: token rejected: token_expired");
        let tampered = verify(&[&tamper(&valid), source[0], source[1]])
            .code(1)
            .stderr_has("error: token rejected: signature_invalid");
        assert!(tampered.stdout.is_empty());

        // Issuer and authorized parties.
        verify(&[
            &valid,
            source[0],
            source[1],
            "--issuer",
            env.server.issuer(),
        ])
        .ok();
        verify(&[
            &valid,
            source[0],
            source[1],
            "--issuer",
            "https://other.example.com",
        ])
        .code(1)
        .stderr_has("issuer_mismatch");
        verify(&[
            &with_azp,
            source[0],
            source[1],
            "--authorized-party",
            "https://app.example.com",
        ])
        .ok();
        verify(&[
            &with_azp,
            source[0],
            source[1],
            "--authorized-party",
            "https://evil.example.com",
        ])
        .code(1)
        .stderr_has("unauthorized_party");
    }

    // Leeway: a token expired 30 s ago passes with --leeway 60.
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    let just_expired = env.block_on(env.server.mint_token(
        &session.id,
        json!({"iat": now - 90, "nbf": now - 100, "exp": now - 30}),
    ));
    verify(&[&just_expired, "--jwt-key", &pem])
        .code(1)
        .stderr_has("token_expired");
    verify(&[&just_expired, "--jwt-key", &pem, "--leeway", "60"]).ok();

    // The token from stdin; garbage; no key source at all.
    let mut piped = command(&["tokens", "verify", "-", "--jwt-key", &pem]);
    piped.write_stdin(format!("{valid}\n"));
    run(piped).ok();
    verify(&["not-a-jwt", "--jwt-key", &pem])
        .code(1)
        .stderr_has("token_malformed");
    verify(&[&valid]).code(3).stderr_has("--jwks-url");
    verify(&[&valid, "--jwt-key", "/nonexistent.pem"]).code(1);
    // Without a key source option, the API's JWKS (secret key needed).
    env.clerk(&["tokens", "verify", &valid]).ok();
}
