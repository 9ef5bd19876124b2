//! Users: `clerk.users()`.

use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard};

use serde::Serialize;
use serde_json::Value;

use crate::client::{ApiRequest, Clerk};
use crate::error::Result;
use crate::models::{DeletedObject, PasswordVerification, TotalCount, User, string_enum};
use crate::pagination::{ItemStream, Page, STREAM_PAGE_SIZE, paginate};
use crate::params::{check_metadata, debug_redacted, list_setters, option_setters, patch_setters};
use crate::patch::Patch;
use crate::query::Query;

impl Clerk {
    /// Users: list, count, get, create, update, delete, metadata, ban, lock,
    /// password checks.
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// let user = clerk.users().get("user_2x").await?;
    /// # Ok(()) }
    /// ```
    pub fn users(&self) -> Users<'_> {
        Users { clerk: self }
    }
}

/// The users handler, from [`Clerk::users`].
///
/// ```no_run
/// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
/// let users = clerk.users();
/// let total = users.count(clerk_sdk::ListUsers::new()).await?;
/// # Ok(()) }
/// ```
#[derive(Clone, Copy, Debug)]
pub struct Users<'a> {
    pub(super) clerk: &'a Clerk,
}

impl Users<'_> {
    /// One page of users matching the filters (`GET /users`). The API sends
    /// no total for users: use [`Users::list_with_total`] or [`Users::count`]
    /// when you need it. Ruby: `sdk.users.all(filters)`.
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// use clerk_sdk::ListUsers;
    /// let page = clerk
    ///     .users()
    ///     .list(ListUsers::new().email_address(["a@example.com", "b@example.com"]).limit(20))
    ///     .await?;
    /// assert!(page.total_count.is_none());
    /// # Ok(()) }
    /// ```
    pub async fn list(&self, params: ListUsers) -> Result<Page<User>> {
        self.clerk
            .send(ApiRequest::get(&["users"])?.query(params.to_query(true)))
            .await
    }

    /// One page of users plus the total matching the filters: two requests
    /// (`GET /users` and `GET /users/count`), sent concurrently.
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// let page = clerk.users().list_with_total(clerk_sdk::ListUsers::new().banned(true)).await?;
    /// println!("{} of {:?} banned users", page.len(), page.total_count);
    /// # Ok(()) }
    /// ```
    pub async fn list_with_total(&self, params: ListUsers) -> Result<Page<User>> {
        let (page, total) =
            futures_util::future::try_join(self.list(params.clone()), self.count(params)).await?;
        Ok(Page {
            data: page.data,
            total_count: Some(total),
        })
    }

    /// Every user matching the filters, page after page, `limit` per page
    /// ([`STREAM_PAGE_SIZE`] when unset). See [`ItemStream`].
    ///
    /// Pages are walked by `offset`, unless `starting_after` is set: then by
    /// cursor, each page starting after the last user of the previous one,
    /// which neither skips nor repeats users created meanwhile (the API
    /// requires `created_at` ordering for cursors).
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// use futures_util::TryStreamExt;
    /// let everyone: Vec<clerk_sdk::User> = clerk.users().stream(clerk_sdk::ListUsers::new()).try_collect().await?;
    /// # Ok(()) }
    /// ```
    pub fn stream(&self, params: ListUsers) -> ItemStream<User> {
        let clerk = self.clerk.clone();
        let limit = params.limit.unwrap_or(STREAM_PAGE_SIZE);
        let by_cursor = params.starting_after.is_some();
        let cursor = Arc::new(Mutex::new(params.starting_after.clone()));
        paginate(params.offset.unwrap_or(0), limit, move |offset, limit| {
            let clerk = clerk.clone();
            let cursor = cursor.clone();
            let mut page_params = params.clone().limit(limit);
            if by_cursor {
                page_params.starting_after = lock(&cursor).clone();
            } else {
                page_params.offset = Some(offset);
            }
            async move {
                let page = clerk.users().list(page_params).await?;
                if let Some(last) = page.data.last().filter(|_| by_cursor) {
                    *lock(&cursor) = Some(last.id.clone());
                }
                Ok(page)
            }
        })
    }

    /// How many users match the filters (`GET /users/count`); paging
    /// parameters (`limit`, `offset`, `starting_after`, `order_by`) are ignored.
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// let n = clerk.users().count(clerk_sdk::ListUsers::new().query("ada")).await?;
    /// # Ok(()) }
    /// ```
    pub async fn count(&self, params: ListUsers) -> Result<i64> {
        let count: TotalCount = self
            .clerk
            .send(ApiRequest::get(&["users", "count"])?.query(params.to_query(false)))
            .await?;
        Ok(count.total_count)
    }

    /// One user (`GET /users/{id}`); a missing user is an error with
    /// [`Error::is_not_found`](crate::Error::is_not_found).
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// let user = clerk.users().get("user_2x").await?;
    /// # Ok(()) }
    /// ```
    pub async fn get(&self, user_id: &str) -> Result<User> {
        self.clerk.send(ApiRequest::get(&["users", user_id])?).await
    }

    /// Creates a user (`POST /users`).
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// use clerk_sdk::CreateUser;
    /// let user = clerk
    ///     .users()
    ///     .create(
    ///         CreateUser::new()
    ///             .email_address(["ada@example.com"])
    ///             .password("correct horse battery staple")
    ///             .first_name("Ada")
    ///             .public_metadata(serde_json::json!({"plan": "pro"})),
    ///     )
    ///     .await?;
    /// # Ok(()) }
    /// ```
    pub async fn create(&self, params: CreateUser) -> Result<User> {
        check_metadata("public_metadata", params.public_metadata.as_ref())?;
        check_metadata("private_metadata", params.private_metadata.as_ref())?;
        check_metadata("unsafe_metadata", params.unsafe_metadata.as_ref())?;
        self.clerk
            .send(ApiRequest::post(&["users"])?.json(&params)?)
            .await
    }

    /// Updates a user (`PATCH /users/{id}`); fields not set stay as they are.
    /// Metadata is not part of this call from API version 2026-05-12 on: use
    /// [`Users::update_metadata`] or [`Users::replace_metadata`].
    /// Ruby: `sdk.users.update(id, {first_name: "John"})`.
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// use clerk_sdk::{Patch, UpdateUser};
    /// let user = clerk
    ///     .users()
    ///     .update("user_2x", UpdateUser::new().first_name("John").username(Patch::Null))
    ///     .await?;
    /// # Ok(()) }
    /// ```
    pub async fn update(&self, user_id: &str, params: UpdateUser) -> Result<User> {
        self.clerk
            .send(ApiRequest::patch(&["users", user_id])?.json(&params)?)
            .await
    }

    /// Deletes a user (`DELETE /users/{id}`). Ruby: `sdk.users.delete(id)`.
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// let deleted = clerk.users().delete("user_2x").await?;
    /// assert!(deleted.deleted);
    /// # Ok(()) }
    /// ```
    pub async fn delete(&self, user_id: &str) -> Result<DeletedObject> {
        self.clerk
            .send(ApiRequest::delete(&["users", user_id])?)
            .await
    }

    /// Deep-merges metadata into the user's (`PATCH /users/{id}/metadata`):
    /// nested objects are merged, a `null` value deletes its key.
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// use clerk_sdk::UserMetadata;
    /// use serde_json::json;
    /// let user = clerk
    ///     .users()
    ///     .update_metadata("user_2x", UserMetadata::new().public(json!({"plan": "pro", "trial": null})))
    ///     .await?;
    /// # Ok(()) }
    /// ```
    pub async fn update_metadata(&self, user_id: &str, metadata: UserMetadata) -> Result<User> {
        metadata.check()?;
        self.clerk
            .send(ApiRequest::patch(&["users", user_id, "metadata"])?.json(&metadata)?)
            .await
    }

    /// Replaces each metadata object given, wholesale (`PUT /users/{id}/metadata`);
    /// the ones not given stay as they are.
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// use clerk_sdk::UserMetadata;
    /// let user = clerk
    ///     .users()
    ///     .replace_metadata("user_2x", UserMetadata::new().private(serde_json::json!({})))
    ///     .await?;
    /// # Ok(()) }
    /// ```
    pub async fn replace_metadata(&self, user_id: &str, metadata: UserMetadata) -> Result<User> {
        metadata.check()?;
        self.clerk
            .send(ApiRequest::put(&["users", user_id, "metadata"])?.json(&metadata)?)
            .await
    }

    /// Bans a user: all their sessions are revoked and they cannot sign in
    /// (`POST /users/{id}/ban`).
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// assert!(clerk.users().ban("user_2x").await?.banned);
    /// # Ok(()) }
    /// ```
    pub async fn ban(&self, user_id: &str) -> Result<User> {
        self.action(user_id, "ban").await
    }

    /// Lifts a ban (`POST /users/{id}/unban`).
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// assert!(!clerk.users().unban("user_2x").await?.banned);
    /// # Ok(()) }
    /// ```
    pub async fn unban(&self, user_id: &str) -> Result<User> {
        self.action(user_id, "unban").await
    }

    /// Locks a user out until the lockout expires (`POST /users/{id}/lock`).
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// let user = clerk.users().lock("user_2x").await?;
    /// println!("locked for {:?} s", user.lockout_expires_in_seconds);
    /// # Ok(()) }
    /// ```
    pub async fn lock(&self, user_id: &str) -> Result<User> {
        self.action(user_id, "lock").await
    }

    /// Lifts a lockout (`POST /users/{id}/unlock`).
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// assert!(!clerk.users().unlock("user_2x").await?.locked);
    /// # Ok(()) }
    /// ```
    pub async fn unlock(&self, user_id: &str) -> Result<User> {
        self.action(user_id, "unlock").await
    }

    /// `POST /users/{id}/{action}` without a body.
    async fn action(&self, user_id: &str, action: &str) -> Result<User> {
        self.clerk
            .send(ApiRequest::post(&["users", user_id, action])?)
            .await
    }

    /// Checks a user's password (`POST /users/{id}/verify_password`).
    /// `Ok(false)` when the password is wrong (the API's 422
    /// `incorrect_password`); other failures, such as a user without a
    /// password (400 `no_password_set`), are errors.
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// if clerk.users().verify_password("user_2x", "hunter2").await? {
    ///     println!("welcome back");
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn verify_password(&self, user_id: &str, password: &str) -> Result<bool> {
        #[derive(Serialize)]
        struct Body<'a> {
            password: &'a str,
        }
        let request =
            ApiRequest::post(&["users", user_id, "verify_password"])?.json(&Body { password })?;
        match self.clerk.send::<PasswordVerification>(request).await {
            Ok(answer) => Ok(answer.verified == Some(true)),
            Err(error) if error.has_code("incorrect_password") => Ok(false),
            Err(error) => Err(error),
        }
    }
}

/// Locks the stream's cursor; a poisoned lock still holds a usable cursor.
fn lock(cursor: &Mutex<Option<String>>) -> MutexGuard<'_, Option<String>> {
    cursor
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Filters and paging for [`Users::list`], [`Users::count`] and
/// [`Users::stream`]: every parameter of `GET /users` in API version
/// 2026-05-12. Array filters are sent as repeated keys and match any of the
/// values; different filters must all match.
///
/// ```
/// use clerk_sdk::ListUsers;
/// let params = ListUsers::new()
///     .email_address(["a@example.com", "b@example.com"])
///     .user_id(["-user_excluded"])
///     .created_at_after(1_700_000_000_000_i64)
///     .order_by("-created_at")
///     .limit(50);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[must_use]
pub struct ListUsers {
    email_address: Vec<String>,
    phone_number: Vec<String>,
    external_id: Vec<String>,
    username: Vec<String>,
    web3_wallet: Vec<String>,
    user_id: Vec<String>,
    organization_id: Vec<String>,
    query: Option<String>,
    email_address_query: Option<String>,
    phone_number_query: Option<String>,
    username_query: Option<String>,
    name_query: Option<String>,
    banned: Option<bool>,
    last_active_at_before: Option<i64>,
    last_active_at_after: Option<i64>,
    last_active_at_since: Option<i64>,
    created_at_before: Option<i64>,
    created_at_after: Option<i64>,
    last_sign_in_at_before: Option<i64>,
    last_sign_in_at_after: Option<i64>,
    provider: Option<String>,
    provider_user_id: Vec<String>,
    limit: Option<u32>,
    offset: Option<u64>,
    starting_after: Option<String>,
    order_by: Option<String>,
}

impl ListUsers {
    /// No filters: every user, API default paging (10 per page).
    ///
    /// ```
    /// let all = clerk_sdk::ListUsers::new();
    /// ```
    pub fn new() -> Self {
        Self::default()
    }

    list_setters! {
        "ListUsers::new()";
        /// Users with any of these email addresses (exact match, up to 100).
        email_address,
        /// Users with any of these phone numbers (E.164, up to 100).
        phone_number,
        /// Users with any of these external IDs; prefix `+`/`-` to include/exclude.
        external_id,
        /// Users with any of these usernames.
        username,
        /// Users with any of these web3 wallets.
        web3_wallet,
        /// Users with any of these IDs; prefix `+`/`-` to include/exclude.
        user_id,
        /// Members of any of these organizations; prefix `+`/`-` to include/exclude.
        organization_id,
        /// With `provider`: users whose account at that provider has one of these IDs.
        provider_user_id,
    }

    option_setters! {
        "ListUsers::new()";
        /// Partial match over email addresses, phone numbers, usernames, web3 wallets, IDs and names.
        query: String,
        /// Case-insensitive partial match on email addresses.
        email_address_query: String,
        /// Case-insensitive partial match on phone numbers.
        phone_number_query: String,
        /// Case-insensitive partial match on usernames.
        username_query: String,
        /// Case-insensitive partial match on first and last names.
        name_query: String,
        /// Only banned (`true`) or only not banned (`false`) users.
        banned: bool,
        /// Users last active before this time (Unix ms).
        last_active_at_before: i64,
        /// Users last active after this time (Unix ms).
        last_active_at_after: i64,
        /// Deprecated by the API in favour of `last_active_at_after` (Unix ms, day precision).
        last_active_at_since: i64,
        /// Users created before this time (Unix ms).
        created_at_before: i64,
        /// Users created after this time (Unix ms).
        created_at_after: i64,
        /// Users who last signed in before this time (Unix ms).
        last_sign_in_at_before: i64,
        /// Users who last signed in after this time (Unix ms).
        last_sign_in_at_after: i64,
        /// With `provider_user_id`: the OAuth provider, e.g. `oauth_google`.
        provider: String,
        /// Page size, 1 to 500 (API default 10).
        limit: u32,
        /// How many users to skip.
        offset: u64,
        /// Cursor: the ID of the last user of the previous page (needs `created_at` ordering and no offset).
        starting_after: String,
        /// Sort order, e.g. `-created_at`, `+last_sign_in_at`, `username`.
        order_by: String,
    }

    /// The query parameters [`Users::list`] sends, in order, array filters as
    /// repeated keys: for a caller that sends the request itself (say, to keep
    /// the answer as it came). [`Users::count`] sends the same without `limit`,
    /// `offset`, `starting_after` and `order_by`.
    ///
    /// ```
    /// use clerk_sdk::ListUsers;
    /// let pairs = ListUsers::new().email_address(["a@example.com", "b@example.com"]).limit(20).to_query_pairs();
    /// assert_eq!(pairs, [
    ///     ("email_address".into(), "a@example.com".into()),
    ///     ("email_address".into(), "b@example.com".into()),
    ///     ("limit".into(), "20".into()),
    /// ]);
    /// ```
    pub fn to_query_pairs(&self) -> Vec<(String, String)> {
        self.to_query(true).into_pairs()
    }

    /// The query string; paging parameters only for the list itself.
    fn to_query(&self, with_paging: bool) -> Query {
        let mut query = Query::new();
        query
            .push_all("email_address", &self.email_address)
            .push_all("phone_number", &self.phone_number)
            .push_all("external_id", &self.external_id)
            .push_all("username", &self.username)
            .push_all("web3_wallet", &self.web3_wallet)
            .push_all("user_id", &self.user_id)
            .push_all("organization_id", &self.organization_id)
            .push_opt("query", self.query.as_ref())
            .push_opt("email_address_query", self.email_address_query.as_ref())
            .push_opt("phone_number_query", self.phone_number_query.as_ref())
            .push_opt("username_query", self.username_query.as_ref())
            .push_opt("name_query", self.name_query.as_ref())
            .push_opt("banned", self.banned)
            .push_opt("last_active_at_before", self.last_active_at_before)
            .push_opt("last_active_at_after", self.last_active_at_after)
            .push_opt("last_active_at_since", self.last_active_at_since)
            .push_opt("created_at_before", self.created_at_before)
            .push_opt("created_at_after", self.created_at_after)
            .push_opt("last_sign_in_at_before", self.last_sign_in_at_before)
            .push_opt("last_sign_in_at_after", self.last_sign_in_at_after)
            .push_opt("provider", self.provider.as_ref())
            .push_all("provider_user_id", &self.provider_user_id);
        if with_paging {
            query
                .push_opt("limit", self.limit)
                .push_opt("offset", self.offset)
                .push_opt("starting_after", self.starting_after.as_ref())
                .push_opt("order_by", self.order_by.as_ref());
        }
        query
    }
}

string_enum! {
    /// The status an email address or phone number is created with.
    pub enum IdentificationStatus {
        Verified => "verified",
        Reserved => "reserved",
    }
}

string_enum! {
    /// The algorithm of a `password_digest` (see Clerk's docs for each format).
    pub enum PasswordHasher {
        Argon2i => "argon2i",
        Argon2id => "argon2id",
        Bcrypt => "bcrypt",
        BcryptSha256Django => "bcrypt_sha256_django",
        LdapSsha => "ldap_ssha",
        Md5 => "md5",
        Md5Phpass => "md5_phpass",
        Pbkdf2Sha1 => "pbkdf2_sha1",
        Pbkdf2Sha256 => "pbkdf2_sha256",
        Pbkdf2Sha256Django => "pbkdf2_sha256_django",
        Pbkdf2Sha512 => "pbkdf2_sha512",
        Pbkdf2Sha512Hex => "pbkdf2_sha512_hex",
        Phpass => "phpass",
        ScryptFirebase => "scrypt_firebase",
        ScryptWerkzeug => "scrypt_werkzeug",
        Sha256 => "sha256",
        Sha512Symfony => "sha512_symfony",
    }
}

/// The body of [`Users::create`]: every field of `POST /users` in API version
/// 2026-05-12. Which fields are required depends on the instance's settings.
/// `Debug` hides the password, digest, TOTP secret and backup codes.
///
/// ```
/// use clerk_sdk::{CreateUser, PasswordHasher};
/// let migrated = CreateUser::new()
///     .external_id("legacy-42")
///     .email_address(["ada@example.com"])
///     .password_digest("$2a$10$abcdefghijklmnopqrstuv")
///     .password_hasher(PasswordHasher::Bcrypt)
///     .skip_password_checks(true);
/// assert!(!format!("{migrated:?}").contains("$2a$10$"));
/// ```
#[derive(Clone, Default, PartialEq, Serialize)]
#[must_use]
pub struct CreateUser {
    #[serde(skip_serializing_if = "Option::is_none")]
    external_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    first_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    last_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    locale: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    email_address: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    email_address_identification_status: Vec<IdentificationStatus>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    phone_number: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    phone_number_identification_status: Vec<IdentificationStatus>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    web3_wallet: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    username: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    password: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    password_digest: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    password_hasher: Option<PasswordHasher>,
    #[serde(skip_serializing_if = "Option::is_none")]
    skip_password_checks: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    skip_password_requirement: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    totp_secret: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    backup_codes: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    public_metadata: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    private_metadata: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    unsafe_metadata: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    delete_self_enabled: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    legal_accepted_at: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    skip_legal_checks: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    skip_user_requirement: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    create_organization_enabled: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    create_organizations_limit: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    created_at: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    bypass_client_trust: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    banned: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    locked: Option<bool>,
}

/// Fields of user bodies never shown by `Debug`.
const USER_SECRETS: &[&str] = &["password", "password_digest", "totp_secret", "backup_codes"];

impl fmt::Debug for CreateUser {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        debug_redacted(f, "CreateUser", self, USER_SECRETS)
    }
}

impl CreateUser {
    /// An empty body; set what your instance requires.
    ///
    /// ```
    /// let params = clerk_sdk::CreateUser::new().username("ada");
    /// ```
    pub fn new() -> Self {
        Self::default()
    }

    list_setters! {
        "CreateUser::new()";
        /// Email addresses; the first becomes primary.
        email_address,
        /// Phone numbers (E.164); the first becomes primary.
        phone_number,
        /// Web3 wallets; the first becomes primary.
        web3_wallet,
        /// Backup codes, plain or bcrypt digests.
        backup_codes,
    }

    option_setters! {
        "CreateUser::new()";
        /// The ID in your own systems (unique per instance).
        external_id: String,
        /// First name.
        first_name: String,
        /// Last name.
        last_name: String,
        /// Locale, e.g. `fr-FR`.
        locale: String,
        /// Username (unique per instance).
        username: String,
        /// Plain-text password (at least 8 characters, not breached).
        password: String,
        /// A password digest from another system; set `password_hasher` too.
        password_digest: String,
        /// The algorithm of `password_digest`.
        password_hasher: PasswordHasher,
        /// Skip password policy checks (only with `password`).
        skip_password_checks: bool,
        /// Create the user without a password even if the instance requires one.
        skip_password_requirement: bool,
        /// A TOTP secret, to enable TOTP without enrolment.
        totp_secret: String,
        /// Metadata visible to frontend and backend; must be a JSON object.
        public_metadata: Value,
        /// Metadata only the backend sees; must be a JSON object.
        private_metadata: Value,
        /// Metadata the frontend can write too; must be a JSON object.
        unsafe_metadata: Value,
        /// Whether the user may delete themselves.
        delete_self_enabled: bool,
        /// When the user accepted the legal requirements (RFC 3339, e.g. `2024-10-29T08:30:00Z`).
        legal_accepted_at: String,
        /// Skip legal-acceptance checks (for migrations).
        skip_legal_checks: bool,
        /// Skip the instance's user requirements (for migrations).
        skip_user_requirement: bool,
        /// Whether the user may create organizations.
        create_organization_enabled: bool,
        /// Most organizations the user may create (0: unlimited).
        create_organizations_limit: i64,
        /// When the user signed up, if earlier (RFC 3339).
        created_at: String,
        /// Bypass device-trust checks.
        bypass_client_trust: bool,
        /// Create the user banned.
        banned: bool,
        /// Create the user locked.
        locked: bool,
    }

    /// The status of each email address, by position (default: all verified).
    ///
    /// ```
    /// use clerk_sdk::{CreateUser, IdentificationStatus};
    /// let params = CreateUser::new()
    ///     .email_address(["a@example.com", "b@example.com"])
    ///     .email_address_identification_status([IdentificationStatus::Verified, IdentificationStatus::Reserved]);
    /// ```
    pub fn email_address_identification_status(
        mut self,
        statuses: impl IntoIterator<Item = IdentificationStatus>,
    ) -> Self {
        self.email_address_identification_status = statuses.into_iter().collect();
        self
    }

    /// The status of each phone number, by position (default: all verified).
    ///
    /// ```
    /// use clerk_sdk::{CreateUser, IdentificationStatus};
    /// let params = CreateUser::new()
    ///     .phone_number(["+15555550100"])
    ///     .phone_number_identification_status([IdentificationStatus::Reserved]);
    /// ```
    pub fn phone_number_identification_status(
        mut self,
        statuses: impl IntoIterator<Item = IdentificationStatus>,
    ) -> Self {
        self.phone_number_identification_status = statuses.into_iter().collect();
        self
    }
}

/// The body of [`Users::update`]: every field of `PATCH /users/{id}` in API
/// version 2026-05-12. A field is left unchanged unless set; set
/// [`Patch::Null`] to clear it. `Debug` hides the password, digest, TOTP
/// secret and backup codes.
///
/// ```
/// use clerk_sdk::{Patch, UpdateUser};
/// let update = UpdateUser::new()
///     .primary_email_address_id("idn_2")
///     .notify_primary_email_address_changed(true)
///     .external_id(Patch::Null)
///     .create_organizations_limit(5);
/// ```
#[derive(Clone, Default, PartialEq, Serialize)]
#[must_use]
pub struct UpdateUser {
    #[serde(skip_serializing_if = "Patch::is_unchanged")]
    external_id: Patch<String>,
    #[serde(skip_serializing_if = "Patch::is_unchanged")]
    first_name: Patch<String>,
    #[serde(skip_serializing_if = "Patch::is_unchanged")]
    last_name: Patch<String>,
    #[serde(skip_serializing_if = "Patch::is_unchanged")]
    locale: Patch<String>,
    #[serde(skip_serializing_if = "Patch::is_unchanged")]
    primary_email_address_id: Patch<String>,
    #[serde(skip_serializing_if = "Patch::is_unchanged")]
    notify_primary_email_address_changed: Patch<bool>,
    #[serde(skip_serializing_if = "Patch::is_unchanged")]
    primary_phone_number_id: Patch<String>,
    #[serde(skip_serializing_if = "Patch::is_unchanged")]
    primary_web3_wallet_id: Patch<String>,
    #[serde(skip_serializing_if = "Patch::is_unchanged")]
    username: Patch<String>,
    #[serde(skip_serializing_if = "Patch::is_unchanged")]
    profile_image_id: Patch<String>,
    #[serde(skip_serializing_if = "Patch::is_unchanged")]
    password: Patch<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    password_digest: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    password_hasher: Option<PasswordHasher>,
    #[serde(skip_serializing_if = "Patch::is_unchanged")]
    skip_password_checks: Patch<bool>,
    #[serde(skip_serializing_if = "Patch::is_unchanged")]
    sign_out_of_other_sessions: Patch<bool>,
    #[serde(skip_serializing_if = "Patch::is_unchanged")]
    totp_secret: Patch<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    backup_codes: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Patch::is_unchanged")]
    delete_self_enabled: Patch<bool>,
    #[serde(skip_serializing_if = "Patch::is_unchanged")]
    create_organization_enabled: Patch<bool>,
    #[serde(skip_serializing_if = "Patch::is_unchanged")]
    legal_accepted_at: Patch<String>,
    #[serde(skip_serializing_if = "Patch::is_unchanged")]
    skip_legal_checks: Patch<bool>,
    #[serde(skip_serializing_if = "Patch::is_unchanged")]
    create_organizations_limit: Patch<i64>,
    #[serde(skip_serializing_if = "Patch::is_unchanged")]
    created_at: Patch<String>,
    #[serde(skip_serializing_if = "Patch::is_unchanged")]
    bypass_client_trust: Patch<bool>,
}

impl fmt::Debug for UpdateUser {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        debug_redacted(f, "UpdateUser", self, USER_SECRETS)
    }
}

impl UpdateUser {
    /// An update that changes nothing yet.
    ///
    /// ```
    /// let update = clerk_sdk::UpdateUser::new().last_name("Lovelace");
    /// ```
    pub fn new() -> Self {
        Self::default()
    }

    patch_setters! {
        "UpdateUser::new()";
        /// The ID in your own systems.
        external_id: String,
        /// First name.
        first_name: String,
        /// Last name.
        last_name: String,
        /// Locale, e.g. `en-US`.
        locale: String,
        /// A verified email address of the user to make primary.
        primary_email_address_id: String,
        /// Notify the old primary address that it changed.
        notify_primary_email_address_changed: bool,
        /// A verified phone number of the user to make primary.
        primary_phone_number_id: String,
        /// A verified web3 wallet of the user to make primary.
        primary_web3_wallet_id: String,
        /// Username; `Patch::Null` (or `""`) removes it.
        username: String,
        /// An uploaded image to use as profile image.
        profile_image_id: String,
        /// A new plain-text password.
        password: String,
        /// Skip password policy checks (only with `password`).
        skip_password_checks: bool,
        /// Sign the user out of other sessions (only with `password`).
        sign_out_of_other_sessions: bool,
        /// A TOTP secret, to enable TOTP without enrolment.
        totp_secret: String,
        /// Whether the user may delete themselves.
        delete_self_enabled: bool,
        /// Whether the user may create organizations.
        create_organization_enabled: bool,
        /// When the user accepted the legal requirements (RFC 3339).
        legal_accepted_at: String,
        /// Skip legal-acceptance checks.
        skip_legal_checks: bool,
        /// Most organizations the user may create (0: unlimited).
        create_organizations_limit: i64,
        /// When the user signed up (RFC 3339).
        created_at: String,
        /// Bypass device-trust checks.
        bypass_client_trust: bool,
    }

    option_setters! {
        "UpdateUser::new()";
        /// A password digest from another system; set `password_hasher` too.
        password_digest: String,
        /// The algorithm of `password_digest`.
        password_hasher: PasswordHasher,
    }

    /// Backup codes, plain or bcrypt digests.
    ///
    /// ```
    /// let update = clerk_sdk::UpdateUser::new().backup_codes(["alpha-1", "bravo-2"]);
    /// ```
    pub fn backup_codes<I, S>(mut self, codes: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.backup_codes = Some(codes.into_iter().map(Into::into).collect());
        self
    }
}

/// Metadata for [`Users::update_metadata`] (deep merge) and
/// [`Users::replace_metadata`] (wholesale). Each value must be a JSON object.
///
/// ```
/// use clerk_sdk::UserMetadata;
/// use serde_json::json;
/// let metadata = UserMetadata::new()
///     .public(json!({"plan": "pro"}))
///     .private(json!({"stripe_id": "cus_1"}))
///     .unsafe_metadata(json!({"theme": "dark"}));
/// ```
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[must_use]
pub struct UserMetadata {
    #[serde(skip_serializing_if = "Option::is_none")]
    public_metadata: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    private_metadata: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    unsafe_metadata: Option<Value>,
}

impl UserMetadata {
    /// No metadata yet.
    ///
    /// ```
    /// let metadata = clerk_sdk::UserMetadata::new();
    /// ```
    pub fn new() -> Self {
        Self::default()
    }

    /// `public_metadata`: visible to frontend and backend.
    ///
    /// ```
    /// let metadata = clerk_sdk::UserMetadata::new().public(serde_json::json!({"role": "admin"}));
    /// ```
    pub fn public(mut self, metadata: Value) -> Self {
        self.public_metadata = Some(metadata);
        self
    }

    /// `private_metadata`: visible to the backend only.
    ///
    /// ```
    /// let metadata = clerk_sdk::UserMetadata::new().private(serde_json::json!({"notes": "vip"}));
    /// ```
    pub fn private(mut self, metadata: Value) -> Self {
        self.private_metadata = Some(metadata);
        self
    }

    /// `unsafe_metadata`: writable from the frontend too.
    ///
    /// ```
    /// let metadata = clerk_sdk::UserMetadata::new().unsafe_metadata(serde_json::json!({"theme": "dark"}));
    /// ```
    pub fn unsafe_metadata(mut self, metadata: Value) -> Self {
        self.unsafe_metadata = Some(metadata);
        self
    }

    fn check(&self) -> Result<()> {
        check_metadata("public_metadata", self.public_metadata.as_ref())?;
        check_metadata("private_metadata", self.private_metadata.as_ref())?;
        check_metadata("unsafe_metadata", self.unsafe_metadata.as_ref())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_hides_every_secret_field() {
        let create = CreateUser::new()
            .username("ada")
            .password("pw-create-1")
            .password_digest("digest-2")
            .totp_secret("totp-3")
            .backup_codes(["code-4"]);
        let update = UpdateUser::new()
            .password("pw-update-5")
            .password_digest("digest-6")
            .totp_secret("totp-7")
            .backup_codes(["code-8"]);
        let text = format!("{create:?} {update:?}");
        for secret in [
            "pw-create-1",
            "digest-2",
            "totp-3",
            "code-4",
            "pw-update-5",
            "digest-6",
            "totp-7",
            "code-8",
        ] {
            assert!(!text.contains(secret), "{secret} in {text}");
        }
        assert!(text.contains("\"username\":\"ada\""), "{text}");
    }
}
