//! `/v1/client/sign_ups`: a browser signing up. Create collects the identifiers and the
//! password, `PATCH` adds to them, `prepare_verification` sends a code, and
//! `attempt_verification` checks it; the right code completes the sign-up, and its user's
//! session is in the client the answer carries. Create with `strategy=ticket` takes an
//! invitation's ticket instead of an address: the invited address, verified.

use axum::Router;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::{get, post};
use serde_json::{Map, Value};

use super::browser::Browser;
use super::form::Form;
use super::respond::{Reply, answer};
use crate::bapi::AppState;
use crate::bapi::errors::ApiError;
use crate::domain::sign_ups::browser::{self, SignUpInput};
use crate::secret::Secret;
use crate::store::sign_ups::SignUpRecord;
use crate::wire::SignUpJson;

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/v1/client/sign_ups", post(create))
        .route("/v1/client/sign_ups/{sign_up_id}", get(read).patch(update))
        .route(
            "/v1/client/sign_ups/{sign_up_id}/prepare_verification",
            post(prepare),
        )
        .route(
            "/v1/client/sign_ups/{sign_up_id}/attempt_verification",
            post(attempt),
        )
}

/// The fields clerk-js sends (`unsafe_metadata` as a JSON string).
fn input(form: &Form) -> Result<SignUpInput, ApiError> {
    let unsafe_metadata = form.json_object("unsafe_metadata")?;
    Ok(SignUpInput {
        email_address: form.string("email_address"),
        phone_number: form.string("phone_number"),
        username: form.string("username"),
        first_name: form.string("first_name"),
        last_name: form.string("last_name"),
        password: form.string("password").map(Secret::new),
        unsafe_metadata,
        legal_accepted: form.string("legal_accepted").as_deref() == Some("true"),
        locale: form.string("locale"),
        ticket: None,
    })
}

async fn create(State(state): State<AppState>, mut browser: Browser, form: Form) -> Response {
    let result = async {
        let mut input = input(&form)?;
        // `signUp.create({strategy: 'ticket', ticket})`: an invitation's ticket.
        if form.string("strategy").as_deref() == Some("ticket") {
            input.ticket = Some(form.required("ticket")?);
        }
        let client_id = browser.ensure_client(&state).await?;
        let sign_up = browser::start(state.services(), &client_id, input).await?;
        Ok(view(&state, &sign_up))
    }
    .await;
    answer(&state, &browser, result).await
}

async fn read(State(state): State<AppState>, browser: Browser, Path(id): Path<String>) -> Response {
    let result = async {
        let sign_up = browser::own(state.services(), browser.client()?, &id).await?;
        Ok(view(&state, &sign_up))
    }
    .await;
    answer(&state, &browser, result).await
}

async fn update(
    State(state): State<AppState>,
    browser: Browser,
    Path(id): Path<String>,
    form: Form,
) -> Response {
    let result = async {
        let input = input(&form)?;
        let sign_up = browser::update(state.services(), browser.client()?, &id, input).await?;
        Ok(view(&state, &sign_up))
    }
    .await;
    answer(&state, &browser, result).await
}

async fn prepare(
    State(state): State<AppState>,
    browser: Browser,
    Path(id): Path<String>,
    form: Form,
) -> Response {
    let result = async {
        let strategy = form.required("strategy")?;
        let sign_up = browser::prepare(state.services(), browser.client()?, &id, &strategy).await?;
        Ok(view(&state, &sign_up))
    }
    .await;
    answer(&state, &browser, result).await
}

async fn attempt(
    State(state): State<AppState>,
    browser: Browser,
    Path(id): Path<String>,
    form: Form,
) -> Response {
    let result = async {
        let strategy = form.required("strategy")?;
        let code = form.required("code")?;
        let sign_up =
            browser::attempt(state.services(), browser.client()?, &id, &strategy, &code).await?;
        Ok(view(&state, &sign_up))
    }
    .await;
    answer(&state, &browser, result).await
}

fn view(state: &AppState, sign_up: &SignUpRecord) -> Reply {
    let json = SignUpJson::new(sign_up, state.now_ms());
    Reply::Enveloped(serde_json::to_value(json).unwrap_or(Value::Object(Map::new())))
}
