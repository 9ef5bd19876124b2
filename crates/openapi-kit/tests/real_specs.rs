//! Both halves of the kit keep each other honest on Clerk's real specs: every
//! sample generated for every response schema of every operation must
//! validate against that schema (drift samples may not: they are what a newer API sends).

use openapi_kit::Spec;

fn load(name: &str) -> Spec {
    openapi_kit::load_spec(name)
}

/// A defect of the specs themselves, not of the kit: `JWKS.keys` is a `oneOf`
/// whose private-key branches are supersets of the public-key ones (a private
/// RSA key has `n` and `e` too, and the public schemas allow extra
/// properties), so a private-key sample matches two branches. Strict `oneOf`
/// rightly reports it.
fn is_known_spec_defect(method: &str, path: &str, violations: &[openapi_kit::Violation]) -> bool {
    (method, path) == ("get", "/jwks")
        && violations.iter().all(|v| {
            v.path == "$.keys[0]" && v.message.starts_with("matches more than one oneOf branch")
        })
}

fn check_spec(name: &str) {
    let spec = load(name);
    let mut failures = Vec::new();
    let mut checked = 0;
    for op in spec.operations() {
        for status in op.statuses() {
            let Ok(code) = status.parse::<u16>() else {
                continue;
            };
            let Some(schema) = op.response_schema(code) else {
                continue;
            };
            for sample in spec.samples(schema) {
                checked += 1;
                let Err(violations) = spec.validate(&sample.value, schema) else {
                    continue;
                };
                if sample.kind.conforms()
                    && !is_known_spec_defect(op.method(), op.path(), &violations)
                {
                    failures.push(format!(
                        "{} {} {status} {:?}: {violations:?}",
                        op.method(),
                        op.path(),
                        sample.kind
                    ));
                }
            }
            for example in op.response_examples(code) {
                checked += 1;
                if let Err(violations) = spec.validate(example, schema) {
                    failures.push(format!(
                        "{} {} {status} example: {violations:?}",
                        op.method(),
                        op.path()
                    ));
                }
            }
        }
    }
    assert!(checked > 1000, "only {checked} samples checked in {name}");
    assert!(
        failures.is_empty(),
        "{} of {checked} failed in {name}:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn samples_of_the_newest_backend_api_validate() {
    check_spec("bapi-2026-05-12.json");
}

#[test]
fn samples_of_the_oldest_backend_api_validate() {
    check_spec("bapi-2021-02-05.json");
}

/// A user answer gone wrong in three places: each is reported at its JSON path.
#[test]
fn a_broken_user_is_rejected_where_it_breaks() {
    let spec = load("bapi-2026-05-12.json");
    let op = spec
        .find_operation("GET", "/v1/users/user_1")
        .expect("GET /users/{user_id}");
    let schema = op.response_schema(200).expect("a JSON answer");
    let full = spec
        .samples(schema)
        .into_iter()
        .find(|sample| sample.kind == openapi_kit::SampleKind::Full)
        .expect("a full sample");
    let mut user = full.value;
    assert_eq!(spec.validate(&user, schema), Ok(()));

    user.as_object_mut().unwrap().remove("id");
    user["created_at"] = "yesterday".into();
    user["email_addresses"][0]["nickname"] = "extra".into();
    user["email_addresses"][0]["verification"] = serde_json::json!({"status": 7});
    let violations = spec.validate(&user, schema).unwrap_err();
    let found: Vec<(&str, &str)> = violations
        .iter()
        .map(|v| (v.path.as_str(), v.message.as_str()))
        .collect();
    assert_eq!(found.len(), 4, "{violations:#?}");
    assert_eq!(found[0], ("$", "missing required property `id`"));
    assert_eq!(
        found[1],
        ("$.created_at", "expected integer, found a string")
    );
    assert_eq!(
        found[2],
        (
            "$.email_addresses[0].nickname",
            "property not allowed (additionalProperties: false)"
        )
    );
    assert_eq!(found[3].0, "$.email_addresses[0].verification");
    assert!(
        found[3].1.starts_with("matches no oneOf branch (closest: "),
        "{}",
        found[3].1
    );
}
