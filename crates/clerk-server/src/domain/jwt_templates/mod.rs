//! JWT templates: creating, changing and deleting them with Clerk's rules, and minting a
//! session's token from one (`POST /v1/sessions/{id}/tokens/{template_name}`).
//!
//! A template signs with the instance's keys (RS256, `kid` in the JWKS) unless it has its
//! own key (`custom_signing_key`), which is stored sealed by the vault under the template's
//! id and never answered. No webhook event covers templates (Clerk's webhooks have none).

mod render;

use crate::keys::sealed::SealedColumn;
use serde_json::{Map, Value, json};

use super::error::{Error, Result, Rule, RuleKind};
use super::services::Services;
use crate::ids::{self, prefix};
use crate::keys::template_signing::TemplateKey;
use crate::secret::Secret;
use crate::store::Page;
use crate::store::jwt_templates::{self, JwtTemplateRecord};
use crate::store::organizations::memberships;
use crate::store::sessions::{SessionFilters, SessionRecord};
use crate::store::{StoreError, UnitOfWork};
use crate::wire::{UserView, image_url};

/// Claims a template cannot set: every template token has them, as in Clerk.
pub(crate) const RESERVED_CLAIMS: &[&str] = &["azp", "exp", "iat", "iss", "jti", "nbf", "sub"];

/// `lifetime` bounds (seconds) and default (Clerk's dashboard default).
pub(crate) const LIFETIME: (i64, i64, i64) = (30, 315_360_000, 60);
/// `allowed_clock_skew` bounds (seconds) and default.
pub(crate) const CLOCK_SKEW: (i64, i64, i64) = (0, 300, 5);

/// The algorithm of templates signed by the instance's keys.
const INSTANCE_ALGORITHM: &str = "RS256";

/// What a create or update asks for.
#[derive(Debug, Default)]
pub(crate) struct TemplateInput {
    pub name: String,
    pub claims: Map<String, Value>,
    pub lifetime: Option<i64>,
    pub allowed_clock_skew: Option<i64>,
    pub custom_signing_key: Option<bool>,
    pub signing_algorithm: Option<String>,
    pub signing_key: Option<Secret>,
}

/// Creates a template.
pub(crate) async fn create(svc: &Services, input: TemplateInput) -> Result<JwtTemplateRecord> {
    let now = svc.now_ms();
    let id = ids::new_id(prefix::JWT_TEMPLATE, now);
    let mut record = JwtTemplateRecord {
        id,
        name: String::new(),
        claims: Map::new(),
        lifetime: LIFETIME.2,
        allowed_clock_skew: CLOCK_SKEW.2,
        custom_signing_key: false,
        signing_algorithm: INSTANCE_ALGORITHM.into(),
        signing_key: None,
        created_at: now,
        updated_at: now,
    };
    apply(svc, &mut record, input)?;
    let mut work = UnitOfWork::begin(&svc.store).await?;
    jwt_templates::insert(work.tx(), &record)
        .await
        .map_err(|e| name_taken(e, &record.name))?;
    work.commit().await?;
    Ok(record)
}

/// Replaces a template's name and claims, and whatever else `input` gives.
pub(crate) async fn update(
    svc: &Services,
    id: &str,
    input: TemplateInput,
) -> Result<JwtTemplateRecord> {
    let mut work = UnitOfWork::begin(&svc.store).await?;
    let lock = svc.store.dialect().for_update();
    let mut record = jwt_templates::load(work.tx(), id, lock).await?;
    apply(svc, &mut record, input)?;
    record.updated_at = svc.now_ms().max(record.created_at);
    jwt_templates::save(work.tx(), &record)
        .await
        .map_err(|e| name_taken(e, &record.name))?;
    work.commit().await?;
    Ok(record)
}

/// Deletes a template (not found if there is none).
pub(crate) async fn delete(svc: &Services, id: &str) -> Result<()> {
    let mut work = UnitOfWork::begin(&svc.store).await?;
    if !jwt_templates::delete(work.tx(), id).await? {
        return Err(StoreError::not_found("JWT template", id).into());
    }
    work.commit().await?;
    Ok(())
}

fn name_taken(err: StoreError, name: &str) -> Error {
    if err.is_taken() {
        Rule::input(
            "form_identifier_exists",
            "name",
            "That name is taken. Please try another.",
            format!("A JWT template named {name} already exists."),
        )
        .into()
    } else {
        err.into()
    }
}

/// Checks `input` with Clerk's rules and writes it into `record`.
fn apply(svc: &Services, record: &mut JwtTemplateRecord, input: TemplateInput) -> Result<()> {
    let name = input.name.trim();
    if name.is_empty() {
        return Err(
            Rule::value_invalid("name", "The name of a JWT template must not be empty.").into(),
        );
    }
    if let Some(claim) = RESERVED_CLAIMS
        .iter()
        .find(|c| input.claims.contains_key(**c))
    {
        return Err(Rule::refused(
            "jwt_template_reserved_claim",
            "reserved claim used",
            format!("You can't use the reserved claim: '{claim}'"),
        )
        .with_param("claims")
        .with_meta("claim", json!(claim))
        .into());
    }
    let in_range = |param: &str, value: Option<i64>, (min, max, _): (i64, i64, i64)| match value {
        Some(v) if !(min..=max).contains(&v) => Err(Rule::value_invalid(
            param,
            format!("{param} must be between {min} and {max}."),
        )),
        _ => Ok(()),
    };
    in_range("lifetime", input.lifetime, LIFETIME)?;
    in_range("allowed_clock_skew", input.allowed_clock_skew, CLOCK_SKEW)?;
    let custom = input
        .custom_signing_key
        .unwrap_or(record.custom_signing_key);
    if custom {
        let algorithm = input.signing_algorithm.clone().or_else(|| {
            record
                .custom_signing_key
                .then(|| record.signing_algorithm.clone())
        });
        let Some(algorithm) = algorithm else {
            return Err(missing("signing_algorithm").into());
        };
        // A new key, or the stored one while the algorithm stays the same.
        let sealed = match &input.signing_key {
            Some(key) => {
                TemplateKey::parse(&algorithm, key.expose())
                    .map_err(|p| Rule::value_invalid("signing_key", p.0))?;
                let context = SealedColumn::JwtTemplateKey.context(&record.id);
                Secret::new(svc.keys.vault().seal(&context, key.expose().as_bytes()))
            }
            None => match (&record.signing_key, record.signing_algorithm == algorithm) {
                (Some(sealed), true) => sealed.clone(),
                _ => return Err(missing("signing_key").into()),
            },
        };
        record.signing_algorithm = algorithm;
        record.signing_key = Some(sealed);
    } else {
        record.signing_algorithm = INSTANCE_ALGORITHM.into();
        record.signing_key = None;
    }
    record.custom_signing_key = custom;
    record.name = name.to_owned();
    record.claims = input.claims;
    if let Some(lifetime) = input.lifetime {
        record.lifetime = lifetime;
    }
    if let Some(skew) = input.allowed_clock_skew {
        record.allowed_clock_skew = skew;
    }
    Ok(())
}

fn missing(param: &str) -> Rule {
    Rule::input(
        "form_param_missing",
        param,
        &format!("{param} is missing"),
        format!("{param} must be included when custom_signing_key is true."),
    )
}

/// A token for `session` from the template named `name`: the rendered claims with the
/// default ones (`iss`, `sub`, `iat`, `exp`, `nbf`, `jti`); `expires_in_s` overrides the
/// template's lifetime.
pub(crate) async fn mint(
    svc: &Services,
    session: &SessionRecord,
    name: &str,
    expires_in_s: Option<i64>,
) -> Result<String> {
    let template = svc.store.jwt_template_named(name).await?.ok_or_else(|| {
        Rule::refused(
            "resource_not_found",
            "JWT template not found",
            format!("No JWT template exists with name: {name}"),
        )
        .with_kind(RuleKind::NotFound)
    })?;
    let context = context(svc, session).await?;
    let mut claims = render::render(&template.claims, &context);
    let now_s = svc.now_ms().div_euclid(1000);
    let lifetime = expires_in_s.unwrap_or(template.lifetime);
    claims.insert("iss".into(), json!(svc.issuer));
    claims.insert("sub".into(), json!(session.user_id));
    claims.insert("iat".into(), json!(now_s));
    claims.insert("exp".into(), json!(now_s + lifetime));
    claims.insert("nbf".into(), json!(now_s - template.allowed_clock_skew));
    claims.insert("jti".into(), json!(ids::random_hex(10)));
    if !template.custom_signing_key {
        let key = svc.keys.signing_key(&svc.store).await?;
        return Ok(key.sign(&claims));
    }
    let sealed = template
        .signing_key
        .as_ref()
        .ok_or_else(|| Error::Internal(format!("template {} has no signing key", template.id)))?;
    let key = svc
        .keys
        .vault()
        .open(
            &SealedColumn::JwtTemplateKey.context(&template.id),
            sealed.expose(),
        )
        .map_err(|e| {
            Error::Internal(format!("template {} key cannot be read: {e}", template.id))
        })?;
    let key = TemplateKey::parse(&template.signing_algorithm, key.expose()).map_err(|p| {
        Error::Internal(format!("template {} key is unusable: {}", template.id, p.0))
    })?;
    Ok(key.sign(&claims))
}

/// What shortcodes read: `user`, `org` (the session's active organization, `null`
/// without one) and `session`.
/// The claims template `template_id` renders for user `user_id` now, without the default
/// claims (the dashboard's preview): with the user's newest active session, when there is
/// one, for the `session` and `org` shortcodes (else they are null).
pub(crate) async fn preview(
    svc: &Services,
    template_id: &str,
    user_id: &str,
) -> Result<Map<String, Value>> {
    let template = svc
        .store
        .jwt_template(template_id)
        .await?
        .ok_or_else(|| StoreError::not_found("jwt_template", template_id))?;
    let now = svc.now_ms();
    let filters = SessionFilters {
        user_id: Some(user_id.to_owned()),
        status: Some("active".to_owned()),
        ..SessionFilters::default()
    };
    let page = Page {
        limit: 1,
        offset: 0,
    };
    let (sessions, _) = svc.store.list_sessions(&filters, page, now).await?;
    let context = context_of(svc, user_id, sessions.first()).await?;
    Ok(render::render(&template.claims, &context))
}

async fn context(svc: &Services, session: &SessionRecord) -> Result<Value> {
    context_of(svc, &session.user_id, Some(session)).await
}

/// The shortcodes' values for `user_id`, with `session` if there is one.
async fn context_of(
    svc: &Services,
    user_id: &str,
    session: Option<&SessionRecord>,
) -> Result<Value> {
    let user = svc
        .store
        .user(user_id)
        .await?
        .ok_or_else(|| StoreError::not_found("user", user_id))?;
    let view = serde_json::to_value(UserView::of(&user, &svc.user_context()))
        .map_err(|e| Error::Internal(format!("user view: {e}")))?;
    let user = user_context(&view, &svc.issuer);
    let org = match session.and_then(|s| s.last_active_organization_id.as_ref()) {
        None => Value::Null,
        Some(org_id) => {
            let mut conn = svc.store.read().await?;
            match memberships::active(&mut conn, org_id, user_id).await? {
                None => Value::Null,
                Some((org, role)) => json!({
                    "id": org.id,
                    "name": org.name,
                    "slug": org.slug,
                    "image_url": image_url(&svc.issuer, org.image_id.as_deref()),
                    "has_image": org.image_id.is_some(),
                    "role": role.as_ref().map(|r| r.record.key.clone()),
                    "permissions": role
                        .map(|r| r.permissions.into_iter().map(|p| p.key).collect::<Vec<_>>())
                        .unwrap_or_default(),
                    "public_metadata": org.public_metadata,
                    "created_at": org.created_at,
                    "updated_at": org.updated_at,
                }),
            }
        }
    };
    Ok(json!({
        "user": user,
        "org": org,
        "session": session.map_or(Value::Null, |s| json!({"id": s.id, "actor": s.actor})),
    }))
}

/// The `user` of the shortcodes, from the user's Backend API view.
fn user_context(view: &Value, issuer: &str) -> Value {
    let primary = |list: &str, id_key: &str, value_key: &str| -> (Value, Value) {
        let id = &view[id_key];
        view[list]
            .as_array()
            .and_then(|items| items.iter().find(|i| &i["id"] == id && !id.is_null()))
            .map_or((Value::Null, json!(false)), |item| {
                (
                    item[value_key].clone(),
                    json!(item["verification"]["status"] == "verified"),
                )
            })
    };
    let (email, email_verified) = primary(
        "email_addresses",
        "primary_email_address_id",
        "email_address",
    );
    let (phone, phone_verified) =
        primary("phone_numbers", "primary_phone_number_id", "phone_number");
    let (wallet, _) = primary("web3_wallets", "primary_web3_wallet_id", "web3_wallet");
    let full_name = [&view["first_name"], &view["last_name"]]
        .iter()
        .filter_map(|v| v.as_str())
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    let image = image_url(issuer, None);
    json!({
        "id": view["id"],
        "external_id": view["external_id"],
        "first_name": view["first_name"],
        "last_name": view["last_name"],
        "full_name": if full_name.is_empty() { Value::Null } else { json!(full_name) },
        "username": view["username"],
        "primary_email_address": email,
        "email_verified": email_verified,
        "primary_phone_address": phone.clone(),
        "primary_phone_number": phone,
        "phone_number_verified": phone_verified,
        "primary_web3_wallet": wallet,
        "image_url": image.clone(),
        "profile_image_url": image,
        "has_image": view["has_image"],
        "two_factor_enabled": view["two_factor_enabled"],
        "public_metadata": view["public_metadata"],
        "unsafe_metadata": view["unsafe_metadata"],
        "created_at": view["created_at"],
        "updated_at": view["updated_at"],
        "last_sign_in_at": view["last_sign_in_at"],
    })
}
