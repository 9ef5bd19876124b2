//! The block-list's and the redirect URLs' objects.

use serde::Serialize;

use crate::store::blocklist::BlocklistIdentifier;
use crate::store::redirect_urls::RedirectUrl;

/// A `blocklist_identifier` object.
#[derive(Serialize)]
pub(crate) struct BlocklistIdentifierJson {
    object: &'static str,
    id: String,
    identifier: String,
    identifier_type: &'static str,
    instance_id: String,
    created_at: i64,
    updated_at: i64,
}

impl BlocklistIdentifierJson {
    pub(crate) fn new(item: &BlocklistIdentifier, instance_id: &str) -> Self {
        Self {
            object: "blocklist_identifier",
            id: item.id.clone(),
            identifier: item.identifier.clone(),
            identifier_type: item.identifier_type.as_str(),
            instance_id: instance_id.to_owned(),
            created_at: item.created_at,
            updated_at: item.updated_at,
        }
    }
}

/// A `redirect_url` object.
#[derive(Serialize)]
pub(crate) struct RedirectUrlJson {
    object: &'static str,
    id: String,
    url: String,
    created_at: i64,
    updated_at: i64,
}

impl RedirectUrlJson {
    pub(crate) fn new(item: &RedirectUrl) -> Self {
        Self {
            object: "redirect_url",
            id: item.id.clone(),
            url: item.url.clone(),
            created_at: item.created_at,
            updated_at: item.updated_at,
        }
    }
}
