//! The active organization in a session token, read the way Clerk's own JS SDK reads it
//! (`@clerk/shared`: `__experimental_JWTPayloadToAuthObjectProperties`, and `has()` from
//! `createCheckAuthorization`), for both token versions:
//!
//! - **v1** (no `v`, or any `v` but 2): `org_id`, `org_slug`, `org_role` (`org:admin`),
//!   `org_permissions` (full keys, `org:invoices:read`).
//! - **v2** (`v: 2`): `o: {id, slg, rol, per, fpm}`. `rol` has no `org:` prefix. `per`
//!   lists the distinct actions (`read,manage`). The organization features are the
//!   entries of the top-level `fea` whose scope contains `o` (`o:invoices`,
//!   `uo:reports`), in order; `fpm` holds one decimal bitmask per such feature, and bit
//!   `i` (least significant first) grants `org:<feature>:<per[i]>`.
//!
//! Each version ignores the other's claims, as Clerk's parser does.

use serde::{Deserialize, Serialize};

use super::claims::Claims;

/// The v2 organization claim `o`, as compact as Clerk sends it. Prefer
/// [`Claims::organization`], which expands it.
///
/// ```
/// let claims: clerk_sdk::Claims = serde_json::from_value(serde_json::json!({
///     "sub": "user_1", "exp": 1, "v": 2, "o": { "id": "org_1", "slg": "acme", "rol": "admin" }
/// })).unwrap();
/// assert_eq!(claims.o.unwrap().slg.as_deref(), Some("acme"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct OrgClaimV2 {
    /// `id`: the organization id (`org_...`).
    pub id: String,
    /// `slg`: the organization slug.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub slg: Option<String>,
    /// `rol`: the user's role, without the `org:` prefix.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rol: Option<String>,
    /// `per`: comma-separated permission actions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub per: Option<String>,
    /// `fpm`: comma-separated decimal bitmasks, one per organization feature in `fea`; bit `i`
    /// grants action `i` of `per`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fpm: Option<String>,
}

/// The active organization, read from either the v1 or the v2 claims.
///
/// ```
/// let claims: clerk_sdk::Claims = serde_json::from_value(serde_json::json!({
///     "sub": "user_1", "exp": 1, "org_id": "org_1", "org_slug": "acme", "org_role": "org:admin"
/// })).unwrap();
/// let org = claims.organization().unwrap();
/// assert_eq!((org.id.as_str(), org.role.as_deref()), ("org_1", Some("org:admin")));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Organization {
    /// The organization id (`org_...`).
    pub id: String,
    /// The organization slug.
    pub slug: Option<String>,
    /// The user's role with its `org:` prefix (`org:admin`), as in v1 tokens.
    pub role: Option<String>,
    /// The user's permissions, as `org:<feature>:<action>`. Clerk's system permissions
    /// (`org:sys_*`) are never in session tokens.
    pub permissions: Vec<String>,
}

impl Organization {
    /// Whether the user's role in the organization is `role`. Compared like Clerk's
    /// `has({ role })`: with the `org:` prefix made exactly one on both sides, so `admin`,
    /// `org:admin` and `org:org:admin` are the same role.
    ///
    /// ```
    /// let claims: clerk_sdk::Claims = serde_json::from_value(serde_json::json!({
    ///     "sub": "user_1", "exp": 1, "v": 2, "o": { "id": "org_1", "rol": "admin" }
    /// })).unwrap();
    /// let org = claims.organization().unwrap();
    /// assert!(org.has_role("org:admin") && org.has_role("admin"));
    /// assert!(!org.has_role("org:member"));
    /// ```
    #[must_use]
    pub fn has_role(&self, role: &str) -> bool {
        let wanted = with_org_prefix(role);
        // A role of no name matches nothing, whatever the token says.
        wanted != "org:"
            && self
                .role
                .as_deref()
                .is_some_and(|mine| with_org_prefix(mine) == wanted)
    }

    /// Whether the user holds `permission` in the organization, like Clerk's
    /// `has({ permission })`: `org:` is added to the asked key if missing
    /// (`invoices:read` means `org:invoices:read`) and the key must be among
    /// [`permissions`](Self::permissions) exactly.
    ///
    /// System permissions (`org:sys_*`, such as `org:sys_memberships:manage`) are always
    /// `false`: Clerk leaves them out of session tokens to keep them small, so a check of
    /// one here could only ever pass on a token Clerk did not issue. Ask the Backend API
    /// (a membership's `permissions`) for those.
    ///
    /// ```
    /// let claims: clerk_sdk::Claims = serde_json::from_value(serde_json::json!({
    ///     "sub": "user_1", "exp": 1, "org_id": "org_1", "org_role": "org:admin",
    ///     "org_permissions": ["org:invoices:read", "org:sys_memberships:manage"]
    /// })).unwrap();
    /// let org = claims.organization().unwrap();
    /// assert!(org.has_permission("org:invoices:read") && org.has_permission("invoices:read"));
    /// assert!(!org.has_permission("org:sys_memberships:manage"));
    /// ```
    #[must_use]
    pub fn has_permission(&self, permission: &str) -> bool {
        let wanted = with_org_prefix(permission);
        !wanted.starts_with("org:sys_") && self.permissions.contains(&wanted)
    }
}

impl Claims {
    /// The active organization: from the v2 `o` claim when `v` is 2, else from the v1
    /// `org_*` claims (the module docs of `clerk_sdk::verify` show both encodings). `None`
    /// when the session has no active organization.
    ///
    /// v2 permissions are expanded as Clerk's JS SDK does: the k-th organization
    /// feature of `fea` is paired with the k-th `fpm` mask, and each set bit `i` grants
    /// `org:<feature>:<per[i]>`. A mask that is not a decimal number grants nothing for
    /// its feature; a `fea` entry without a scope makes the pairing unreliable, so then
    /// no permission is granted at all (Clerk's parser throws on it).
    ///
    /// ```
    /// let claims: clerk_sdk::verify::Claims = serde_json::from_value(serde_json::json!({
    ///     "sub": "user_1", "exp": 1, "v": 2, "fea": "o:dashboard,u:export,o:billing",
    ///     "o": { "id": "org_1", "rol": "admin", "per": "read,manage", "fpm": "3,2" }
    /// })).unwrap();
    /// let org = claims.organization().unwrap();
    /// assert_eq!(org.permissions, ["org:dashboard:read", "org:dashboard:manage", "org:billing:manage"]);
    /// ```
    #[must_use]
    pub fn organization(&self) -> Option<Organization> {
        if self.v == Some(2) {
            let o = self.o.as_ref().filter(|o| !o.id.is_empty())?;
            return Some(Organization {
                id: o.id.clone(),
                slug: o.slg.clone(),
                role: o
                    .rol
                    .as_deref()
                    .filter(|r| !r.is_empty())
                    .map(with_org_prefix),
                permissions: expand_v2_permissions(self.fea.as_deref(), o),
            });
        }
        let id = self.org_id.as_ref().filter(|id| !id.is_empty())?;
        Some(Organization {
            id: id.clone(),
            slug: self.org_slug.clone(),
            role: self.org_role.clone(),
            permissions: self.org_permissions.clone().unwrap_or_default(),
        })
    }

    /// Whether the user is signed in to an active organization with this role; see
    /// [`Organization::has_role`]. `false` without an active organization.
    ///
    /// ```
    /// let claims: clerk_sdk::Claims = serde_json::from_value(serde_json::json!({
    ///     "sub": "user_1", "exp": 1, "v": 2, "o": { "id": "org_1", "rol": "admin" }
    /// })).unwrap();
    /// assert!(claims.has_role("org:admin"));
    /// ```
    #[must_use]
    pub fn has_role(&self, role: &str) -> bool {
        !self.sub.is_empty() && self.organization().is_some_and(|org| org.has_role(role))
    }

    /// Whether the user holds this permission in the active organization; see
    /// [`Organization::has_permission`] (system permissions are always `false`). `false`
    /// without an active organization.
    ///
    /// ```
    /// let claims: clerk_sdk::Claims = serde_json::from_value(serde_json::json!({
    ///     "sub": "user_1", "exp": 1, "v": 2, "fea": "o:invoices",
    ///     "o": { "id": "org_1", "rol": "admin", "per": "read,manage", "fpm": "1" }
    /// })).unwrap();
    /// assert!(claims.has_permission("org:invoices:read"));
    /// assert!(!claims.has_permission("org:invoices:manage"));
    /// ```
    #[must_use]
    pub fn has_permission(&self, permission: &str) -> bool {
        !self.sub.is_empty()
            && self
                .organization()
                .is_some_and(|org| org.has_permission(permission))
    }
}

/// `value` with exactly one leading `org:`, as Clerk's `has()` compares keys.
fn with_org_prefix(value: &str) -> String {
    let mut rest = value;
    while let Some(stripped) = rest.strip_prefix("org:") {
        rest = stripped;
    }
    format!("org:{rest}")
}

/// The permissions the v2 claims grant, `org:<feature>:<action>`, feature by feature.
fn expand_v2_permissions(fea: Option<&str>, o: &OrgClaimV2) -> Vec<String> {
    let actions: Vec<&str> = match o.per.as_deref() {
        Some(per) if !per.is_empty() => per.split(',').map(str::trim).collect(),
        _ => return Vec::new(),
    };
    let Some(masks) = o.fpm.as_deref().filter(|fpm| !fpm.is_empty()) else {
        return Vec::new();
    };
    let Some(features) = org_features(fea.unwrap_or_default()) else {
        return Vec::new();
    };
    let mut granted = Vec::new();
    for (feature, mask) in features.iter().zip(masks.split(',')) {
        let Some(bits) = low_bits(mask.trim(), actions.len()) else {
            continue;
        };
        for (action, _) in actions.iter().zip(bits).filter(|(_, set)| *set) {
            granted.push(format!("org:{feature}:{action}"));
        }
    }
    granted
}

/// The organization features of `fea`, in order: entries `scope:name` whose scope
/// contains `o` (`o`, `ou`, `uo`). `None` if an entry has no scope or no name, since the
/// masks of `fpm` can then no longer be paired with their features.
fn org_features(fea: &str) -> Option<Vec<&str>> {
    let mut features = Vec::new();
    for entry in fea.split(',').map(str::trim).filter(|e| !e.is_empty()) {
        let (scope, rest) = entry.split_once(':')?;
        // Like Clerk's parser: the name ends at the next colon, if any.
        let name = rest.split(':').next().unwrap_or_default();
        if name.is_empty() {
            return None;
        }
        if scope.contains('o') {
            features.push(name);
        }
    }
    Some(features)
}

/// The lowest `count` bits of a decimal number of any length, least significant first;
/// `None` unless `digits` is a non-empty run of ASCII digits. Numbers are halved digit by
/// digit, so masks wider than any integer type still work.
fn low_bits(digits: &str, count: usize) -> Option<Vec<bool>> {
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let mut number: Vec<u8> = digits.bytes().map(|b| b - b'0').collect();
    let mut bits = Vec::with_capacity(count);
    while bits.len() < count {
        let mut remainder = 0;
        for digit in &mut number {
            let value = remainder * 10 + *digit;
            *digit = value / 2;
            remainder = value % 2;
        }
        bits.push(remainder == 1);
        if number.iter().all(|d| *d == 0) {
            bits.resize(count, false);
        }
    }
    Some(bits)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn claims(value: serde_json::Value) -> Claims {
        serde_json::from_value(value).unwrap()
    }

    fn o(per: &str, fpm: &str) -> OrgClaimV2 {
        OrgClaimV2 {
            id: "org_1".into(),
            slg: None,
            rol: None,
            per: Some(per.into()),
            fpm: Some(fpm.into()),
        }
    }

    #[test]
    fn v2_masks_pair_with_org_features_in_order_lsb_first() {
        // The example checked against @clerk/backend: grants widgets:read+manage, reports:read.
        let perms =
            expand_v2_permissions(Some("o:widgets,u:x,o:reports"), &o("read,manage", "3,1"));
        assert_eq!(
            perms,
            ["org:widgets:read", "org:widgets:manage", "org:reports:read"]
        );
        // `uo`/`ou` count as organization features; user features do not take a mask.
        let perms = expand_v2_permissions(Some("u:u1,o:f1,uo:f2,ou:f3"), &o("a,b", "2,0,1"));
        assert_eq!(perms, ["org:f1:b", "org:f3:a"]);
    }

    #[test]
    fn v2_bad_masks_grant_nothing_for_their_feature_only() {
        let perms = expand_v2_permissions(Some("o:f1,o:f2,o:f3"), &o("a,b", "2,x,1"));
        assert_eq!(perms, ["org:f1:b", "org:f3:a"]);
        let perms = expand_v2_permissions(Some("o:f1,o:f2"), &o("a,b", "-1, 3"));
        assert_eq!(perms, ["org:f2:a", "org:f2:b"]);
        // Bits past the last action are ignored; fewer masks than features leave the rest bare.
        let perms = expand_v2_permissions(Some("o:f1,o:f2"), &o("a", "7"));
        assert_eq!(perms, ["org:f1:a"]);
    }

    #[test]
    fn v2_missing_or_malformed_claims_grant_nothing() {
        let full = o("a,b", "3");
        assert!(expand_v2_permissions(None, &full).is_empty());
        assert!(expand_v2_permissions(Some(""), &full).is_empty());
        assert!(expand_v2_permissions(Some("o:f1"), &o("", "3")).is_empty());
        assert!(expand_v2_permissions(Some("o:f1"), &o("a", "")).is_empty());
        // An entry without a scope: the pairing cannot be trusted.
        assert!(expand_v2_permissions(Some("dashboard,o:f1"), &full).is_empty());
        assert!(expand_v2_permissions(Some("o:,o:f1"), &full).is_empty());
        // The name ends at the next colon, as Clerk reads it.
        assert_eq!(
            expand_v2_permissions(Some(" o:f1:extra "), &o("a", "1")),
            ["org:f1:a"]
        );
    }

    #[test]
    fn masks_of_any_width() {
        assert_eq!(low_bits("6", 4), Some(vec![false, true, true, false]));
        assert_eq!(low_bits("0006", 3), Some(vec![false, true, true]));
        assert_eq!(low_bits("0", 2), Some(vec![false, false]));
        // 2^130 + 1: wider than u128.
        let wide = "1361129467683753853853498429727072845825";
        let bits = low_bits(wide, 131).unwrap();
        assert!(bits[0] && bits[130] && bits[1..130].iter().all(|b| !b));
        assert_eq!(low_bits("", 1), None);
        assert_eq!(low_bits("1e3", 1), None);
        assert_eq!(low_bits("+1", 1), None);
    }

    #[test]
    fn the_version_decides_which_claims_are_read() {
        let both = json!({"sub": "u", "exp": 1, "o": {"id": "org_v2", "rol": "admin"},
                          "org_id": "org_v1", "org_role": "org:member"});
        let mut v2 = both.clone();
        v2["v"] = json!(2);
        assert_eq!(claims(v2).organization().unwrap().id, "org_v2");
        assert_eq!(claims(both.clone()).organization().unwrap().id, "org_v1");
        let mut v3 = both;
        v3["v"] = json!(3);
        assert_eq!(claims(v3).organization().unwrap().id, "org_v1");
        // v2 without `o`: no organization, even with v1 claims.
        let v2_bare = claims(json!({"sub": "u", "exp": 1, "v": 2, "org_id": "org_v1"}));
        assert!(v2_bare.organization().is_none());
        assert!(!v2_bare.has_role("org:member"));
        // Empty ids and roles are absent.
        let empty = claims(json!({"sub": "u", "exp": 1, "v": 2, "o": {"id": "", "rol": "admin"}}));
        assert!(empty.organization().is_none());
        let no_role =
            claims(json!({"sub": "u", "exp": 1, "v": 2, "o": {"id": "org_1", "rol": ""}}));
        assert_eq!(no_role.organization().unwrap().role, None);
        assert!(!no_role.has_role(""));
    }

    #[test]
    fn roles_compare_with_one_org_prefix() {
        let v1 = claims(json!({"sub": "u", "exp": 1, "org_id": "org_1", "org_role": "org:admin"}));
        for asked in ["org:admin", "admin", "org:org:admin"] {
            assert!(v1.has_role(asked), "{asked}");
        }
        for asked in ["org:member", "Admin", "", "org:", "org:admin "] {
            assert!(!v1.has_role(asked), "{asked}");
        }
        let unprefixed =
            claims(json!({"sub": "u", "exp": 1, "org_id": "org_1", "org_role": "admin"}));
        assert!(unprefixed.has_role("org:admin"));
        let signed_out_user =
            claims(json!({"sub": "", "exp": 1, "org_id": "org_1", "org_role": "org:admin"}));
        assert!(!signed_out_user.has_role("org:admin"));
        let no_org = claims(json!({"sub": "u", "exp": 1}));
        assert!(!no_org.has_role("org:admin") && !no_org.has_permission("org:a:read"));
    }

    #[test]
    fn permissions_match_claim_values_exactly() {
        let v1 = claims(json!({"sub": "u", "exp": 1, "org_id": "org_1",
                               "org_permissions": ["org:invoices:read", "reports:read",
                                                   "org:sys_profile:manage"]}));
        assert!(v1.has_permission("org:invoices:read"));
        assert!(v1.has_permission("invoices:read"));
        assert!(!v1.has_permission("org:invoices:manage"));
        // A claim value without `org:` matches nothing (Clerk prefixes the asked key only).
        assert!(!v1.has_permission("reports:read") && !v1.has_permission("org:reports:read"));
        // System permissions: never, even if a token lists one.
        assert!(!v1.has_permission("org:sys_profile:manage"));
        assert!(!v1.has_permission("sys_profile:manage"));
        let without_list = claims(json!({"sub": "u", "exp": 1, "org_id": "org_1"}));
        assert!(!without_list.has_permission("org:invoices:read"));
    }
}
