//! `machine`, `machine_scope`, `machine_secret_key` and `machine_to_machine_token` objects.
//! A machine's secret key is only printed by the create answer and the secret-key
//! endpoints; an M2M token's value only by its create answer.

use serde::Serialize;
use serde_json::Value;

use crate::domain::m2m_tokens::M2mToken;
use crate::store::machines::{MachineRecord, MachineScope};

/// A machine without its scopes (`MachineWithoutScopedMachines`), as `scoped_machines`
/// lists them.
#[derive(Serialize)]
pub(crate) struct ScopedMachineJson<'a> {
    object: &'static str,
    id: &'a str,
    name: &'a str,
    instance_id: &'a str,
    default_token_ttl: i64,
    created_at: i64,
    updated_at: i64,
}

impl<'a> ScopedMachineJson<'a> {
    pub(crate) fn new(record: &'a MachineRecord, instance_id: &'a str) -> Self {
        Self {
            object: "machine",
            id: &record.id,
            name: &record.name,
            instance_id,
            default_token_ttl: record.default_token_ttl,
            created_at: record.created_at,
            updated_at: record.updated_at,
        }
    }
}

/// A `machine` object: always with its `scoped_machines` array, and with `secret_key` in
/// the create answer.
#[derive(Serialize)]
pub(crate) struct MachineJson<'a> {
    #[serde(flatten)]
    machine: ScopedMachineJson<'a>,
    scoped_machines: Vec<ScopedMachineJson<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    secret_key: Option<&'a str>,
}

impl<'a> MachineJson<'a> {
    /// `scoped` holds the machines `record` may call.
    pub(crate) fn new(
        record: &'a MachineRecord,
        scoped: impl IntoIterator<Item = &'a MachineRecord>,
        instance_id: &'a str,
    ) -> Self {
        Self {
            machine: ScopedMachineJson::new(record, instance_id),
            scoped_machines: scoped
                .into_iter()
                .map(|m| ScopedMachineJson::new(m, instance_id))
                .collect(),
            secret_key: None,
        }
    }

    /// The same, with the secret key (the create answer).
    pub(crate) fn with_secret_key(mut self, secret_key: &'a str) -> Self {
        self.secret_key = Some(secret_key);
        self
    }
}

/// A `machine_secret_key` object.
#[derive(Serialize)]
pub(crate) struct MachineSecretKeyJson<'a> {
    object: &'static str,
    secret: &'a str,
}

impl<'a> MachineSecretKeyJson<'a> {
    pub(crate) fn new(secret: &'a str) -> Self {
        Self {
            object: "machine_secret_key",
            secret,
        }
    }
}

/// A `machine_scope` object; `deleted: true` in a delete answer (then without
/// `created_at`).
#[derive(Serialize)]
pub(crate) struct MachineScopeJson<'a> {
    object: &'static str,
    from_machine_id: &'a str,
    to_machine_id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    created_at: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    deleted: Option<bool>,
}

impl<'a> MachineScopeJson<'a> {
    pub(crate) fn new(scope: &'a MachineScope) -> Self {
        Self {
            object: "machine_scope",
            from_machine_id: &scope.from_machine_id,
            to_machine_id: &scope.to_machine_id,
            created_at: Some(scope.created_at),
            deleted: None,
        }
    }

    pub(crate) fn deleted(from: &'a str, to: &'a str) -> Self {
        Self {
            object: "machine_scope",
            from_machine_id: from,
            to_machine_id: to,
            created_at: None,
            deleted: Some(true),
        }
    }
}

/// A `machine_to_machine_token` object: exactly the spec's keys (its schema allows no
/// others), `token` only in the create answer; `expired` as of `now_ms`.
#[derive(Serialize)]
pub(crate) struct M2mTokenJson<'a> {
    object: &'static str,
    id: &'a str,
    subject: &'a str,
    claims: Option<&'a Value>,
    scopes: &'a [String],
    #[serde(skip_serializing_if = "Option::is_none")]
    token: Option<&'a str>,
    revoked: bool,
    revocation_reason: Option<&'a str>,
    expired: bool,
    expiration: Option<i64>,
    last_used_at: Option<i64>,
    created_at: i64,
    updated_at: i64,
}

impl<'a> M2mTokenJson<'a> {
    pub(crate) fn new(token: &'a M2mToken, now_ms: i64) -> Self {
        Self {
            object: "machine_to_machine_token",
            id: &token.id,
            subject: &token.subject,
            claims: token.claims.as_ref(),
            scopes: &token.scopes,
            token: None,
            revoked: token.revoked,
            revocation_reason: token.revocation_reason.as_deref(),
            expired: token.expired_at(now_ms),
            expiration: token.expiration,
            last_used_at: token.last_used_at,
            created_at: token.created_at,
            updated_at: token.updated_at,
        }
    }

    /// The same, with the token itself (the create answer).
    pub(crate) fn with_token(mut self, token: &'a str) -> Self {
        self.token = Some(token);
        self
    }
}
