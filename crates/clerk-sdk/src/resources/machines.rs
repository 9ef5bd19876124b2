//! Machines: `clerk.machines()`. Services that call each other, each with a secret key
//! (`ak_...`) and the machines it may call (its scopes). Their tokens are
//! [`Clerk::m2m_tokens`].

use serde::Serialize;

use crate::client::{ApiRequest, Clerk};
use crate::error::Result;
use crate::models::{DeletedObject, Machine, MachineScope, MachineSecretKey};
use crate::pagination::{ItemStream, Page, PaginatedList, Paging};
use crate::params::{option_setters, paging_setters};
use crate::query::Query;

impl Clerk {
    /// Machines: list, get, create, update, delete, secret keys, scopes.
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// let page = clerk.machines().list(Default::default()).await?;
    /// # Ok(()) }
    /// ```
    pub fn machines(&self) -> Machines<'_> {
        Machines { clerk: self }
    }
}

/// The machines handler, from [`Clerk::machines`].
///
/// ```no_run
/// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
/// let machine = clerk.machines().get("mch_2x").await?;
/// # Ok(()) }
/// ```
#[derive(Clone, Copy, Debug)]
pub struct Machines<'a> {
    clerk: &'a Clerk,
}

impl Machines<'_> {
    /// One page of machines with the total (`GET /machines`).
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// use clerk_sdk::ListMachines;
    /// let page = clerk.machines().list(ListMachines::new().query("billing").order_by("name")).await?;
    /// for machine in &page {
    ///     println!("{} may call {} machines", machine.name, machine.scoped_machines.len());
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn list(&self, params: ListMachines) -> Result<Page<Machine>> {
        self.clerk.list_paginated(&["machines"], params).await
    }

    /// Every machine, page after page. See [`ItemStream`].
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// use futures_util::TryStreamExt;
    /// let all: Vec<_> = clerk.machines().stream(Default::default()).try_collect().await?;
    /// # Ok(()) }
    /// ```
    pub fn stream(&self, params: ListMachines) -> ItemStream<Machine> {
        self.clerk.stream_paginated(&["machines"], params)
    }

    /// One machine (`GET /machines/{id}`).
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// let machine = clerk.machines().get("mch_2x").await?;
    /// # Ok(()) }
    /// ```
    pub async fn get(&self, machine_id: &str) -> Result<Machine> {
        self.clerk
            .send(ApiRequest::get(&["machines", machine_id])?)
            .await
    }

    /// Creates a machine (`POST /machines`); the answer carries its secret key.
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// use clerk_sdk::CreateMachine;
    /// let machine = clerk
    ///     .machines()
    ///     .create(CreateMachine::new("billing").scoped_machines(["mch_2x"]).default_token_ttl(600))
    ///     .await?;
    /// let key = machine.secret_key.expect("the create answer has it");
    /// # Ok(()) }
    /// ```
    pub async fn create(&self, params: CreateMachine) -> Result<Machine> {
        self.clerk
            .send(ApiRequest::post(&["machines"])?.json(&params)?)
            .await
    }

    /// Changes a machine's name or default token lifetime (`PATCH /machines/{id}`).
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// use clerk_sdk::UpdateMachine;
    /// let machine = clerk.machines().update("mch_2x", UpdateMachine::new().name("billing-v2")).await?;
    /// # Ok(()) }
    /// ```
    pub async fn update(&self, machine_id: &str, params: UpdateMachine) -> Result<Machine> {
        self.clerk
            .send(ApiRequest::patch(&["machines", machine_id])?.json(&params)?)
            .await
    }

    /// Deletes a machine (`DELETE /machines/{id}`): its keys stop working, its tokens go.
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// let deleted = clerk.machines().delete("mch_2x").await?;
    /// assert!(deleted.deleted);
    /// # Ok(()) }
    /// ```
    pub async fn delete(&self, machine_id: &str) -> Result<DeletedObject> {
        self.clerk
            .send(ApiRequest::delete(&["machines", machine_id])?)
            .await
    }

    /// The machine's secret key (`GET /machines/{id}/secret_key`).
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// let key = clerk.machines().secret_key("mch_2x").await?;
    /// assert!(key.secret.starts_with("ak_"));
    /// # Ok(()) }
    /// ```
    pub async fn secret_key(&self, machine_id: &str) -> Result<MachineSecretKey> {
        self.clerk
            .send(ApiRequest::get(&["machines", machine_id, "secret_key"])?)
            .await
    }

    /// Gives the machine a new secret key (`POST /machines/{id}/secret_key/rotate`); the
    /// previous one keeps working for `previous_token_ttl` seconds (0 to 28800).
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// let key = clerk.machines().rotate_secret_key("mch_2x", 3600).await?;
    /// # Ok(()) }
    /// ```
    pub async fn rotate_secret_key(
        &self,
        machine_id: &str,
        previous_token_ttl: u32,
    ) -> Result<MachineSecretKey> {
        let body = serde_json::json!({ "previous_token_ttl": previous_token_ttl });
        self.clerk
            .send(ApiRequest::post(&["machines", machine_id, "secret_key", "rotate"])?.json(&body)?)
            .await
    }

    /// Lets `machine_id` call `to_machine_id` (`POST /machines/{id}/scopes`).
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// let scope = clerk.machines().add_scope("mch_caller", "mch_callee").await?;
    /// # Ok(()) }
    /// ```
    pub async fn add_scope(&self, machine_id: &str, to_machine_id: &str) -> Result<MachineScope> {
        let body = serde_json::json!({ "to_machine_id": to_machine_id });
        self.clerk
            .send(ApiRequest::post(&["machines", machine_id, "scopes"])?.json(&body)?)
            .await
    }

    /// Stops `machine_id` from calling `other_machine_id`
    /// (`DELETE /machines/{id}/scopes/{other_machine_id}`).
    ///
    /// ```no_run
    /// # async fn run(clerk: clerk_sdk::Clerk) -> Result<(), clerk_sdk::Error> {
    /// let removed = clerk.machines().remove_scope("mch_caller", "mch_callee").await?;
    /// assert!(removed.deleted);
    /// # Ok(()) }
    /// ```
    pub async fn remove_scope(
        &self,
        machine_id: &str,
        other_machine_id: &str,
    ) -> Result<MachineScope> {
        self.clerk
            .send(ApiRequest::delete(&[
                "machines",
                machine_id,
                "scopes",
                other_machine_id,
            ])?)
            .await
    }
}

/// Filters and paging for [`Machines::list`] and [`Machines::stream`].
///
/// ```
/// let params = clerk_sdk::ListMachines::new().query("billing").order_by("-name").limit(20);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[must_use]
pub struct ListMachines {
    query: Option<String>,
    order_by: Option<String>,
    paging: Paging,
}

impl ListMachines {
    /// No filters, API default paging.
    ///
    /// ```
    /// let params = clerk_sdk::ListMachines::new();
    /// ```
    pub fn new() -> Self {
        Self::default()
    }

    option_setters! {
        "ListMachines::new()";
        /// An exact machine ID, or part of a name (any case).
        query: String,
        /// Sort order: `created_at` or `name`, with `+` or `-` (default `-created_at`).
        order_by: String,
    }

    paging_setters!(ListMachines, "machines");

    crate::params::query_pairs!("ListMachines::new().limit(5)");
}

impl PaginatedList for ListMachines {
    type Item = Machine;
    // The list always answers `{data, total_count}`.
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

/// The body of [`Machines::create`]. Only what is set is sent.
///
/// ```
/// let params = clerk_sdk::CreateMachine::new("billing")
///     .scoped_machines(["mch_1", "mch_2"])
///     .default_token_ttl(600);
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[must_use]
pub struct CreateMachine {
    name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    scoped_machines: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    default_token_ttl: Option<i64>,
}

impl CreateMachine {
    /// A machine named `name` (1 to 255 characters).
    ///
    /// ```
    /// let params = clerk_sdk::CreateMachine::new("billing");
    /// ```
    pub fn new(name: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            scoped_machines: None,
            default_token_ttl: None,
        }
    }

    /// The machines it may call (at most 150).
    ///
    /// ```
    /// let params = clerk_sdk::CreateMachine::new("billing").scoped_machines(["mch_1"]);
    /// ```
    pub fn scoped_machines<I, S>(mut self, ids: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.scoped_machines = Some(ids.into_iter().map(Into::into).collect());
        self
    }

    /// Seconds its tokens live unless asked otherwise (1 to 315360000; default 3600).
    ///
    /// ```
    /// let params = clerk_sdk::CreateMachine::new("billing").default_token_ttl(600);
    /// ```
    pub fn default_token_ttl(mut self, seconds: i64) -> Self {
        self.default_token_ttl = Some(seconds);
        self
    }
}

/// The body of [`Machines::update`]. Only what is set is sent.
///
/// ```
/// let params = clerk_sdk::UpdateMachine::new().name("billing-v2").default_token_ttl(60);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[must_use]
pub struct UpdateMachine {
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    default_token_ttl: Option<i64>,
}

impl UpdateMachine {
    /// Changes nothing until a setter is called.
    ///
    /// ```
    /// let params = clerk_sdk::UpdateMachine::new();
    /// ```
    pub fn new() -> Self {
        Self::default()
    }

    option_setters! {
        "UpdateMachine::new()";
        /// The new name (1 to 255 characters).
        name: String,
        /// The new default token lifetime in seconds.
        default_token_ttl: i64,
    }
}
