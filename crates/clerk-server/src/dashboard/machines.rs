//! Machines, a page of the instance: every machine with the machines it may call, newest
//! first, paged; a machine's secret key revealed by a CSRF-checked POST (opened from the
//! vault as `GET /v1/machines/{id}/secret_key` does; never on the list page, never in a
//! URL); a machine created (its secret key shown once, on the answer) through the same
//! domain operation as `POST /v1/machines`.

use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Extension, Router};
use serde::Deserialize;
use serde_json::{Value, json};

use super::auth::{CsrfForm, Signed};
use super::render::{DashError, Revealed, paging, reveal};
use crate::bapi::AppState;
use crate::domain::machines::{self, NewMachine};
use crate::store::machines::MachineQuery;
use crate::store::sql::Sort;
use crate::store::{Page, StoreError};
use crate::wire::MachineJson;

/// Rows per page.
const PAGE: i64 = 25;

/// The list page.
const LIST: &str = "/dashboard/instance/machines";

pub(super) fn routes() -> Router<AppState> {
    Router::new().route(LIST, get(list).post(create)).route(
        "/dashboard/instance/machines/{machine_id}/secret_key",
        post(secret_key),
    )
}

#[derive(Deserialize, Default)]
struct ListParams {
    offset: Option<i64>,
    notice: Option<String>,
}

/// `GET /dashboard/instance/machines?offset=…`.
async fn list(
    State(state): State<AppState>,
    Extension(signed): Extension<Signed>,
    Query(params): Query<ListParams>,
) -> Result<Response, DashError> {
    let offset = params.offset.unwrap_or(0).max(0);
    let instance = state.store.instance().await?;
    let (records, total) = state
        .store
        .list_machines(&MachineQuery {
            query: None,
            sort: Sort::NEWEST_FIRST,
            page: Page {
                limit: PAGE,
                offset,
            },
        })
        .await?;
    let ids: Vec<&str> = records.iter().map(|r| r.id.as_str()).collect();
    let scopes = state.store.scoped_machines(&ids).await?;
    let rows: Vec<Value> = records
        .iter()
        .map(|record| {
            let scoped = scopes
                .iter()
                .filter(|(from, _)| *from == record.id)
                .map(|(_, m)| m);
            serde_json::to_value(MachineJson::new(record, scoped, &instance.id)).unwrap_or_default()
        })
        .collect();
    Ok(signed.page("instance").render(
        "machines",
        json!({
            "title": "Machines",
            "machines": rows,
            "paging": paging(offset, PAGE, total),
            "base": Value::Null,
            "notice": params.notice,
        }),
    ))
}

/// `POST /dashboard/instance/machines {name, default_token_ttl?}`: the new machine's secret
/// key, shown once on the answer.
async fn create(
    State(state): State<AppState>,
    headers: HeaderMap,
    form: CsrfForm,
) -> Result<Response, DashError> {
    let name = form
        .text("name")
        .ok_or_else(|| DashError::bad_input("Enter a name."))?;
    let default_token_ttl = form
        .text("default_token_ttl")
        .map(|s| {
            s.parse::<i64>().map_err(|_| {
                DashError::bad_input("The default token TTL is a whole number of seconds.")
            })
        })
        .transpose()?;
    let (record, secret) = machines::create(
        state.services(),
        NewMachine {
            name,
            default_token_ttl,
            scoped_machines: Vec::new(),
        },
    )
    .await?;
    Ok(reveal(
        &form.signed,
        &headers,
        &Revealed {
            heading: format!("Machine {} created", record.name),
            label: "Secret key",
            id: &record.id,
            secret: secret.expose(),
            note: "Copy it now; it can be revealed again from the list of machines.",
            back: LIST,
        },
    ))
}

/// `POST /dashboard/instance/machines/{id}/secret_key`: the machine's current secret key.
async fn secret_key(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    form: CsrfForm,
) -> Result<Response, DashError> {
    let record = state
        .store
        .machine(&id)
        .await?
        .ok_or_else(|| StoreError::not_found("machine", &id))?;
    let secret = machines::secret_key(state.services(), &record)?;
    Ok(reveal(
        &form.signed,
        &headers,
        &Revealed {
            heading: format!("Secret key of the machine {}", record.name),
            label: &format!("Secret key of {}", record.name),
            id: &record.id,
            secret: secret.expose(),
            note: "",
            back: LIST,
        },
    ))
}
