//! The README's "Building models in your tests" tells users which JSON keys each model
//! cannot do without (the models are `#[non_exhaustive]`, so JSON is how code outside
//! the SDK builds them). These tests keep that list exact: the keys read on their own,
//! and dropping any one of them fails.

use clerk_sdk::{EmailAddress, Session, User};
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

/// `minimal` reads as `T`, and stops reading once any one of its keys is removed.
fn assert_minimal<T: DeserializeOwned>(minimal: Value) {
    let name = std::any::type_name::<T>();
    if let Err(e) = serde_json::from_value::<T>(minimal.clone()) {
        panic!("{name} does not read from {minimal}: {e}");
    }
    let Value::Object(keys) = &minimal else {
        panic!("{name}: not an object")
    };
    for key in keys.keys() {
        let mut fewer = keys.clone();
        fewer.remove(key);
        assert!(
            serde_json::from_value::<T>(Value::Object(fewer)).is_err(),
            "{name} reads without {key:?}: the README lists a key it does not need"
        );
    }
}

#[test]
fn a_user_needs_these_keys() {
    assert_minimal::<User>(json!({
        "id": "user_1",
        "object": "user",
        "has_image": false,
        "password_enabled": false,
        "two_factor_enabled": false,
        "totp_enabled": false,
        "backup_code_enabled": false,
        "banned": false,
        "locked": false,
        "delete_self_enabled": true,
        "create_organization_enabled": true,
        "created_at": 1,
        "updated_at": 1,
    }));
}

#[test]
fn an_email_address_needs_these_keys() {
    // `id` is optional in the spec; the README sets it only so the user's primary
    // address can be found.
    assert_minimal::<EmailAddress>(json!({
        "object": "email_address",
        "email_address": "ada@example.com",
        "reserved": false,
        "created_at": 1,
        "updated_at": 1,
    }));
}

#[test]
fn a_session_needs_these_keys() {
    assert_minimal::<Session>(json!({
        "id": "sess_1",
        "object": "session",
        "user_id": "user_1",
        "client_id": "client_1",
        "status": "active",
        "last_active_at": 1,
        "expire_at": 2,
        "abandon_at": 3,
        "created_at": 1,
        "updated_at": 1,
    }));
}
