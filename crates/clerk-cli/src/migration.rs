//! Clerk's user export format, shared by `users import` and `users export`: the columns of
//! the dashboard's CSV export, one user per row, read from CSV or JSON Lines and turned into
//! a `POST /v1/users` body, and written back from the API's user objects.
//!
//! Columns: `id, first_name, last_name, username, primary_email_address,
//! primary_phone_number, verified_email_addresses, unverified_email_addresses,
//! verified_phone_numbers, unverified_phone_numbers, totp_secret, password_digest,
//! password_hasher`. List cells hold several values separated by `,` `|` or `;` (or a JSON
//! array); the verified lists include the primary when it is verified, and an unverified
//! primary appears in the unverified list, as the dashboard writes them.
//!
//! JSON Lines rows are objects with the same keys (lists may be JSON arrays), plus optional
//! `external_id`, `public_metadata`, `private_metadata` and `unsafe_metadata`; a line may
//! also be a user object as the API returns it (what `users export --format jsonl` writes),
//! so an export imports back as is.

use clerk_sdk::{CreateUser, IdentificationStatus, PasswordHasher, User};
use serde_json::{Map, Value};

/// The columns of Clerk's CSV user export, in its order.
pub const COLUMNS: [&str; 13] = [
    "id",
    "first_name",
    "last_name",
    "username",
    "primary_email_address",
    "primary_phone_number",
    "verified_email_addresses",
    "unverified_email_addresses",
    "verified_phone_numbers",
    "unverified_phone_numbers",
    "totp_secret",
    "password_digest",
    "password_hasher",
];

/// Extra keys a JSON Lines row may have.
const JSON_EXTRAS: [&str; 4] = [
    "external_id",
    "public_metadata",
    "private_metadata",
    "unsafe_metadata",
];

/// The column a failed-rows file adds; ignored when such a file is imported again.
pub const ERROR_COLUMN: &str = "error";

/// One user of an export. No `Debug`: it holds password digests and TOTP secrets.
#[derive(Clone, Default, PartialEq)]
pub struct UserRow {
    /// The user's ID in the system it comes from (the checkpoint key).
    pub id: Option<String>,
    /// Your own ID for the user (JSON Lines rows only).
    pub external_id: Option<String>,
    /// First name.
    pub first_name: Option<String>,
    /// Last name.
    pub last_name: Option<String>,
    /// Username.
    pub username: Option<String>,
    /// The primary email address.
    pub primary_email_address: Option<String>,
    /// The primary phone number.
    pub primary_phone_number: Option<String>,
    /// Verified email addresses (the primary included when verified).
    pub verified_email_addresses: Vec<String>,
    /// Unverified email addresses.
    pub unverified_email_addresses: Vec<String>,
    /// Verified phone numbers.
    pub verified_phone_numbers: Vec<String>,
    /// Unverified phone numbers.
    pub unverified_phone_numbers: Vec<String>,
    /// A TOTP secret (base32).
    pub totp_secret: Option<String>,
    /// A password digest.
    pub password_digest: Option<String>,
    /// The algorithm of `password_digest` (bcrypt, argon2id, …).
    pub password_hasher: Option<String>,
    /// Public metadata (a JSON object).
    pub public_metadata: Option<Value>,
    /// Private metadata (a JSON object).
    pub private_metadata: Option<Value>,
    /// Unsafe metadata (a JSON object).
    pub unsafe_metadata: Option<Value>,
}

/// Choices for turning rows into users.
#[derive(Debug, Clone, Copy)]
pub struct RowOptions {
    /// Send the row's `id` as `external_id` (unless the row has its own `external_id`).
    pub id_as_external_id: bool,
    /// Create unverified addresses and numbers `reserved` (true) or leave them out.
    pub keep_unverified: bool,
}

impl UserRow {
    /// A row from one CSV record, given the header.
    pub fn from_csv(header: &csv::StringRecord, record: &csv::StringRecord) -> Self {
        let mut row = UserRow::default();
        for (name, cell) in header.iter().zip(record.iter()) {
            row.set(name.trim(), CellValue::Text(cell));
        }
        row
    }

    /// A row from one JSON Lines object: the export's columns, or a user object.
    pub fn from_json(object: &Map<String, Value>) -> Result<Self, String> {
        if object.get("object").and_then(Value::as_str) == Some("user") {
            let user: User = serde_json::from_value(Value::Object(object.clone()))
                .map_err(|e| format!("not a user object: {e}"))?;
            return Ok(Self::from_user(&user));
        }
        let mut row = UserRow::default();
        for (name, value) in object {
            let cell = match value {
                Value::Null => continue,
                Value::String(text) => CellValue::Text(text),
                Value::Array(items) => CellValue::List(
                    items
                        .iter()
                        .map(|item| item.as_str().map(str::to_owned))
                        .collect::<Option<_>>()
                        .ok_or_else(|| format!("{name}: a list must hold strings"))?,
                ),
                Value::Object(_) if name.ends_with("_metadata") => CellValue::Json(value),
                other => return Err(format!("{name}: unexpected value {other}")),
            };
            row.set(name, cell);
        }
        Ok(row)
    }

    /// The row an API user object exports as.
    pub fn from_user(user: &User) -> Self {
        let mut row = UserRow {
            id: Some(user.id.clone()),
            external_id: user.external_id.clone(),
            first_name: user.first_name.clone(),
            last_name: user.last_name.clone(),
            username: user.username.clone(),
            public_metadata: non_empty(&user.public_metadata),
            private_metadata: user.private_metadata.as_ref().and_then(non_empty),
            unsafe_metadata: user.unsafe_metadata.as_ref().and_then(non_empty),
            ..UserRow::default()
        };
        for email in &user.email_addresses {
            let verified = email.verification.as_ref().is_some_and(|v| v.is_verified());
            let primary = email.id.is_some() && email.id == user.primary_email_address_id;
            if primary {
                row.primary_email_address = Some(email.email_address.clone());
            }
            let list = if verified {
                &mut row.verified_email_addresses
            } else {
                &mut row.unverified_email_addresses
            };
            list.push(email.email_address.clone());
        }
        for phone in &user.phone_numbers {
            let verified = phone.verification.as_ref().is_some_and(|v| v.is_verified());
            let primary = phone.id.is_some() && phone.id == user.primary_phone_number_id;
            if primary {
                row.primary_phone_number = Some(phone.phone_number.clone());
            }
            let list = if verified {
                &mut row.verified_phone_numbers
            } else {
                &mut row.unverified_phone_numbers
            };
            list.push(phone.phone_number.clone());
        }
        row
    }

    /// Names of CSV columns that are neither the export's nor ignored: worth a warning.
    pub fn unknown_columns(header: &csv::StringRecord) -> Vec<String> {
        header
            .iter()
            .map(str::trim)
            .filter(|name| {
                !COLUMNS.contains(name) && !JSON_EXTRAS.contains(name) && *name != ERROR_COLUMN
            })
            .map(str::to_owned)
            .collect()
    }

    fn set(&mut self, name: &str, cell: CellValue<'_>) {
        let text = || cell.text();
        match name {
            "id" => self.id = text(),
            "external_id" => self.external_id = text(),
            "first_name" => self.first_name = text(),
            "last_name" => self.last_name = text(),
            "username" => self.username = text(),
            "primary_email_address" => self.primary_email_address = text(),
            "primary_phone_number" => self.primary_phone_number = text(),
            "verified_email_addresses" => self.verified_email_addresses = cell.list(),
            "unverified_email_addresses" => self.unverified_email_addresses = cell.list(),
            "verified_phone_numbers" => self.verified_phone_numbers = cell.list(),
            "unverified_phone_numbers" => self.unverified_phone_numbers = cell.list(),
            "totp_secret" => self.totp_secret = text(),
            "password_digest" => self.password_digest = text(),
            "password_hasher" => self.password_hasher = text(),
            "public_metadata" => self.public_metadata = cell.json(),
            "private_metadata" => self.private_metadata = cell.json(),
            "unsafe_metadata" => self.unsafe_metadata = cell.json(),
            _ => {}
        }
    }

    /// The `POST /v1/users` body for this row.
    ///
    /// Email addresses: the primary first, then the other verified ones, then the unverified
    /// ones; unverified ones are created `reserved` (unverified, yet held for this user) via
    /// `email_address_identification_status`, or left out. Phone numbers likewise. The row's
    /// `id` becomes `external_id` only when asked. A digest needs its hasher.
    pub fn to_create(&self, options: RowOptions) -> Result<CreateUser, String> {
        let mut params = CreateUser::new();
        let (emails, email_statuses) = identifications(
            self.primary_email_address.as_deref(),
            &self.verified_email_addresses,
            &self.unverified_email_addresses,
            options.keep_unverified,
        );
        let (phones, phone_statuses) = identifications(
            self.primary_phone_number.as_deref(),
            &self.verified_phone_numbers,
            &self.unverified_phone_numbers,
            options.keep_unverified,
        );
        params = params.email_address(emails).phone_number(phones);
        if email_statuses.contains(&IdentificationStatus::Reserved) {
            params = params.email_address_identification_status(email_statuses);
        }
        if phone_statuses.contains(&IdentificationStatus::Reserved) {
            params = params.phone_number_identification_status(phone_statuses);
        }
        let external_id = self
            .external_id
            .clone()
            .or_else(|| self.id.clone().filter(|_| options.id_as_external_id));
        if let Some(value) = external_id {
            params = params.external_id(value);
        }
        if let Some(value) = &self.first_name {
            params = params.first_name(value);
        }
        if let Some(value) = &self.last_name {
            params = params.last_name(value);
        }
        if let Some(value) = &self.username {
            params = params.username(value);
        }
        if let Some(value) = &self.totp_secret {
            params = params.totp_secret(value);
        }
        match (&self.password_digest, &self.password_hasher) {
            (Some(digest), Some(hasher)) => {
                params = params
                    .password_digest(digest)
                    .password_hasher(PasswordHasher::from(hasher.as_str()));
            }
            (Some(_), None) => return Err("password_digest without password_hasher".into()),
            (None, Some(_)) | (None, None) => {}
        }
        let object = |value: &Option<Value>| match value {
            Some(value) if !value.is_object() => Err("metadata must be a JSON object".to_owned()),
            other => Ok(other.clone()),
        };
        if let Some(value) = object(&self.public_metadata)? {
            params = params.public_metadata(value);
        }
        if let Some(value) = object(&self.private_metadata)? {
            params = params.private_metadata(value);
        }
        if let Some(value) = object(&self.unsafe_metadata)? {
            params = params.unsafe_metadata(value);
        }
        Ok(params)
    }

    /// How to find the user this row created, for rows whose create may or may not have
    /// happened: the most specific unique identifier it has.
    pub fn lookup_key(&self, options: RowOptions) -> Option<(&'static str, String)> {
        let external = self
            .external_id
            .clone()
            .or_else(|| self.id.clone().filter(|_| options.id_as_external_id));
        let first = |primary: &Option<String>, verified: &[String]| {
            primary.clone().or_else(|| verified.first().cloned())
        };
        external
            .map(|v| ("external_id", v))
            .or_else(|| {
                first(&self.primary_email_address, &self.verified_email_addresses)
                    .map(|v| ("email_address", v))
            })
            .or_else(|| {
                first(&self.primary_phone_number, &self.verified_phone_numbers)
                    .map(|v| ("phone_number", v))
            })
            .or_else(|| self.username.clone().map(|v| ("username", v)))
    }

    /// The row as CSV cells, in [`COLUMNS`] order (lists joined with `,`).
    pub fn to_csv(&self) -> [String; 13] {
        let text = |value: &Option<String>| value.clone().unwrap_or_default();
        [
            text(&self.id),
            text(&self.first_name),
            text(&self.last_name),
            text(&self.username),
            text(&self.primary_email_address),
            text(&self.primary_phone_number),
            self.verified_email_addresses.join(","),
            self.unverified_email_addresses.join(","),
            self.verified_phone_numbers.join(","),
            self.unverified_phone_numbers.join(","),
            text(&self.totp_secret),
            text(&self.password_digest),
            text(&self.password_hasher),
        ]
    }
}

/// The values of one kind (emails or phones) in creation order, with their statuses.
fn identifications(
    primary: Option<&str>,
    verified: &[String],
    unverified: &[String],
    keep_unverified: bool,
) -> (Vec<String>, Vec<IdentificationStatus>) {
    let same = |a: &str, b: &str| a.eq_ignore_ascii_case(b);
    let is_unverified = |value: &str| unverified.iter().any(|u| same(u, value));
    let mut values: Vec<String> = Vec::new();
    let mut statuses = Vec::new();
    let mut push = |value: &str, status: IdentificationStatus| {
        if !values.iter().any(|v| same(v, value)) {
            values.push(value.to_owned());
            statuses.push(status);
        }
    };
    // A primary listed only as unverified stays unverified; otherwise it counts as verified.
    if let Some(primary) = primary {
        if !is_unverified(primary) || verified.iter().any(|v| same(v, primary)) {
            push(primary, IdentificationStatus::Verified);
        } else if keep_unverified {
            push(primary, IdentificationStatus::Reserved);
        }
    }
    for value in verified {
        push(value, IdentificationStatus::Verified);
    }
    if keep_unverified {
        for value in unverified {
            push(value, IdentificationStatus::Reserved);
        }
    }
    (values, statuses)
}

fn non_empty(metadata: &Map<String, Value>) -> Option<Value> {
    (!metadata.is_empty()).then(|| Value::Object(metadata.clone()))
}

/// One cell, from CSV text or a JSON value.
enum CellValue<'a> {
    Text(&'a str),
    List(Vec<String>),
    Json(&'a Value),
}

impl CellValue<'_> {
    fn text(&self) -> Option<String> {
        match self {
            CellValue::Text(text) => Some(text.trim())
                .filter(|t| !t.is_empty())
                .map(str::to_owned),
            CellValue::List(items) => items.first().cloned(),
            CellValue::Json(_) => None,
        }
    }

    /// A list cell: a JSON array, or values separated by `,` `|` or `;`.
    fn list(&self) -> Vec<String> {
        match self {
            CellValue::List(items) => items
                .iter()
                .map(|i| i.trim().to_owned())
                .filter(|i| !i.is_empty())
                .collect(),
            CellValue::Json(_) => Vec::new(),
            CellValue::Text(text) => {
                let text = text.trim();
                if text.starts_with('[') {
                    if let Ok(items) = serde_json::from_str::<Vec<String>>(text) {
                        return CellValue::List(items).list();
                    }
                }
                text.split([',', '|', ';'])
                    .map(str::trim)
                    .filter(|item| !item.is_empty())
                    .map(str::to_owned)
                    .collect()
            }
        }
    }

    /// A metadata cell: a JSON object (CSV cells hold it as text).
    fn json(&self) -> Option<Value> {
        match self {
            CellValue::Json(value) => Some((*value).clone()),
            CellValue::Text(text) if !text.trim().is_empty() => Some(
                serde_json::from_str(text).unwrap_or_else(|_| Value::String((*text).to_owned())),
            ),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const KEEP: RowOptions = RowOptions {
        id_as_external_id: false,
        keep_unverified: true,
    };

    fn csv_row(header: &str, line: &str) -> UserRow {
        let header = csv::StringRecord::from(header.split(',').collect::<Vec<_>>());
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(line.as_bytes());
        let record = reader.records().next().unwrap().unwrap();
        UserRow::from_csv(&header, &record)
    }

    fn body(row: &UserRow, options: RowOptions) -> Value {
        serde_json::to_value(row.to_create(options).unwrap()).unwrap()
    }

    #[test]
    fn dashboard_csv_rows_become_create_bodies() {
        let row = csv_row(
            &COLUMNS.join(","),
            "user_1,Ada,Lovelace,ada,a@x.dev,+15555550100,\"a@x.dev,b@x.dev\",c@x.dev|d@x.dev,+15555550100,,,$2a$10$abc,bcrypt",
        );
        assert_eq!(
            body(&row, KEEP),
            json!({
                "first_name": "Ada", "last_name": "Lovelace", "username": "ada",
                "email_address": ["a@x.dev", "b@x.dev", "c@x.dev", "d@x.dev"],
                "email_address_identification_status": ["verified", "verified", "reserved", "reserved"],
                "phone_number": ["+15555550100"],
                "password_digest": "$2a$10$abc", "password_hasher": "bcrypt",
            })
        );
        let skip = RowOptions {
            id_as_external_id: true,
            keep_unverified: false,
        };
        let skipped = body(&row, skip);
        assert_eq!(skipped["email_address"], json!(["a@x.dev", "b@x.dev"]));
        assert!(skipped.get("email_address_identification_status").is_none());
        assert_eq!(skipped["external_id"], "user_1");
        assert_eq!(row.lookup_key(skip), Some(("external_id", "user_1".into())));
        assert_eq!(
            row.lookup_key(KEEP),
            Some(("email_address", "a@x.dev".into()))
        );
    }

    #[test]
    fn an_unverified_primary_stays_unverified() {
        let row = csv_row(
            "id,primary_email_address,unverified_email_addresses",
            "user_1,a@x.dev,a@x.dev",
        );
        let body = body(&row, KEEP);
        assert_eq!(body["email_address"], json!(["a@x.dev"]));
        assert_eq!(
            body["email_address_identification_status"],
            json!(["reserved"])
        );
    }

    #[test]
    fn a_digest_needs_its_hasher() {
        let row = csv_row("id,password_digest", "user_1,$2a$10$abc");
        assert!(row.to_create(KEEP).is_err());
    }

    #[test]
    fn json_rows_take_lists_and_metadata() {
        let object = json!({
            "id": "u1", "verified_email_addresses": ["a@x.dev"], "external_id": "ext-1",
            "public_metadata": {"plan": "pro"}, "extra": null
        });
        let row = UserRow::from_json(object.as_object().unwrap()).unwrap();
        let body = body(&row, KEEP);
        assert_eq!(body["email_address"], json!(["a@x.dev"]));
        assert_eq!(body["external_id"], "ext-1");
        assert_eq!(body["public_metadata"], json!({"plan": "pro"}));
        let bad = json!({"verified_email_addresses": [1]});
        assert!(UserRow::from_json(bad.as_object().unwrap()).is_err());
    }

    #[test]
    fn csv_cells_round_trip() {
        let row = csv_row(
            &COLUMNS.join(","),
            "user_1,Ada,,,a@x.dev,,\"a@x.dev,b@x.dev\",,,,,,",
        );
        let mut writer = csv::Writer::from_writer(Vec::new());
        writer.write_record(row.to_csv()).unwrap();
        let line = String::from_utf8(writer.into_inner().unwrap()).unwrap();
        assert!(csv_row(&COLUMNS.join(","), line.trim_end()) == row);
    }
}
