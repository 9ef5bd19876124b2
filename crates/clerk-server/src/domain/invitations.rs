//! Instance invitations: creating them (one or in bulk, with their invitation email),
//! revoking them, and accepting one (through [`super::tickets::redeem`]), which creates the
//! invited user.
//!
//! Invitations to the same address are decided one at a time: each creation locks the
//! instance row first, so two concurrent creations cannot both find "no pending invitation".

use serde_json::{Map, Value, json};

use super::error::{Result, Rule};
use super::identifiers::normalize_email;
use super::message_templates::render;
use super::services::Services;
use super::users::{NewIdentifier, NewUser};
use crate::ids::{self, prefix};
use crate::store::invitations::{self, Invitation};
use crate::store::users::User;
use crate::store::{StoreError, UnitOfWork, instance, users};
use crate::wire::UserView;

/// Days an invitation lasts by default, and at most (Clerk's bounds).
pub(crate) const DEFAULT_EXPIRES_IN_DAYS: i64 = 30;
pub(crate) const MAX_EXPIRES_IN_DAYS: i64 = 365;

/// One invitation to create (read and checked by the route).
#[derive(Debug, Clone)]
pub(crate) struct NewInvitation {
    pub email_address: String,
    pub public_metadata: Map<String, Value>,
    pub redirect_url: Option<String>,
    pub notify: bool,
    pub ignore_existing: bool,
    pub expires_in_days: Option<i64>,
    pub template_slug: Option<String>,
}

/// Creates invitations, all or none, in one unit of work; each with `notify` gets its
/// invitation email in the outbox.
pub(crate) async fn create(svc: &Services, batch: Vec<NewInvitation>) -> Result<Vec<Invitation>> {
    let now = svc.now_ms();
    let mut work = UnitOfWork::begin(&svc.store).await?;
    // The instance row: invitations are decided one creation at a time.
    instance::load(work.tx(), svc.store.dialect().for_update()).await?;
    let mut created = Vec::with_capacity(batch.len());
    let mut seen: Vec<String> = Vec::new();
    for new in batch {
        let email = normalize_email("email_address", &new.email_address)?;
        let days = new.expires_in_days.unwrap_or(DEFAULT_EXPIRES_IN_DAYS);
        if !(1..=MAX_EXPIRES_IN_DAYS).contains(&days) {
            return Err(Rule::value_invalid(
                "expires_in_days",
                format!("expires_in_days must be between 1 and {MAX_EXPIRES_IN_DAYS}."),
            )
            .into());
        }
        if !new.ignore_existing {
            if invitations::email_taken(work.tx(), &email).await? {
                return Err(Rule::input(
                    "form_identifier_exists",
                    "email_address",
                    "That email address is taken. Please try another.",
                    "That email address is taken. Please try another.",
                )
                .into());
            }
            if seen.contains(&email) || invitations::pending_exists(work.tx(), &email, now).await? {
                return Err(Rule::refused(
                    "duplicate_record",
                    "duplicate invitation",
                    format!(
                        "There are already pending invitations for the following email addresses: {email}"
                    ),
                )
                .with_param("email_address")
                .into());
            }
        }
        seen.push(email.clone());
        let fields = Invited {
            email,
            public_metadata: new.public_metadata,
            redirect_url: new.redirect_url,
            days,
        };
        let item = insert(svc, &mut work, fields, now).await?;
        if new.notify {
            let slug = new.template_slug.as_deref().unwrap_or("invitation");
            send_email(svc, &mut work, &item, slug, now).await?;
        }
        created.push(item);
    }
    work.commit().await?;
    Ok(created)
}

/// What an invitation is made of, checked.
struct Invited {
    email: String,
    public_metadata: Map<String, Value>,
    redirect_url: Option<String>,
    days: i64,
}

async fn insert(
    svc: &Services,
    work: &mut UnitOfWork,
    fields: Invited,
    now: i64,
) -> Result<Invitation> {
    let id = ids::new_id(prefix::INVITATION, now);
    let expires_at = now.saturating_add(fields.days.saturating_mul(86_400_000));
    let token = ticket(svc, &id, expires_at, now).await?;
    let item = Invitation::pending(
        id,
        fields.email,
        fields.public_metadata,
        fields.redirect_url,
        token,
        expires_at,
        now,
    );
    invitations::insert(work.tx(), &item).await?;
    Ok(item)
}

/// A pending invitation for `email` (lowercase), made inside `work` with the default
/// expiry and no email of its own: the invitation the waitlist sends an entry it lets in.
pub(crate) async fn insert_pending(
    svc: &Services,
    work: &mut UnitOfWork,
    email: &str,
    now: i64,
) -> Result<Invitation> {
    let fields = Invited {
        email: email.to_owned(),
        public_metadata: Map::new(),
        redirect_url: None,
        days: DEFAULT_EXPIRES_IN_DAYS,
    };
    insert(svc, work, fields, now).await
}

/// Accepts a pending, unexpired invitation inside `work` (false if it was not one), and
/// completes the waitlist entry it was made for, if any.
pub(crate) async fn settle_accepted(
    svc: &Services,
    work: &mut UnitOfWork,
    id: &str,
    now: i64,
) -> Result<bool> {
    if !invitations::settle(work.tx(), id, "accepted", now).await? {
        return Ok(false);
    }
    super::waitlist::complete_invited(svc, work, id, now).await?;
    Ok(true)
}

/// Revokes a pending invitation; not found if unknown, refused if no longer pending.
pub(crate) async fn revoke(svc: &Services, id: &str) -> Result<Invitation> {
    let now = svc.now_ms();
    let mut work = UnitOfWork::begin(&svc.store).await?;
    let found = invitations::load(work.tx(), id)
        .await?
        .ok_or_else(|| StoreError::not_found("invitation", id))?;
    if !invitations::settle(work.tx(), id, "revoked", now).await? {
        let status = found.status(now).to_owned();
        let (code, long) = match status.as_str() {
            "accepted" => (
                "invitation_already_accepted",
                "This invitation has already been accepted.",
            ),
            _ => (
                "invitation_not_pending",
                "Only pending invitations can be revoked.",
            ),
        };
        return Err(Rule::refused(code, "invitation cannot be revoked", long).into());
    }
    let item = invitations::load(work.tx(), id)
        .await?
        .ok_or_else(|| StoreError::not_found("invitation", id))?;
    work.commit().await?;
    Ok(item)
}

/// Accepts `invitation` in `work` (the caller read it by its ticket): it moves to
/// `accepted` once, and the invited user is created (the address verified and primary, the
/// invitation's public metadata) with its `user.created` event. `None` if another
/// redemption accepted it first.
pub(crate) async fn accept_in(
    svc: &Services,
    work: &mut UnitOfWork,
    invitation: &Invitation,
    now: i64,
) -> Result<Option<User>> {
    if !settle_accepted(svc, work, &invitation.id, now).await? {
        return Ok(None);
    }
    let new = NewUser {
        email_addresses: vec![NewIdentifier {
            value: invitation.email_address.clone(),
            verified: true,
            reserved: false,
        }],
        public_metadata: invitation.public_metadata.clone(),
        delete_self_enabled: true,
        create_organization_enabled: true,
        ..NewUser::default()
    };
    let user = new.into_user(now);
    users::insert(work.tx(), std::slice::from_ref(&user)).await?;
    let view = UserView::of(&user, &svc.user_context());
    svc.events.emit(work, "user.created", &view, now).await?;
    Ok(Some(user))
}

/// The invitation's ticket: a JWT the instance signs, as a sign-in token is.
async fn ticket(svc: &Services, id: &str, expires_at: i64, now: i64) -> Result<String> {
    let iat = now.div_euclid(1000);
    let mut claims = Map::new();
    claims.insert("iss".into(), json!(svc.issuer));
    claims.insert("sid".into(), json!(id));
    claims.insert("st".into(), json!("invitation"));
    claims.insert("iat".into(), json!(iat));
    claims.insert("exp".into(), json!(expires_at.div_euclid(1000)));
    let key = svc.keys.signing_key(&svc.store).await?;
    Ok(key.sign(&claims))
}

/// The link that accepts an invitation: the redirect URL (or the instance's sign-up page)
/// with `__clerk_ticket` and `__clerk_status=sign_up`, as Clerk builds it.
pub(crate) fn url(invitation: &Invitation, base: &str) -> String {
    let target = invitation
        .redirect_url
        .clone()
        .unwrap_or_else(|| format!("{}/sign-up", base.trim_end_matches('/')));
    let joiner = if target.contains('?') { '&' } else { '?' };
    format!(
        "{target}{joiner}__clerk_ticket={}&__clerk_status=sign_up",
        invitation.token
    )
}

async fn send_email(
    svc: &Services,
    work: &mut UnitOfWork,
    item: &Invitation,
    slug: &str,
    now: i64,
) -> Result<()> {
    // Rendered from the template (`invitation`, or `waitlist_invitation` when the
    // invitation lets a waitlist entry in); values are escaped there.
    let slug = if slug == "waitlist_invitation" {
        "waitlist_invitation"
    } else {
        "invitation"
    };
    let recipient = render::Recipient {
        to: &item.email_address,
        identification_id: None,
        user_id: None,
    };
    let values = json!({ "action_url": url(item, &svc.issuer), "inviter_name": null });
    render::email(svc, work, slug, recipient, values, now).await?;
    Ok(())
}
