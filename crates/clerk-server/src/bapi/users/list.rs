//! The filters, order and page of `GET /v1/users` and `GET /v1/users/count`, read from the
//! query string.

use crate::bapi::errors::ApiError;
use crate::bapi::query::QueryParams;
use crate::domain::identifiers::IdentifierKind;
use crate::store::users::list::{
    IncludeExclude, UserFilters, UserListQuery, UserOrder, UserOrderField,
};

/// At most this many values per array filter of `GET /v1/users`.
const MAX_FILTER_VALUES: usize = 100;

/// The page `GET /v1/users` asks for: filters, order, limit and offset or cursor.
pub(crate) fn list_query(query: &QueryParams) -> Result<UserListQuery, ApiError> {
    let filters = filters(query)?;
    let order = order(query)?;
    let page = query.page()?;
    let starting_after = query.string("starting_after");
    if starting_after.is_some() {
        if order.field != UserOrderField::CreatedAt {
            return Err(ApiError::param_value_invalid(
                "order_by",
                "starting_after requires ordering by created_at (order_by omitted, created_at, +created_at or -created_at).",
            ));
        }
        if page.offset != 0 {
            return Err(ApiError::form(
                "form_conditional_param_disallowed",
                "offset",
                "is not allowed",
                "`offset` isn't allowed when `starting_after` is present.",
            ));
        }
    }
    Ok(UserListQuery {
        filters,
        order,
        page,
        starting_after,
    })
}

/// The filters of `GET /v1/users` and `GET /v1/users/count`.
pub(crate) fn filters(query: &QueryParams) -> Result<UserFilters, ApiError> {
    let list = |name: &str| -> Result<Vec<String>, ApiError> {
        let values: Vec<String> = query
            .all(name)
            .into_iter()
            .filter(|v| !v.is_empty())
            .map(str::to_owned)
            .collect();
        if values.len() > MAX_FILTER_VALUES {
            return Err(ApiError::form(
                "form_param_array_size_exceeded",
                name,
                "exceeds maximum size",
                format!("{name} should not exceed {MAX_FILTER_VALUES} items."),
            ));
        }
        Ok(values)
    };
    let normalized = |kind: IdentifierKind| -> Result<Vec<String>, ApiError> {
        Ok(list(kind.as_str())?
            .iter()
            .map(|v| kind.normalize_filter(v))
            .collect())
    };
    let provider = query.string("provider");
    let provider_user_ids = list("provider_user_id")?;
    match (&provider, provider_user_ids.is_empty()) {
        (Some(_), true) => {
            return Err(conditional_missing("provider_user_id", "provider"));
        }
        (None, false) => return Err(conditional_missing("provider", "provider_user_id")),
        _ => {}
    }
    Ok(UserFilters {
        email_addresses: normalized(IdentifierKind::EmailAddress)?,
        phone_numbers: normalized(IdentifierKind::PhoneNumber)?,
        web3_wallets: normalized(IdentifierKind::Web3Wallet)?,
        usernames: list("username")?
            .iter()
            .map(|u| u.trim().to_lowercase())
            .collect(),
        external_ids: include_exclude(list("external_id")?),
        user_ids: include_exclude(list("user_id")?),
        organization_ids: include_exclude(list("organization_id")?),
        provider,
        provider_user_ids,
        query: query.string("query"),
        email_address_query: query.string("email_address_query"),
        phone_number_query: query.string("phone_number_query"),
        username_query: query.string("username_query"),
        name_query: query.string("name_query"),
        banned: query.bool("banned")?,
        last_active_at_before: query.date_ms("last_active_at_before")?,
        last_active_at_after: query.date_ms("last_active_at_after")?,
        last_active_at_since: query.date_ms("last_active_at_since")?,
        created_at_before: query.date_ms("created_at_before")?,
        created_at_after: query.date_ms("created_at_after")?,
        last_sign_in_at_before: query.date_ms("last_sign_in_at_before")?,
        last_sign_in_at_after: query.date_ms("last_sign_in_at_after")?,
    })
}

fn conditional_missing(missing: &str, present: &str) -> ApiError {
    ApiError::form(
        "form_conditional_param_missing",
        missing,
        "is missing",
        format!("`{missing}` is required when `{present}` is present."),
    )
}

/// Splits `+id` (include; a `+` sent unencoded arrives as a space) and `-id` (exclude).
fn include_exclude(values: Vec<String>) -> IncludeExclude {
    let mut out = IncludeExclude::default();
    for value in values {
        if let Some(excluded) = value.strip_prefix('-') {
            out.exclude.push(excluded.to_owned());
        } else {
            let included = value
                .strip_prefix('+')
                .or_else(|| value.strip_prefix(' '))
                .unwrap_or(&value);
            out.include.push(included.to_owned());
        }
    }
    out
}

/// `order_by`: a field with an optional `+`/`-` (default `-created_at`).
fn order(query: &QueryParams) -> Result<UserOrder, ApiError> {
    let Some(raw) = query.first("order_by").filter(|v| !v.is_empty()) else {
        return Ok(UserOrder::default());
    };
    let (descending, name) = match raw.as_bytes()[0] {
        b'-' => (true, &raw[1..]),
        b'+' | b' ' => (false, &raw[1..]),
        _ => (false, raw),
    };
    let field = UserOrderField::parse(name.trim()).ok_or_else(|| {
        ApiError::param_value_invalid(
            "order_by",
            format!(
                "{raw} does not match the allowed values for parameter order_by. Allowed values: {}",
                UserOrderField::NAMES.join(", ")
            ),
        )
    })?;
    Ok(UserOrder { field, descending })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn order_by_values() {
        let parse = |q: &str| order(&QueryParams::parse(q));
        assert_eq!(parse("").unwrap(), UserOrder::default());
        assert_eq!(
            parse("order_by=-updated_at").unwrap(),
            UserOrder {
                field: UserOrderField::UpdatedAt,
                descending: true
            }
        );
        assert_eq!(
            parse("order_by=%2Bweb3wallet").unwrap(),
            UserOrder {
                field: UserOrderField::Web3Wallet,
                descending: false
            }
        );
        // An unencoded `+` decodes to a space.
        assert_eq!(
            parse("order_by=+first_name").unwrap(),
            UserOrder {
                field: UserOrderField::FirstName,
                descending: false
            }
        );
        assert_eq!(
            parse("order_by=shoe_size").unwrap_err().code(),
            "form_param_value_invalid"
        );
    }

    #[test]
    fn include_exclude_prefixes() {
        let ids = include_exclude(vec!["+a".into(), "-b".into(), "c".into(), " d".into()]);
        assert_eq!(ids.include, vec!["a", "c", "d"]);
        assert_eq!(ids.exclude, vec!["b"]);
    }
}
