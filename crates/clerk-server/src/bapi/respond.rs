//! How a list answers: the envelope or the bare array, as the request asked.

use axum::Json;
use axum::response::{IntoResponse, Response};
use serde::Serialize;

#[derive(Serialize)]
struct Envelope<T> {
    data: Vec<T>,
    total_count: i64,
}

/// A list: a bare array, or `{"data":[…],"total_count":N}` when the request said
/// `paginated=true`.
pub(crate) fn list<T: Serialize>(items: Vec<T>, total_count: i64, paginated: bool) -> Response {
    if paginated {
        Json(Envelope {
            data: items,
            total_count,
        })
        .into_response()
    } else {
        Json(items).into_response()
    }
}
