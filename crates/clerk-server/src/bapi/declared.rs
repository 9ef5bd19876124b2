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

/// `(method, path under /v1, declared statuses)`, as `bapi-2026-05-12` declares them (the
/// same in `bapi-2021-02-05`; `POST /sessions/{session_id}/verify`, which 2026-05-12 no
/// longer lists, as 2021-02-05 does). A test checks this table against both specs.
///
/// It lists every operation of the specs this server serves: `compat/schemathesis/trim_spec.py`
/// reads it to choose what schemathesis fuzzes, so a new route belongs here too.
pub(crate) const DECLARED: &[(&str, &str, &[u16])] = &[
    ("POST", "/actor_tokens", &[200, 400, 402, 422]),
    (
        "POST",
        "/actor_tokens/{actor_token_id}/revoke",
        &[200, 400, 404],
    ),
    ("GET", "/allowlist_identifiers", &[200, 401, 402]),
    ("POST", "/allowlist_identifiers", &[200, 400, 402, 422]),
    (
        "DELETE",
        "/allowlist_identifiers/{identifier_id}",
        &[200, 402, 404],
    ),
    (
        "PATCH",
        "/beta_features/instance_settings",
        &[200, 402, 422],
    ),
    ("GET", "/blocklist_identifiers", &[200, 401, 402]),
    ("POST", "/blocklist_identifiers", &[200, 400, 402, 422]),
    (
        "DELETE",
        "/blocklist_identifiers/{identifier_id}",
        &[200, 402, 404],
    ),
    ("PUT", "/beta_features/domain", &[202, 400, 422]),
    ("GET", "/invitations", &[200]),
    ("POST", "/invitations", &[200, 400, 422]),
    ("POST", "/invitations/bulk", &[200, 400, 422]),
    (
        "POST",
        "/invitations/{invitation_id}/revoke",
        &[200, 400, 404],
    ),
    ("GET", "/clients", &[200, 400, 401, 410, 422]),
    ("POST", "/clients/verify", &[200, 400, 401, 404]),
    ("GET", "/clients/{client_id}", &[200, 400, 401, 404]),
    (
        "POST",
        "/email_addresses",
        &[200, 400, 401, 403, 404, 409, 422],
    ),
    (
        "GET",
        "/email_addresses/{email_address_id}",
        &[200, 400, 401, 403, 404],
    ),
    (
        "PATCH",
        "/email_addresses/{email_address_id}",
        &[200, 400, 401, 403, 404, 409],
    ),
    (
        "DELETE",
        "/email_addresses/{email_address_id}",
        &[200, 400, 401, 403, 404, 409],
    ),
    ("GET", "/domains", &[200]),
    ("POST", "/domains", &[200, 400, 402, 422]),
    ("PATCH", "/domains/{domain_id}", &[200, 400, 404, 422]),
    ("DELETE", "/domains/{domain_id}", &[200, 403, 404]),
    ("GET", "/instance", &[200]),
    ("PATCH", "/instance", &[204, 422]),
    ("PATCH", "/instance/restrictions", &[200, 402, 422]),
    ("POST", "/instance/change_domain", &[202, 400, 422]),
    ("GET", "/instance/protect", &[200]),
    ("PATCH", "/instance/protect", &[200, 422]),
    ("GET", "/instance/communication", &[200]),
    ("PATCH", "/instance/communication", &[200, 422]),
    ("GET", "/instance/oauth_application_settings", &[200]),
    ("PATCH", "/instance/oauth_application_settings", &[200, 422]),
    (
        "GET",
        "/instance/organization_settings",
        &[200, 402, 404, 422],
    ),
    (
        "PATCH",
        "/instance/organization_settings",
        &[200, 400, 402, 403, 404, 422],
    ),
    ("GET", "/jwks", &[200]),
    ("GET", "/jwt_templates", &[200]),
    ("POST", "/jwt_templates", &[200, 400, 402, 422]),
    ("GET", "/jwt_templates/{template_id}", &[200, 404]),
    (
        "PATCH",
        "/jwt_templates/{template_id}",
        &[200, 400, 402, 422],
    ),
    ("DELETE", "/jwt_templates/{template_id}", &[200, 403, 404]),
    ("GET", "/organization_domains", &[200, 401, 403, 422]),
    (
        "GET",
        "/organization_invitations",
        &[200, 400, 404, 422, 500],
    ),
    (
        "GET",
        "/organization_memberships",
        &[200, 400, 401, 422, 500],
    ),
    ("GET", "/organization_permissions", &[200, 401, 422]),
    (
        "POST",
        "/organization_permissions",
        &[200, 400, 401, 402, 404, 422],
    ),
    (
        "DELETE",
        "/organization_permissions/{permission_id}",
        &[200, 401, 403, 404],
    ),
    (
        "GET",
        "/organization_permissions/{permission_id}",
        &[200, 401, 404],
    ),
    (
        "PATCH",
        "/organization_permissions/{permission_id}",
        &[200, 400, 401, 403, 404, 422],
    ),
    ("GET", "/organization_roles", &[200, 400, 401, 403, 422]),
    (
        "POST",
        "/organization_roles",
        &[200, 400, 401, 402, 403, 404, 422],
    ),
    (
        "DELETE",
        "/organization_roles/{organization_role_id}",
        &[200, 401, 403, 404, 422],
    ),
    (
        "GET",
        "/organization_roles/{organization_role_id}",
        &[200, 401, 403, 404],
    ),
    (
        "PATCH",
        "/organization_roles/{organization_role_id}",
        &[200, 400, 401, 403, 404, 422],
    ),
    (
        "DELETE",
        "/organization_roles/{organization_role_id}/permissions/{permission_id}",
        &[200, 401, 403, 404, 422],
    ),
    (
        "POST",
        "/organization_roles/{organization_role_id}/permissions/{permission_id}",
        &[200, 401, 403, 404, 409],
    ),
    ("GET", "/organizations", &[200, 400, 403, 422]),
    ("POST", "/organizations", &[200, 400, 402, 403, 422]),
    ("DELETE", "/organizations/{organization_id}", &[200, 404]),
    ("GET", "/organizations/{organization_id}", &[200, 403, 404]),
    (
        "PATCH",
        "/organizations/{organization_id}",
        &[200, 400, 402, 403, 404, 422],
    ),
    (
        "GET",
        "/organizations/{organization_id}/billing/credits",
        &[200, 400, 401, 403, 404, 422, 500],
    ),
    (
        "POST",
        "/organizations/{organization_id}/billing/credits",
        &[200, 400, 401, 403, 404, 409, 422, 500],
    ),
    (
        "GET",
        "/organizations/{organization_id}/billing/subscription",
        &[200, 400, 401, 403, 404, 422, 500],
    ),
    (
        "GET",
        "/organizations/{organization_id}/domains",
        &[200, 401, 422],
    ),
    (
        "POST",
        "/organizations/{organization_id}/domains",
        &[200, 400, 403, 404, 422],
    ),
    (
        "DELETE",
        "/organizations/{organization_id}/domains/{domain_id}",
        &[200, 400, 401, 403, 404],
    ),
    (
        "PATCH",
        "/organizations/{organization_id}/domains/{domain_id}",
        &[200, 400, 403, 404, 422],
    ),
    (
        "POST",
        "/organizations/{organization_id}/domains/{domain_id}/verify_ownership",
        &[200, 401, 403, 404],
    ),
    (
        "GET",
        "/organizations/{organization_id}/invitations",
        &[200, 400, 404, 422],
    ),
    (
        "POST",
        "/organizations/{organization_id}/invitations",
        &[200, 400, 402, 403, 404, 422],
    ),
    (
        "POST",
        "/organizations/{organization_id}/invitations/bulk",
        &[200, 400, 403, 404, 422],
    ),
    (
        "GET",
        "/organizations/{organization_id}/invitations/pending",
        &[200, 400, 404],
    ),
    (
        "GET",
        "/organizations/{organization_id}/invitations/{invitation_id}",
        &[200, 400, 403, 404],
    ),
    (
        "POST",
        "/organizations/{organization_id}/invitations/{invitation_id}/revoke",
        &[200, 400, 403, 404],
    ),
    (
        "DELETE",
        "/organizations/{organization_id}/logo",
        &[200, 404],
    ),
    (
        "PUT",
        "/organizations/{organization_id}/logo",
        &[200, 400, 403, 404, 413],
    ),
    (
        "GET",
        "/organizations/{organization_id}/memberships",
        &[200, 401, 422],
    ),
    (
        "POST",
        "/organizations/{organization_id}/memberships",
        &[200, 400, 403, 404, 422],
    ),
    (
        "DELETE",
        "/organizations/{organization_id}/memberships/{user_id}",
        &[200, 401, 404, 422],
    ),
    (
        "PATCH",
        "/organizations/{organization_id}/memberships/{user_id}",
        &[200, 404, 422],
    ),
    (
        "PATCH",
        "/organizations/{organization_id}/memberships/{user_id}/metadata",
        &[200, 400, 404, 422],
    ),
    (
        "PATCH",
        "/organizations/{organization_id}/metadata",
        &[200, 400, 401, 404, 422],
    ),
    (
        "PUT",
        "/organizations/{organization_id}/metadata",
        &[200, 400, 401, 404, 422],
    ),
    ("POST", "/proxy_checks", &[200, 400, 422]),
    ("GET", "/redirect_urls", &[200]),
    ("POST", "/redirect_urls", &[200, 400, 422]),
    ("DELETE", "/redirect_urls/{id}", &[200, 404]),
    ("GET", "/redirect_urls/{id}", &[200, 404]),
    ("GET", "/role_sets", &[200, 400, 401, 403, 422]),
    ("POST", "/role_sets", &[200, 400, 401, 402, 403, 404, 422]),
    (
        "GET",
        "/role_sets/{role_set_key_or_id}",
        &[200, 401, 403, 404],
    ),
    (
        "PATCH",
        "/role_sets/{role_set_key_or_id}",
        &[200, 400, 401, 403, 404, 422],
    ),
    (
        "POST",
        "/role_sets/{role_set_key_or_id}/replace",
        &[200, 400, 401, 403, 404, 422],
    ),
    (
        "POST",
        "/role_sets/{role_set_key_or_id}/roles",
        &[200, 400, 401, 403, 404, 422],
    ),
    (
        "POST",
        "/role_sets/{role_set_key_or_id}/roles/replace",
        &[200, 400, 401, 403, 404, 422],
    ),
    ("POST", "/phone_numbers", &[200, 400, 401, 403, 404, 422]),
    (
        "GET",
        "/phone_numbers/{phone_number_id}",
        &[200, 400, 401, 403, 404],
    ),
    (
        "PATCH",
        "/phone_numbers/{phone_number_id}",
        &[200, 400, 401, 403, 404],
    ),
    (
        "DELETE",
        "/phone_numbers/{phone_number_id}",
        &[200, 400, 401, 403, 404],
    ),
    ("GET", "/sessions", &[200, 400, 401, 422]),
    ("POST", "/sessions", &[200, 400, 401, 404, 422]),
    ("GET", "/sessions/{session_id}", &[200, 400, 401, 404]),
    (
        "POST",
        "/sessions/{session_id}/revoke",
        &[200, 400, 401, 404],
    ),
    (
        "POST",
        "/sessions/{session_id}/verify",
        &[200, 400, 401, 404, 410],
    ),
    ("POST", "/sessions/{session_id}/tokens", &[200, 401, 404]),
    (
        "POST",
        "/sessions/{session_id}/tokens/{template_name}",
        &[200, 401, 404],
    ),
    ("POST", "/sign_in_tokens", &[200, 403, 404, 422]),
    (
        "POST",
        "/sign_in_tokens/{sign_in_token_id}/revoke",
        &[200, 400, 404],
    ),
    ("POST", "/testing_tokens", &[200]),
    ("GET", "/users", &[200, 400, 401, 422]),
    ("POST", "/users", &[200, 400, 401, 402, 403, 422]),
    ("GET", "/users/count", &[200, 422]),
    ("GET", "/users/{user_id}", &[200, 400, 401, 404]),
    ("PATCH", "/users/{user_id}", &[200, 400, 401, 404, 409, 422]),
    ("DELETE", "/users/{user_id}", &[200, 400, 401, 404]),
    ("POST", "/users/{user_id}/ban", &[200, 402]),
    ("POST", "/users/{user_id}/unban", &[200, 402]),
    ("POST", "/users/{user_id}/lock", &[200, 403]),
    ("POST", "/users/{user_id}/unlock", &[200, 403]),
    (
        "PATCH",
        "/users/{user_id}/metadata",
        &[200, 400, 401, 404, 422],
    ),
    (
        "PUT",
        "/users/{user_id}/metadata",
        &[200, 400, 401, 404, 422],
    ),
    (
        "POST",
        "/users/{user_id}/verify_password",
        &[200, 400, 404, 422, 500],
    ),
    ("POST", "/users/ban", &[200, 400, 402]),
    ("POST", "/users/unban", &[200, 400, 402]),
    (
        "POST",
        "/users/{user_id}/remove_password",
        &[200, 400, 401, 403, 404, 500],
    ),
    ("DELETE", "/users/{user_id}/mfa", &[200, 404, 500]),
    ("DELETE", "/users/{user_id}/totp", &[200, 404, 500]),
    ("DELETE", "/users/{user_id}/backup_code", &[200, 404, 500]),
    (
        "GET",
        "/users/{user_id}/billing/subscription",
        &[200, 400, 401, 403, 404, 422, 500],
    ),
    (
        "GET",
        "/users/{user_id}/billing/credits",
        &[200, 400, 401, 403, 404, 422, 500],
    ),
    (
        "POST",
        "/users/{user_id}/billing/credits",
        &[200, 400, 401, 403, 404, 409, 422, 500],
    ),
    (
        "PUT",
        "/users/{user_id}/email_address",
        &[200, 400, 401, 403, 404, 422],
    ),
    (
        "PUT",
        "/users/{user_id}/phone_number",
        &[200, 400, 401, 403, 404, 422],
    ),
    (
        "DELETE",
        "/users/{user_id}/web3_wallets/{web3_wallet_identification_id}",
        &[200, 400, 403, 404, 500],
    ),
    (
        "GET",
        "/users/{user_id}/organization_memberships",
        &[200, 403],
    ),
    (
        "GET",
        "/users/{user_id}/organization_invitations",
        &[200, 400, 403, 404],
    ),
    (
        "GET",
        "/users/{user_id}/oauth_access_tokens/{provider}",
        &[200, 400, 404, 422],
    ),
    ("POST", "/webhooks/svix", &[200, 400]),
    ("DELETE", "/webhooks/svix", &[204, 400]),
    ("POST", "/webhooks/svix_url", &[200, 400]),
    ("GET", "/waitlist_entries", &[200]),
    ("POST", "/waitlist_entries", &[200, 400, 422]),
    ("POST", "/waitlist_entries/bulk", &[200, 400, 422]),
    (
        "DELETE",
        "/waitlist_entries/{waitlist_entry_id}",
        &[200, 400, 404, 409, 422],
    ),
    (
        "POST",
        "/waitlist_entries/{waitlist_entry_id}/invite",
        &[200, 400, 404, 409, 422],
    ),
    (
        "POST",
        "/waitlist_entries/{waitlist_entry_id}/reject",
        &[200, 400, 404, 409, 422],
    ),
    (
        "POST",
        "/email_addresses/{email_address_id}/prepare_verification",
        &[200, 400, 401, 403, 404, 500],
    ),
    (
        "POST",
        "/email_addresses/{email_address_id}/attempt_verification",
        &[200, 400, 401, 403, 404, 500],
    ),
    (
        "POST",
        "/phone_numbers/{phone_number_id}/prepare_verification",
        &[200, 400, 401, 403, 404, 429, 500],
    ),
    (
        "POST",
        "/phone_numbers/{phone_number_id}/attempt_verification",
        &[200, 400, 401, 403, 404, 500],
    ),
    ("GET", "/sign_ups/{id}", &[200, 403]),
    ("PATCH", "/sign_ups/{id}", &[200, 403]),
];

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
    /// added since (the roles catalog, the waitlist's bulk create, a user's billing) and declares more statuses for a few (400 on
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
