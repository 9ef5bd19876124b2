//! Replays every file of the fuzz corpus (`fuzz/corpus/<target>/`) through the same entry
//! points as the fuzz targets, so that CI catches a regression on any input the fuzzer (or a
//! person) ever saved there. See BENCHMARKS.md / `fuzz/README.md` for running the fuzzer.
//!
//! The seed files were written by the ignored test `regenerate_seed_corpus`:
//! `cargo test -p clerk-sdk --test verify_fuzz_corpus -- --ignored`.

mod verify_common;

use std::path::{Path, PathBuf};

use clerk_sdk::verify::fuzz;
use serde_json::json;
use verify_common::{TestKey, b64, hostile_cases, session_claims};

fn fuzz_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz")
}

fn corpus(target: &str) -> Vec<(String, Vec<u8>)> {
    let dir = fuzz_dir().join("corpus").join(target);
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read(&path).unwrap())
        })
        .collect();
    files.sort();
    files
}

fn fixed_pem() -> String {
    std::fs::read_to_string(fuzz_dir().join("keys/public.pem")).unwrap()
}

#[test]
fn verify_token_corpus_replays_without_panics() {
    let verifier = fuzz::fixed_verifier(&fixed_pem());
    let files = corpus("verify_token");
    assert!(files.len() >= 30, "only {} seed files", files.len());
    let mut valid = 0;
    for (name, data) in &files {
        fuzz::parse_token(data);
        let result = fuzz::verify_token(&verifier, data);
        // Seeds named valid_* are good tokens for the fixed key and clock; everything else
        // in the seed set is hostile.
        if name.starts_with("valid_") {
            assert!(matches!(result, Some(Ok(_))), "{name}: {result:?}");
            valid += 1;
        } else if name.starts_with("hostile_") {
            assert!(!matches!(result, Some(Ok(_))), "{name} was accepted");
        }
    }
    assert!(valid >= 3);
}

#[test]
fn parse_jwks_corpus_replays_without_panics() {
    let files = corpus("parse_jwks");
    assert!(files.len() >= 10);
    for (_, data) in &files {
        fuzz::parse_jwks(data);
    }
}

#[test]
fn parse_pem_corpus_replays_without_panics() {
    let files = corpus("parse_pem");
    assert!(files.len() >= 8);
    for (_, data) in &files {
        fuzz::parse_pem(data);
    }
}

/// Writes the seed corpus: valid tokens for the fixed key at `fuzz::FIXED_NOW`, the hostile
/// table, and JWKS and PEM documents good and bad.
#[test]
#[ignore = "writes files; run by hand to regenerate the seeds"]
fn regenerate_seed_corpus() {
    let key = TestKey::fixed("ins_2x3YnFq7bP9kLmN4oR8sT1uVwXz");
    let attacker = TestKey::generate("ins_attacker");
    let now = fuzz::FIXED_NOW as i64;
    let write = |target: &str, name: &str, data: &[u8]| {
        let dir = fuzz_dir().join("corpus").join(target);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join(name), data).unwrap();
    };

    let v2 = session_claims(now);
    let mut v2_org = v2.clone();
    v2_org["fea"] = json!("o:dashboard,u:export");
    v2_org["o"] =
        json!({"id": "org_1", "slg": "acme", "rol": "admin", "per": "read,manage", "fpm": "3"});
    let mut v1 = session_claims(now);
    for name in ["v", "jti", "sts"] {
        v1.as_object_mut().unwrap().remove(name);
    }
    v1["org_id"] = json!("org_1");
    v1["org_role"] = json!("org:admin");
    v1["org_permissions"] = json!(["org:a:read"]);
    let mut impersonated = session_claims(now);
    impersonated["act"] =
        json!({"sub": "user_imp", "sid": "sess_imp", "iss": "https://dashboard.clerk.com"});
    for (name, claims) in [
        ("v2", &v2),
        ("v2_org", &v2_org),
        ("v1_org", &v1),
        ("v2_act", &impersonated),
    ] {
        write(
            "verify_token",
            &format!("valid_{name}"),
            key.token(claims).as_bytes(),
        );
    }
    for case in hostile_cases(&key, &attacker, now) {
        if case.jwks_only {
            continue;
        }
        let slug: String = case
            .name
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() {
                    c.to_ascii_lowercase()
                } else {
                    '_'
                }
            })
            .collect();
        // Keep the corpus small: a prefix past the size limit rejects just the same.
        let token = &case.token.as_bytes()[..case.token.len().min(9000)];
        write("verify_token", &format!("hostile_{slug}"), token);
    }

    let jwk = key.jwk();
    let jwks_seeds = [
        ("clerk", json!({"keys": [jwk]}).to_string()),
        ("two_keys", json!({"keys": [jwk, attacker.jwk()]}).to_string()),
        ("duplicate_kid", json!({"keys": [jwk, jwk]}).to_string()),
        ("padded_members", json!({"keys": [{"kty": "RSA", "kid": "k", "n": format!("{}==", jwk["n"].as_str().unwrap()), "e": "AQAB"}]}).to_string()),
        ("ec_key", json!({"keys": [{"kty": "EC", "kid": "e", "crv": "P-256", "x": "AA", "y": "AA"}]}).to_string()),
        ("small_modulus", json!({"keys": [{"kty": "RSA", "kid": "s", "n": b64([0xC5u8; 128]), "e": "AQAB"}]}).to_string()),
        ("even_exponent", json!({"keys": [{"kty": "RSA", "kid": "s", "n": jwk["n"], "e": "Ag"}]}).to_string()),
        ("no_kid", json!({"keys": [{"kty": "RSA", "n": jwk["n"], "e": "AQAB"}]}).to_string()),
        ("empty_keys", r#"{"keys":[]}"#.to_owned()),
        ("keys_not_array", r#"{"keys":{"a":1}}"#.to_owned()),
        ("not_json", "<html>502 Bad Gateway</html>".to_owned()),
        ("numbers", r#"{"keys":[{"kty":"RSA","kid":1e999,"n":null,"e":[]}]}"#.to_owned()),
    ];
    for (name, body) in jwks_seeds {
        write("parse_jwks", name, body.as_bytes());
    }

    let pem = key.pem();
    let body: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
    let pem_seeds = [
        ("dashboard", pem.clone()),
        ("escaped_newlines", pem.replace('\n', "\\n")),
        ("one_line", pem.replace('\n', "")),
        ("body_only", body.clone()),
        (
            "quoted",
            format!("\"{}\"", pem.trim_end().replace('\n', "\\n")),
        ),
        (
            "private_key",
            "-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----".to_owned(),
        ),
        ("unterminated", "-----BEGIN PUBLIC KEY".to_owned()),
        ("garbage", "not a key at all".to_owned()),
        ("truncated", pem[..pem.len() / 2].to_owned()),
    ];
    for (name, text) in pem_seeds {
        write("parse_pem", name, text.as_bytes());
    }
}
