//! `GET /v1/environment`, and `PATCH` (clerk-js "touches" the environment of a development
//! instance on every load with `POST …?_method=PATCH`): the instance's environment, bare.

use axum::Router;
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;

use super::browser::Browser;
use super::respond::{Reply, answer};
use crate::bapi::AppState;
use crate::wire::{EnvironmentFacts, environment};

pub(super) fn routes() -> Router<AppState> {
    Router::new().route("/v1/environment", get(read).patch(read))
}

async fn read(State(state): State<AppState>, browser: Browser) -> Response {
    let result = async {
        let instance = state.store.instance().await?;
        let home_url = browser
            .origin
            .clone()
            .unwrap_or_else(|| state.issuer.clone());
        Ok(Reply::Bare(environment(&EnvironmentFacts {
            instance: &instance,
            lockout: state.settings.lockout(),
            home_url: &home_url,
        })))
    }
    .await;
    answer(&state, &browser, result).await
}
