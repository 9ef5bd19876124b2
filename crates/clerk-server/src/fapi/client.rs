//! `/v1/client`: the browser's client. `GET` reads it (`null` for a browser without one),
//! `POST`/`PUT` create one (setting the `__client` cookie), `DELETE` destroys it (its
//! sessions end, the cookie is cleared); `DELETE /v1/client/sessions` signs the browser out
//! of every session (clerk-js's `signOut()`).

use axum::Router;
use axum::extract::State;
use axum::response::Response;
use axum::routing::{delete, get};

use super::browser::Browser;
use super::respond::{Reply, answer, client_json};
use crate::bapi::AppState;
use crate::bapi::errors::ApiError;
use crate::domain::clients;

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/v1/client",
            get(read).post(create).put(create).delete(destroy),
        )
        .route("/v1/client/sessions", delete(sign_out))
}

async fn read(State(state): State<AppState>, browser: Browser) -> Response {
    answer(&state, &browser, Ok(Reply::Client)).await
}

async fn create(State(state): State<AppState>, mut browser: Browser) -> Response {
    let result = browser.ensure_client(&state).await.map(|_| Reply::Client);
    answer(&state, &browser, result).await
}

async fn destroy(State(state): State<AppState>, mut browser: Browser) -> Response {
    let result: Result<Reply, ApiError> = async {
        let id = browser.client()?.to_owned();
        clients::destroy(state.services(), &id).await?;
        let ended = client_json(&state, Some(&id)).await?;
        browser.forget_client();
        Ok(Reply::Enveloped(ended))
    }
    .await;
    answer(&state, &browser, result).await
}

async fn sign_out(State(state): State<AppState>, browser: Browser) -> Response {
    let result: Result<Reply, ApiError> = async {
        let id = browser.client()?;
        clients::sign_out(state.services(), id).await?;
        Ok(Reply::Client)
    }
    .await;
    answer(&state, &browser, result).await
}
