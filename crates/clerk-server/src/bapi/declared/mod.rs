//! The response statuses Clerk's OpenAPI specs declare for each operation this server
//! implements, and the middleware that keeps request errors within them.
//!
//! Clerk's specs are uneven about request errors: `PATCH /v1/email_addresses/{id}` declares
//! 400 but not 422, `PATCH /v1/instance` declares 422 but not 400, and so on. Clients
//! generated from the spec (Clerk's Python client is one) parse a `ClerkErrors` body only
//! for a status the operation declares and raise an opaque error for any other. So when an
//! operation declares one of 400 and 422 but not the status a request error would get, the
//! error is answered with the declared one, its body unchanged. Statuses that mean
//! something else (401, 404, 405, 410, 413, 5xx) are never changed; neither is an error of
//! an operation that declares neither 400 nor 422.

use axum::extract::{MatchedPath, Request};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::Response;

use crate::bapi::errors::ClerkErrorBody;

mod table;

pub(crate) use table::DECLARED;

/// The declared statuses of an operation, by method and route template under `/v1`.
fn declared(method: &str, path: &str) -> Option<&'static [u16]> {
    DECLARED
        .iter()
        .find(|(m, p, _)| *m == method && *p == path)
        .map(|(_, _, statuses)| *statuses)
}

/// The status a request error of `status` gets in an operation declaring `declared`, when
/// it differs: 400 and 422 trade places, and 403 or 409 become 400 (else 422), whichever
/// the operation declares.
pub(crate) fn adjusted(declared: &[u16], status: u16) -> Option<u16> {
    if declared.contains(&status) {
        return None;
    }
    let candidates: &[u16] = match status {
        400 => &[422],
        422 => &[400],
        403 | 409 => &[400, 422],
        _ => &[],
    };
    candidates.iter().copied().find(|s| declared.contains(s))
}

/// Middleware for every `/v1` route (inside authentication): moves a request error to the
/// status its operation declares (see the module docs). The table is only searched for an
/// error answer, so successful requests pay nothing but two cheap clones.
pub(crate) async fn keep_declared_statuses(req: Request, next: Next) -> Response {
    let method = req.method().clone();
    let matched = req.extensions().get::<MatchedPath>().cloned();
    let mut response = next.run(req).await;
    if response.extensions().get::<ClerkErrorBody>().is_none() {
        return response;
    }
    let Some(statuses) = matched.and_then(|matched| {
        let path = matched.as_str();
        declared(method.as_str(), path.strip_prefix("/v1").unwrap_or(path))
    }) else {
        return response;
    };
    if let Some(status) =
        adjusted(statuses, response.status().as_u16()).and_then(|s| StatusCode::from_u16(s).ok())
    {
        *response.status_mut() = status;
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_errors_move_to_a_declared_status() {
        // PATCH /email_addresses/{id}: 400 but no 422.
        let email = declared("PATCH", "/email_addresses/{email_address_id}").unwrap();
        assert_eq!(adjusted(email, 422), Some(400));
        assert_eq!(adjusted(email, 400), None);
        assert_eq!(adjusted(email, 404), None);
        // PATCH /instance: 422 but no 400.
        let instance = declared("PATCH", "/instance").unwrap();
        assert_eq!(adjusted(instance, 400), Some(422));
        // POST /sessions: a banned user's 403 becomes 400.
        let sessions = declared("POST", "/sessions").unwrap();
        assert_eq!(adjusted(sessions, 403), Some(400));
        // Neither declared: unchanged.
        let tokens = declared("POST", "/sessions/{session_id}/tokens").unwrap();
        assert_eq!(adjusted(tokens, 422), None);
        assert_eq!(adjusted(tokens, 400), None);
        // Statuses with another meaning are never moved.
        for status in [401, 404, 405, 410, 413, 500] {
            assert_eq!(adjusted(&[200, 400, 422], status), None, "{status}");
        }
        assert_eq!(declared("GET", "/_local/keys"), None);
    }

    /// The table says what `bapi-2026-05-12` says. `bapi-2021-02-05` lacks the operations
    /// added since (the roles catalog, the waitlist's bulk create, a user's billing and
    /// compromised passwords) and declares more statuses for a few (400 on
    /// changing and removing a membership): there, the table must be within what it declares.
    #[test]
    fn the_table_matches_the_specs() {
        for name in ["bapi-2026-05-12.json", "bapi-2021-02-05.json"] {
            let newest = name == "bapi-2026-05-12.json";
            let spec = openapi_kit::load_spec(name);
            for (method, path, statuses) in DECLARED {
                let Some(op) = spec.operation(method, path) else {
                    let allowed = if newest {
                        *method == "POST" && *path == "/sessions/{session_id}/verify"
                    } else {
                        path.starts_with("/organization_roles")
                            || *path == "/waitlist_entries/bulk"
                            || path.starts_with("/users/{user_id}/billing/")
                            || path.starts_with("/users/{user_id}/password/")
                            || *path == "/sessions/{session_id}/refresh"
                    };
                    assert!(allowed, "{name}: {method} {path} missing from the spec");
                    continue;
                };
                let mut in_spec: Vec<u16> = op
                    .statuses()
                    .iter()
                    .map(|s| s.parse().expect("numeric statuses only"))
                    .collect();
                in_spec.sort_unstable();
                if newest || !path.starts_with("/organizations/") {
                    assert_eq!(&in_spec, statuses, "{name}: {method} {path}");
                } else {
                    assert!(
                        statuses.iter().all(|s| in_spec.contains(s)),
                        "{name}: {method} {path}: {statuses:?} not within {in_spec:?}"
                    );
                }
            }
        }
    }
}
