//! `POST /v1/organizations`: the signed-in user creates an organization (clerk-js's
//! `Clerk.createOrganization`) and becomes its member with the creator role, through the
//! same domain operation as the Backend API's. Switching to it is a session `touch` with
//! `active_organization_id`.

use axum::Router;
use axum::extract::State;
use axum::response::Response;
use axum::routing::post;
use serde_json::Value;

use super::browser::Browser;
use super::form::Form;
use super::respond::{Reply, answer};
use crate::bapi::AppState;
use crate::domain::organizations::{self, NewOrganization};
use crate::wire::{OrganizationJson, browser_organization};

pub(super) fn routes() -> Router<AppState> {
    Router::new().route("/v1/organizations", post(create))
}

async fn create(State(state): State<AppState>, browser: Browser, form: Form) -> Response {
    let result = async {
        let session = browser.session(&state).await?;
        let new = NewOrganization {
            name: form.string("name").unwrap_or_default(),
            slug: form.string("slug"),
            created_by: Some(session.user_id),
            ..NewOrganization::default()
        };
        let record = organizations::create(state.services(), new).await?;
        let json = OrganizationJson::new(&record, &state.issuer);
        Ok(Reply::Enveloped(browser_organization(
            serde_json::to_value(json).unwrap_or(Value::Null),
        )))
    }
    .await;
    answer(&state, &browser, result).await
}
