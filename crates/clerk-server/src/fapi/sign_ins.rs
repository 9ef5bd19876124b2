//! `/v1/client/sign_ins`: a browser signing in. Create names the identifier (and signs in
//! at once with `password`); `attempt_first_factor` proves a factor. A complete sign-in's
//! session is in the client the answer carries, so clerk-js's `setActive` finds it.

use axum::Router;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::{get, post};
use serde_json::Value;

use super::browser::Browser;
use super::form::Form;
use super::respond::{Reply, answer};
use crate::bapi::AppState;
use crate::bapi::errors::ApiError;
use crate::domain::sign_ins::{self, FirstFactor, NewSignIn};
use crate::secret::Secret;
use crate::store::sign_ins::SignInRecord;
use crate::wire::SignInJson;

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/v1/client/sign_ins", post(create))
        .route("/v1/client/sign_ins/{sign_in_id}", get(read))
        .route(
            "/v1/client/sign_ins/{sign_in_id}/prepare_first_factor",
            post(prepare_first_factor),
        )
        .route(
            "/v1/client/sign_ins/{sign_in_id}/attempt_first_factor",
            post(attempt_first_factor),
        )
        .route(
            "/v1/client/sign_ins/{sign_in_id}/reset_password",
            post(reset_password),
        )
}

async fn create(State(state): State<AppState>, mut browser: Browser, form: Form) -> Response {
    let result = async {
        let client_id = browser.ensure_client(&state).await?;
        if form.string("strategy").as_deref() == Some("ticket") {
            let ticket = form.required("ticket")?;
            let sign_in =
                sign_ins::create_with_ticket(state.services(), &client_id, &ticket).await?;
            return view(&state, &sign_in).await;
        }
        let new = NewSignIn {
            identifier: form.string("identifier"),
            password: form.string("password").map(Secret::new),
            strategy: form.string("strategy"),
        };
        let sign_in = sign_ins::create(state.services(), &client_id, new).await?;
        view(&state, &sign_in).await
    }
    .await;
    answer(&state, &browser, result).await
}

async fn read(State(state): State<AppState>, browser: Browser, Path(id): Path<String>) -> Response {
    let result = async {
        let client_id = browser.client()?;
        let sign_in = sign_ins::own_sign_in(state.services(), client_id, &id).await?;
        view(&state, &sign_in).await
    }
    .await;
    answer(&state, &browser, result).await
}

async fn attempt_first_factor(
    State(state): State<AppState>,
    browser: Browser,
    Path(id): Path<String>,
    form: Form,
) -> Response {
    let result = async {
        let client_id = browser.client()?;
        let factor = match form.required("strategy")?.as_str() {
            "password" => FirstFactor::Password(Secret::new(form.required("password")?)),
            strategy => FirstFactor::Code {
                strategy: strategy.to_owned(),
                code: form.required("code")?,
            },
        };
        let sign_in =
            sign_ins::attempt_first_factor(state.services(), client_id, &id, factor).await?;
        view(&state, &sign_in).await
    }
    .await;
    answer(&state, &browser, result).await
}

/// `strategy` (`email_code`, `phone_code`, `reset_password_email_code`,
/// `reset_password_phone_code`) with `email_address_id` / `phone_number_id`.
async fn prepare_first_factor(
    State(state): State<AppState>,
    browser: Browser,
    Path(id): Path<String>,
    form: Form,
) -> Response {
    let result = async {
        let client_id = browser.client()?;
        let strategy = form.required("strategy")?;
        let target = form
            .string("email_address_id")
            .or_else(|| form.string("phone_number_id"));
        let sign_in = sign_ins::prepare_first_factor(
            state.services(),
            client_id,
            &id,
            &strategy,
            target.as_deref(),
        )
        .await?;
        view(&state, &sign_in).await
    }
    .await;
    answer(&state, &browser, result).await
}

async fn reset_password(
    State(state): State<AppState>,
    browser: Browser,
    Path(id): Path<String>,
    form: Form,
) -> Response {
    let result = async {
        let client_id = browser.client()?;
        let password = Secret::new(form.required("password")?);
        let sign_out = form.string("sign_out_of_other_sessions").as_deref() == Some("true");
        let sign_in =
            sign_ins::reset_password(state.services(), client_id, &id, password, sign_out).await?;
        view(&state, &sign_in).await
    }
    .await;
    answer(&state, &browser, result).await
}

/// The sign-in, enveloped, with the user it names.
async fn view(state: &AppState, sign_in: &SignInRecord) -> Result<Reply, ApiError> {
    let user = match sign_in.user_id.as_deref() {
        Some(id) => state.store.user(id).await?,
        None => None,
    };
    let json = SignInJson::new(sign_in, user.as_ref(), state.now_ms());
    Ok(Reply::Enveloped(
        serde_json::to_value(json).unwrap_or(Value::Null),
    ))
}
