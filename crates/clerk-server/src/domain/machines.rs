//! Machines: creating, changing and deleting them, their secret keys (issued at create,
//! answered by `GET …/secret_key`, rotated with a grace period for the previous key) and
//! the scopes that let one machine call another.
//!
//! A secret key (`ak_…`) is kept sealed by the vault on the machine's row, bound to the
//! machine's id, and as a SHA-256 digest that requests are authenticated by. Clerk's
//! webhooks have no machine events, so no change here emits one.

use super::error::{Error, Result, Rule, RuleKind};
use super::services::Services;
use crate::ids::{self, prefix};
use crate::keys::sealed::SealedColumn;
use crate::secret::Secret;
use crate::store::instance::secret_key_hash;
use crate::store::machines::{self, MachineRecord, MachineScope};
use crate::store::{StoreError, UnitOfWork};

/// `default_token_ttl` bounds (seconds) and default, as the spec gives them.
pub(crate) const TOKEN_TTL: (i64, i64, i64) = (1, 315_360_000, 3600);
/// `previous_token_ttl` bounds (seconds): up to 8 hours.
pub(crate) const PREVIOUS_KEY_TTL: (i64, i64) = (0, 28_800);
/// The most machines one machine may call.
pub(crate) const MAX_SCOPES: usize = 150;
/// The longest name, in characters.
const MAX_NAME_CHARS: usize = 255;
/// The prefix of machine secret keys.
pub(crate) const SECRET_KEY_PREFIX: &str = "ak_";
/// Random base62 characters after the prefix (about 238 bits).
const SECRET_KEY_CHARS: usize = 40;

/// What a create asks for.
#[derive(Debug, Default)]
pub(crate) struct NewMachine {
    pub name: String,
    pub default_token_ttl: Option<i64>,
    pub scoped_machines: Vec<String>,
}

/// What an update asks for; `None` leaves a field as it is.
#[derive(Debug, Default)]
pub(crate) struct MachineChange {
    pub name: Option<String>,
    pub default_token_ttl: Option<i64>,
}

/// The vault context of a machine's secret key.
fn context(machine_id: &str) -> String {
    SealedColumn::MachineSecretKey.context(machine_id)
}

/// A new secret key, sealed for the machine's row.
fn new_secret(svc: &Services, machine_id: &str) -> (Secret, Secret) {
    let secret = Secret::new(format!(
        "{SECRET_KEY_PREFIX}{}",
        ids::random_base62(SECRET_KEY_CHARS)
    ));
    let sealed = Secret::new(
        svc.keys
            .vault()
            .seal(&context(machine_id), secret.expose().as_bytes()),
    );
    (secret, sealed)
}

fn checked_name(name: &str) -> Result<String> {
    let name = name.trim();
    if name.is_empty() {
        return Err(Rule::value_invalid("name", "name must be at least 1 character long.").into());
    }
    if name.chars().count() > MAX_NAME_CHARS {
        return Err(Rule::value_invalid(
            "name",
            format!("name must be at most {MAX_NAME_CHARS} characters long."),
        )
        .into());
    }
    Ok(name.to_owned())
}

fn checked_ttl(ttl: i64) -> Result<i64> {
    let (min, max, _) = TOKEN_TTL;
    if !(min..=max).contains(&ttl) {
        return Err(Rule::value_invalid(
            "default_token_ttl",
            format!("default_token_ttl must be between {min} and {max} seconds."),
        )
        .into());
    }
    Ok(ttl)
}

/// Creates a machine with its first secret key and its scopes; the secret is returned
/// with it (the create answer carries it).
pub(crate) async fn create(svc: &Services, input: NewMachine) -> Result<(MachineRecord, Secret)> {
    let name = checked_name(&input.name)?;
    let ttl = checked_ttl(input.default_token_ttl.unwrap_or(TOKEN_TTL.2))?;
    let mut scoped: Vec<String> = Vec::new();
    for id in input.scoped_machines {
        if !scoped.contains(&id) {
            scoped.push(id);
        }
    }
    if scoped.len() > MAX_SCOPES {
        return Err(Rule::value_invalid(
            "scoped_machines",
            format!("A machine can have at most {MAX_SCOPES} scoped machines."),
        )
        .into());
    }
    let now = svc.now_ms();
    let id = ids::new_id(prefix::MACHINE, now);
    let (secret, sealed) = new_secret(svc, &id);
    let record = MachineRecord {
        id: id.clone(),
        name_lower: name.to_lowercase(),
        name,
        default_token_ttl: ttl,
        secret_key: sealed,
        created_at: now,
        updated_at: now,
    };
    let mut work = UnitOfWork::begin(&svc.store).await?;
    let share = svc.store.dialect().for_share();
    let existing = machines::existing_ids(work.tx(), &scoped, share).await?;
    if let Some(unknown) = scoped.iter().find(|s| !existing.contains(s)) {
        return Err(Rule::value_invalid(
            "scoped_machines",
            format!("No machine was found with id {unknown}"),
        )
        .into());
    }
    machines::insert(work.tx(), &record).await?;
    machines::insert_secret_digest(work.tx(), &id, &secret_key_hash(secret.expose()), now).await?;
    for to in &scoped {
        let scope = MachineScope {
            from_machine_id: id.clone(),
            to_machine_id: to.clone(),
            created_at: now,
        };
        machines::insert_scope(work.tx(), &scope).await?;
    }
    work.commit().await?;
    Ok((record, secret))
}

/// Changes a machine's name or default token lifetime.
pub(crate) async fn update(
    svc: &Services,
    id: &str,
    change: MachineChange,
) -> Result<MachineRecord> {
    let name = change.name.as_deref().map(checked_name).transpose()?;
    let ttl = change.default_token_ttl.map(checked_ttl).transpose()?;
    let mut work = UnitOfWork::begin(&svc.store).await?;
    let lock = svc.store.dialect().for_update();
    let mut record = machines::load(work.tx(), id, lock).await?;
    if let Some(name) = name {
        record.name_lower = name.to_lowercase();
        record.name = name;
    }
    if let Some(ttl) = ttl {
        record.default_token_ttl = ttl;
    }
    record.updated_at = svc.now_ms().max(record.created_at);
    machines::save(work.tx(), &record).await?;
    work.commit().await?;
    Ok(record)
}

/// Deletes a machine: its secret keys stop working and its tokens go with it.
pub(crate) async fn delete(svc: &Services, id: &str) -> Result<()> {
    let mut work = UnitOfWork::begin(&svc.store).await?;
    if !machines::delete(work.tx(), id).await? {
        return Err(StoreError::not_found("machine", id).into());
    }
    work.commit().await?;
    Ok(())
}

/// The machine's current secret key, opened from the vault.
pub(crate) fn secret_key(svc: &Services, record: &MachineRecord) -> Result<Secret> {
    svc.keys
        .vault()
        .open(&context(&record.id), record.secret_key.expose())
        .map_err(|e| {
            Error::Internal(format!(
                "the secret key of {} cannot be read: {e}",
                record.id
            ))
        })
}

/// Gives a machine a new secret key; the previous one keeps working for
/// `previous_token_ttl` seconds (0: it stops at once).
pub(crate) async fn rotate_secret_key(
    svc: &Services,
    id: &str,
    previous_token_ttl: i64,
) -> Result<Secret> {
    let (min, max) = PREVIOUS_KEY_TTL;
    if !(min..=max).contains(&previous_token_ttl) {
        return Err(Rule::value_invalid(
            "previous_token_ttl",
            format!("previous_token_ttl must be between {min} and {max} seconds."),
        )
        .into());
    }
    let now = svc.now_ms();
    let mut work = UnitOfWork::begin(&svc.store).await?;
    let lock = svc.store.dialect().for_update();
    let mut record = machines::load(work.tx(), id, lock).await?;
    let (secret, sealed) = new_secret(svc, id);
    let grace_until = (previous_token_ttl > 0).then(|| now + previous_token_ttl * 1000);
    machines::retire_secret_digests(work.tx(), id, grace_until, now).await?;
    machines::insert_secret_digest(work.tx(), id, &secret_key_hash(secret.expose()), now).await?;
    record.secret_key = sealed;
    record.updated_at = now.max(record.created_at);
    machines::save(work.tx(), &record).await?;
    work.commit().await?;
    Ok(secret)
}

/// Lets machine `from` call machine `to`.
pub(crate) async fn add_scope(svc: &Services, from: &str, to: &str) -> Result<MachineScope> {
    if from == to {
        return Err(Rule::refused(
            "machine_scope_invalid",
            "is invalid",
            "A machine cannot be scoped to itself.",
        )
        .with_param("to_machine_id")
        .into());
    }
    let now = svc.now_ms();
    let mut work = UnitOfWork::begin(&svc.store).await?;
    let dialect = svc.store.dialect();
    // The machine is locked, so its scopes are counted one change at a time.
    machines::load(work.tx(), from, dialect.for_update()).await?;
    if machines::existing_ids(work.tx(), &[to.to_owned()], dialect.for_share())
        .await?
        .is_empty()
    {
        return Err(StoreError::not_found("machine", to).into());
    }
    if machines::scope_ids_in(work.tx(), from)
        .await?
        .iter()
        .any(|id| id == to)
    {
        return Err(Rule::refused(
            "duplicate_record",
            "duplicate record",
            format!("Machine {from} is already scoped to machine {to}."),
        )
        .with_kind(RuleKind::Conflict)
        .with_param("to_machine_id")
        .into());
    }
    if machines::count_scopes(work.tx(), from).await? >= MAX_SCOPES as i64 {
        return Err(Rule::refused(
            "machine_scopes_limit_reached",
            "too many scopes",
            format!("A machine can have at most {MAX_SCOPES} scoped machines."),
        )
        .into());
    }
    let scope = MachineScope {
        from_machine_id: from.to_owned(),
        to_machine_id: to.to_owned(),
        created_at: now,
    };
    machines::insert_scope(work.tx(), &scope).await?;
    work.commit().await?;
    Ok(scope)
}

/// Stops machine `from` from calling machine `to`.
pub(crate) async fn remove_scope(svc: &Services, from: &str, to: &str) -> Result<()> {
    let mut work = UnitOfWork::begin(&svc.store).await?;
    machines::load(work.tx(), from, svc.store.dialect().for_update()).await?;
    if !machines::delete_scope(work.tx(), from, to).await? {
        return Err(StoreError::not_found("machine scope", to).into());
    }
    work.commit().await?;
    Ok(())
}
