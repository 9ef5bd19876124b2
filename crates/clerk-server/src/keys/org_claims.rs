//! The active organization in a session token, encoded as Clerk encodes it for each token
//! version (and as `@clerk/backend` and `clerk-backend-api` decode it).
//!
//! - **v1**: `org_id`, `org_slug`, `org_role` (`org:admin`) and `org_permissions` (full keys).
//! - **v2**: `o: {id, slg, rol, per, fpm}` and a top-level `fea`. `rol` is the role key
//!   without `org:`. The organization's features are `fea`'s `o:<feature>` entries; `per`
//!   lists the distinct actions; `fpm` holds one decimal bitmask per feature, in `fea`'s
//!   order, whose bit `i` (least significant first) grants `org:<feature>:<per[i]>`.
//!
//! Only the instance's own permissions (`org:<feature>:<action>`) are encoded: Clerk leaves
//! its system permissions (`org:sys_*`) out of tokens to keep them small, so a backend's
//! `has({ permission: "org:sys_…" })` is false by design while `has({ role })` holds.

use serde_json::{Map, Value, json};

/// What a token says of the session's active organization.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct OrganizationClaims {
    pub id: String,
    pub slug: String,
    /// The role's key, `org:admin`.
    pub role: String,
    /// Every permission key of the role, system ones included (they are left out here).
    pub permissions: Vec<String>,
}

impl OrganizationClaims {
    /// The permissions a token carries: `org:<feature>:<action>`, system ones left out.
    fn custom_permissions(&self) -> impl Iterator<Item = (&str, &str)> {
        self.permissions.iter().filter_map(|key| {
            let mut parts = key.split(':');
            match (parts.next(), parts.next(), parts.next(), parts.next()) {
                (Some("org"), Some(feature), Some(action), None)
                    if !feature.starts_with("sys_")
                        && !feature.is_empty()
                        && !action.is_empty() =>
                {
                    Some((feature, action))
                }
                _ => None,
            }
        })
    }

    /// Adds the v1 claims.
    pub(crate) fn add_v1(&self, claims: &mut Map<String, Value>) {
        let permissions: Vec<String> = self
            .custom_permissions()
            .map(|(feature, action)| format!("org:{feature}:{action}"))
            .collect();
        claims.insert("org_id".into(), json!(self.id));
        claims.insert("org_slug".into(), json!(self.slug));
        claims.insert("org_role".into(), json!(self.role));
        claims.insert("org_permissions".into(), json!(permissions));
    }

    /// Adds the v2 claims: `o`, and `fea` when the role has permissions.
    pub(crate) fn add_v2(&self, claims: &mut Map<String, Value>) {
        let mut features: Vec<&str> = Vec::new();
        let mut actions: Vec<&str> = Vec::new();
        let mut masks: Vec<u64> = Vec::new();
        for (feature, action) in self.custom_permissions() {
            let f = position_or_push(&mut features, feature);
            if f == masks.len() {
                masks.push(0);
            }
            let a = position_or_push(&mut actions, action);
            // A role with more than 64 distinct actions cannot be encoded; the rest are
            // left out rather than wrapping around.
            if a < 64 {
                masks[f] |= 1 << a;
            }
        }
        let role = self.role.strip_prefix("org:").unwrap_or(&self.role);
        let mut o = Map::new();
        o.insert("id".into(), json!(self.id));
        o.insert("slg".into(), json!(self.slug));
        o.insert("rol".into(), json!(role));
        if !features.is_empty() {
            let join = |items: Vec<String>| items.join(",");
            o.insert(
                "per".into(),
                json!(join(actions.iter().map(|a| (*a).to_owned()).collect())),
            );
            o.insert(
                "fpm".into(),
                json!(join(masks.iter().map(u64::to_string).collect())),
            );
            claims.insert(
                "fea".into(),
                json!(join(features.iter().map(|f| format!("o:{f}")).collect())),
            );
        }
        claims.insert("o".into(), Value::Object(o));
    }
}

/// The index of `item` in `items`, appending it first if it is not there.
fn position_or_push<'a>(items: &mut Vec<&'a str>, item: &'a str) -> usize {
    match items.iter().position(|i| *i == item) {
        Some(i) => i,
        None => {
            items.push(item);
            items.len() - 1
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claims(permissions: &[&str]) -> OrganizationClaims {
        OrganizationClaims {
            id: "org_1".into(),
            slug: "acme".into(),
            role: "org:admin".into(),
            permissions: permissions.iter().map(|p| (*p).to_owned()).collect(),
        }
    }

    /// Decodes v2 claims the way `@clerk/shared`'s payload parser does.
    fn decode_v2(token: &Map<String, Value>) -> Vec<String> {
        let o = &token["o"];
        let per: Vec<&str> = o["per"].as_str().map_or(vec![], |p| p.split(',').collect());
        let fpm: Vec<u64> = o["fpm"].as_str().map_or(vec![], |f| {
            f.split(',').map(|n| n.parse().unwrap()).collect()
        });
        let features: Vec<&str> = token["fea"]
            .as_str()
            .map_or(vec![], |f| f.split(',').collect())
            .into_iter()
            .filter_map(|e| e.strip_prefix("o:"))
            .collect();
        let mut granted = Vec::new();
        for (k, feature) in features.iter().enumerate() {
            for (i, action) in per.iter().enumerate() {
                if fpm[k] & (1 << i) != 0 {
                    granted.push(format!("org:{feature}:{action}"));
                }
            }
        }
        granted
    }

    #[test]
    fn v2_encodes_features_actions_and_masks() {
        let org = claims(&[
            "org:sys_memberships:manage",
            "org:widgets:read",
            "org:widgets:manage",
            "org:reports:read",
        ]);
        let mut token = Map::new();
        org.add_v2(&mut token);
        assert_eq!(
            token["o"],
            json!({"id": "org_1", "slg": "acme", "rol": "admin", "per": "read,manage", "fpm": "3,1"})
        );
        assert_eq!(token["fea"], "o:widgets,o:reports");
        let mut granted = decode_v2(&token);
        granted.sort();
        assert_eq!(
            granted,
            ["org:reports:read", "org:widgets:manage", "org:widgets:read"]
        );
    }

    #[test]
    fn v2_without_custom_permissions_has_no_features() {
        let mut token = Map::new();
        claims(&["org:sys_profile:manage"]).add_v2(&mut token);
        assert_eq!(
            token["o"],
            json!({"id": "org_1", "slg": "acme", "rol": "admin"})
        );
        assert!(!token.contains_key("fea"));
    }

    #[test]
    fn v1_lists_full_custom_keys() {
        let mut token = Map::new();
        claims(&[
            "org:sys_profile:manage",
            "org:widgets:read",
            "bad",
            "org:a:b:c",
        ])
        .add_v1(&mut token);
        assert_eq!(token["org_id"], "org_1");
        assert_eq!(token["org_slug"], "acme");
        assert_eq!(token["org_role"], "org:admin");
        assert_eq!(token["org_permissions"], json!(["org:widgets:read"]));
    }
}
