//! Role sets: `clerk.role_sets()`.

use serde::Serialize;
use serde_json::{Map, Value};

use crate::client::{ApiRequest, Clerk};
use crate::error::Result;
use crate::models::{DeletedObject, RoleSet, RoleSetType};
use crate::pagination::{ItemStream, Page, PaginatedList, Paging};
use crate::params::{option_setters, paging_setters, patch_setters};
use crate::patch::Patch;
use crate::query::Query;

impl Clerk {
    /// Role sets, the roles an organization may hand out: list, get (by key or ID),
    /// create, update, add roles, swap a role, replace a set by another.
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// let set = clerk.role_sets().get("role_set:default").await?;
    /// # Ok(()) }
    /// ```
    pub fn role_sets(&self) -> RoleSets<'_> {
        RoleSets { clerk: self }
    }
}

/// The role sets handler, from [`Clerk::role_sets`].
///
/// ```no_run
/// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
/// let sets = clerk.role_sets();
/// let page = sets.list(clerk_sdk::ListRoleSets::new()).await?;
/// # Ok(()) }
/// ```
#[derive(Clone, Copy, Debug)]
pub struct RoleSets<'a> {
    clerk: &'a Clerk,
}

impl RoleSets<'_> {
    /// One page of role sets with the total (`GET /role_sets`).
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// let page = clerk.role_sets().list(clerk_sdk::ListRoleSets::new().query("default")).await?;
    /// # Ok(()) }
    /// ```
    pub async fn list(&self, params: ListRoleSets) -> Result<Page<RoleSet>> {
        self.clerk.list_paginated(&["role_sets"], params).await
    }

    /// Every role set matching the filters, page after page. See [`ItemStream`].
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// use futures_util::TryStreamExt;
    /// let all: Vec<_> = clerk.role_sets().stream(Default::default()).try_collect().await?;
    /// # Ok(()) }
    /// ```
    pub fn stream(&self, params: ListRoleSets) -> ItemStream<RoleSet> {
        self.clerk.stream_paginated(&["role_sets"], params)
    }

    /// One role set by key or ID (`GET /role_sets/{key or id}`).
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// let set = clerk.role_sets().get("role_set:default").await?;
    /// # Ok(()) }
    /// ```
    pub async fn get(&self, key_or_id: &str) -> Result<RoleSet> {
        self.clerk
            .send(ApiRequest::get(&["role_sets", key_or_id])?)
            .await
    }

    /// Creates a role set (`POST /role_sets`).
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// use clerk_sdk::CreateRoleSet;
    /// let set = clerk
    ///     .role_sets()
    ///     .create(CreateRoleSet::new("Agencies", ["org:admin", "org:client"], "org:client", "org:admin"))
    ///     .await?;
    /// # Ok(()) }
    /// ```
    pub async fn create(&self, params: CreateRoleSet) -> Result<RoleSet> {
        self.clerk
            .send(ApiRequest::post(&["role_sets"])?.json(&params)?)
            .await
    }

    /// Updates a role set (`PATCH /role_sets/{key or id}`); fields not set stay as
    /// they are.
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// use clerk_sdk::UpdateRoleSet;
    /// let set = clerk
    ///     .role_sets()
    ///     .update("role_set:agencies", UpdateRoleSet::new().default_role_key("org:viewer"))
    ///     .await?;
    /// # Ok(()) }
    /// ```
    pub async fn update(&self, key_or_id: &str, params: UpdateRoleSet) -> Result<RoleSet> {
        self.clerk
            .send(ApiRequest::patch(&["role_sets", key_or_id])?.json(&params)?)
            .await
    }

    /// Retires a role set, moving its organizations to another
    /// (`POST /role_sets/{key or id}/replace`).
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// use clerk_sdk::ReplaceRoleSet;
    /// let gone = clerk
    ///     .role_sets()
    ///     .replace("role_set:old", ReplaceRoleSet::new("role_set:new").map_role("org:viewer", "org:member"))
    ///     .await?;
    /// # Ok(()) }
    /// ```
    pub async fn replace(&self, key_or_id: &str, params: ReplaceRoleSet) -> Result<DeletedObject> {
        let path = ["role_sets", key_or_id, "replace"];
        self.clerk
            .send(ApiRequest::post(&path)?.json(&params)?)
            .await
    }

    /// Adds roles to a role set (`POST /role_sets/{key or id}/roles`).
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// use clerk_sdk::AddRolesToRoleSet;
    /// let set = clerk
    ///     .role_sets()
    ///     .add_roles("role_set:default", AddRolesToRoleSet::new(["org:billing"]))
    ///     .await?;
    /// # Ok(()) }
    /// ```
    pub async fn add_roles(&self, key_or_id: &str, params: AddRolesToRoleSet) -> Result<RoleSet> {
        let path = ["role_sets", key_or_id, "roles"];
        self.clerk
            .send(ApiRequest::post(&path)?.json(&params)?)
            .await
    }

    /// Replaces one role of a set by another, moving its members
    /// (`POST /role_sets/{key or id}/roles/replace`).
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// let set = clerk
    ///     .role_sets()
    ///     .replace_role("role_set:default", "org:viewer", "org:member")
    ///     .await?;
    /// # Ok(()) }
    /// ```
    pub async fn replace_role(
        &self,
        key_or_id: &str,
        role_key: &str,
        to_role_key: &str,
    ) -> Result<RoleSet> {
        #[derive(Serialize)]
        struct Body<'a> {
            role_key: &'a str,
            to_role_key: &'a str,
        }
        let path = ["role_sets", key_or_id, "roles", "replace"];
        let body = Body {
            role_key,
            to_role_key,
        };
        self.clerk.send(ApiRequest::post(&path)?.json(&body)?).await
    }
}

/// Filters and paging for [`RoleSets::list`] and [`RoleSets::stream`].
///
/// ```
/// let params = clerk_sdk::ListRoleSets::new().query("agency").order_by("name");
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[must_use]
pub struct ListRoleSets {
    query: Option<String>,
    order_by: Option<String>,
    paging: Paging,
}

impl ListRoleSets {
    /// No filters, API default paging.
    ///
    /// ```
    /// let params = clerk_sdk::ListRoleSets::new();
    /// ```
    pub fn new() -> Self {
        Self::default()
    }

    option_setters! {
        "ListRoleSets::new()";
        /// An exact role set ID, or part of a name or key.
        query: String,
        /// Sort order: `created_at`, `name` or `key`, with `+` or `-`.
        order_by: String,
    }

    paging_setters!(ListRoleSets, "role sets");

    crate::params::query_pairs!("ListRoleSets::new().limit(5)");
}

impl PaginatedList for ListRoleSets {
    type Item = RoleSet;
    const ASK_FOR_TOTAL: bool = false;

    fn paging(&self) -> Paging {
        self.paging
    }

    fn paging_mut(&mut self) -> &mut Paging {
        &mut self.paging
    }

    fn push_filters(&self, query: &mut Query) {
        query
            .push_opt("query", self.query.as_ref())
            .push_opt("order_by", self.order_by.as_ref());
    }
}

/// The body of [`RoleSets::create`].
///
/// ```
/// use clerk_sdk::{CreateRoleSet, RoleSetType};
/// let params = CreateRoleSet::new("Agencies", ["org:admin", "org:client"], "org:client", "org:admin")
///     .key("role_set:agencies")
///     .role_set_type(RoleSetType::Custom);
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[must_use]
pub struct CreateRoleSet {
    name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    key: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<String>,
    default_role_key: String,
    creator_role_key: String,
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    role_set_type: Option<RoleSetType>,
    roles: Vec<String>,
}

impl CreateRoleSet {
    /// A set of these role keys (1 to 10), with the role new members get and the role
    /// an organization's creator gets (both among `roles`).
    ///
    /// ```
    /// let params = clerk_sdk::CreateRoleSet::new("Simple", ["org:admin", "org:member"], "org:member", "org:admin");
    /// ```
    pub fn new<I, S>(
        name: impl Into<String>,
        roles: I,
        default_role_key: impl Into<String>,
        creator_role_key: impl Into<String>,
    ) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        Self {
            name: name.into(),
            key: None,
            description: None,
            default_role_key: default_role_key.into(),
            creator_role_key: creator_role_key.into(),
            role_set_type: None,
            roles: roles.into_iter().map(Into::into).collect(),
        }
    }

    option_setters! {
        "CreateRoleSet::new(\"Simple\", [\"org:admin\"], \"org:admin\", \"org:admin\")";
        /// The key, `role_set:<name>` (made from the name when not given).
        key: String,
        /// A description.
        description: String,
        /// `initial` to make it the set new organizations get (`type` on the wire).
        role_set_type: RoleSetType,
    }
}

/// The body of [`RoleSets::update`]. A field is left unchanged unless set.
///
/// ```
/// let update = clerk_sdk::UpdateRoleSet::new().name("Agencies").creator_role_key("org:owner");
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[must_use]
pub struct UpdateRoleSet {
    #[serde(skip_serializing_if = "Patch::is_unchanged")]
    name: Patch<String>,
    #[serde(skip_serializing_if = "Patch::is_unchanged")]
    key: Patch<String>,
    #[serde(skip_serializing_if = "Patch::is_unchanged")]
    description: Patch<String>,
    #[serde(rename = "type", skip_serializing_if = "Patch::is_unchanged")]
    role_set_type: Patch<RoleSetType>,
    #[serde(skip_serializing_if = "Patch::is_unchanged")]
    default_role_key: Patch<String>,
    #[serde(skip_serializing_if = "Patch::is_unchanged")]
    creator_role_key: Patch<String>,
}

impl UpdateRoleSet {
    /// An update that changes nothing yet.
    ///
    /// ```
    /// let update = clerk_sdk::UpdateRoleSet::new();
    /// ```
    pub fn new() -> Self {
        Self::default()
    }

    patch_setters! {
        "UpdateRoleSet::new()";
        /// The display name.
        name: String,
        /// The key, `role_set:<name>`.
        key: String,
        /// A description; `Patch::Null` removes it.
        description: String,
        /// `initial` makes it the set new organizations get (`type` on the wire).
        role_set_type: RoleSetType,
        /// The role new members get.
        default_role_key: String,
        /// The role an organization's creator gets.
        creator_role_key: String,
    }
}

/// The body of [`RoleSets::add_roles`].
///
/// ```
/// let params = clerk_sdk::AddRolesToRoleSet::new(["org:billing", "org:viewer"]).default_role_key("org:viewer");
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[must_use]
pub struct AddRolesToRoleSet {
    role_keys: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    default_role_key: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    creator_role_key: Option<String>,
}

impl AddRolesToRoleSet {
    /// Adds these role keys (1 to 10).
    ///
    /// ```
    /// let params = clerk_sdk::AddRolesToRoleSet::new(["org:billing"]);
    /// ```
    pub fn new<I, S>(role_keys: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        Self {
            role_keys: role_keys.into_iter().map(Into::into).collect(),
            default_role_key: None,
            creator_role_key: None,
        }
    }

    option_setters! {
        "AddRolesToRoleSet::new([\"org:billing\"])";
        /// Make one of the added roles the one new members get.
        default_role_key: String,
        /// Make one of the added roles the one an organization's creator gets.
        creator_role_key: String,
    }
}

/// The body of [`RoleSets::replace`].
///
/// ```
/// let params = clerk_sdk::ReplaceRoleSet::new("role_set:new")
///     .map_role("org:viewer", "org:member")
///     .map_role("org:owner", "org:admin");
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[must_use]
pub struct ReplaceRoleSet {
    dest_role_set_key: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    reassignment_mappings: Option<Map<String, Value>>,
}

impl ReplaceRoleSet {
    /// Moves the set's organizations to the set with this key.
    ///
    /// ```
    /// let params = clerk_sdk::ReplaceRoleSet::new("role_set:default");
    /// ```
    pub fn new(dest_role_set_key: impl Into<String>) -> Self {
        Self {
            dest_role_set_key: dest_role_set_key.into(),
            reassignment_mappings: None,
        }
    }

    /// Members holding `from` (a role of the retired set) get `to` (a role of the new
    /// one); needed for every role held that the new set lacks.
    ///
    /// ```
    /// let params = clerk_sdk::ReplaceRoleSet::new("role_set:new").map_role("org:viewer", "org:member");
    /// ```
    pub fn map_role(mut self, from: impl Into<String>, to: impl Into<String>) -> Self {
        self.reassignment_mappings
            .get_or_insert_with(Map::new)
            .insert(from.into(), Value::String(to.into()));
        self
    }
}
