//! `jwt_template` objects. The template's own signing key is never part of them, as in
//! Clerk's.

use serde::Serialize;
use serde_json::{Map, Value};

use crate::store::jwt_templates::JwtTemplateRecord;

/// A `jwt_template` object.
#[derive(Serialize)]
pub(crate) struct JwtTemplateJson<'a> {
    object: &'static str,
    id: &'a str,
    name: &'a str,
    claims: &'a Map<String, Value>,
    lifetime: i64,
    allowed_clock_skew: i64,
    custom_signing_key: bool,
    signing_algorithm: &'a str,
    created_at: i64,
    updated_at: i64,
}

impl<'a> JwtTemplateJson<'a> {
    pub(crate) fn new(record: &'a JwtTemplateRecord) -> Self {
        Self {
            object: "jwt_template",
            id: &record.id,
            name: &record.name,
            claims: &record.claims,
            lifetime: record.lifetime,
            allowed_clock_skew: record.allowed_clock_skew,
            custom_signing_key: record.custom_signing_key,
            signing_algorithm: &record.signing_algorithm,
            created_at: record.created_at,
            updated_at: record.updated_at,
        }
    }
}
