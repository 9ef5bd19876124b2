//! The columns that hold secrets sealed by the [`Vault`], each with the context its values
//! are bound to, in one place: the domain seals and opens through [`SealedColumn::context`],
//! and [`reseal_all`] seals them anew at start when the vault's first key source changed
//! (a master key added, say), so that the old source can then be taken away.
//!
//! The signing keys are sealed too, but they are resealed by [`super::bootstrap`] with
//! their own store functions.

use super::vault::Vault;
use crate::error::Error;
use crate::secret::Secret;
use crate::store::sealed;
use sqlx::AnyConnection;

/// A column of sealed secrets.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum SealedColumn {
    /// `users.totp_secret`: a user's TOTP secret.
    TotpSecret,
    /// `machines.secret_key`: a machine's current secret key.
    MachineSecretKey,
    /// `m2m_tokens.token`: an opaque M2M token, kept for token reuse.
    M2mToken,
    /// `api_keys.secret_sealed`: an API key's secret.
    ApiKeySecret,
    /// `jwt_templates.signing_key`: a template's own signing key.
    JwtTemplateKey,
}

impl SealedColumn {
    /// Every sealed column.
    pub(crate) const ALL: [SealedColumn; 5] = [
        SealedColumn::TotpSecret,
        SealedColumn::MachineSecretKey,
        SealedColumn::M2mToken,
        SealedColumn::ApiKeySecret,
        SealedColumn::JwtTemplateKey,
    ];

    /// Its table and column.
    fn place(self) -> sealed::Column {
        let (table, column) = match self {
            SealedColumn::TotpSecret => ("users", "totp_secret"),
            SealedColumn::MachineSecretKey => ("machines", "secret_key"),
            SealedColumn::M2mToken => ("m2m_tokens", "token"),
            SealedColumn::ApiKeySecret => ("api_keys", "secret_sealed"),
            SealedColumn::JwtTemplateKey => ("jwt_templates", "signing_key"),
        };
        sealed::Column { table, column }
    }

    /// The context a value of the row `id` is sealed with: a value copied to another row,
    /// or to another column of the same row, does not open.
    pub(crate) fn context(self, id: &str) -> String {
        match self {
            SealedColumn::TotpSecret => format!("{id}:totp"),
            SealedColumn::MachineSecretKey => format!("{id}:secret_key"),
            SealedColumn::M2mToken => format!("{id}:m2m_token"),
            SealedColumn::ApiKeySecret | SealedColumn::JwtTemplateKey => id.to_owned(),
        }
    }
}

/// Seals anew, under the vault's first source, every sealed value stored under another
/// (or stored in plain text); how many. Fails, naming the row, when a value cannot be
/// opened: the server was not given the key it was sealed with.
pub(crate) async fn reseal_all(conn: &mut AnyConnection, vault: &Vault) -> Result<usize, Error> {
    let prefix = vault.current_prefix();
    let mut count = 0;
    for column in SealedColumn::ALL {
        let place = column.place();
        for (id, stored) in sealed::stale(conn, place, &prefix).await? {
            let context = column.context(&id);
            let plain = vault.open(&context, stored.expose()).map_err(|err| {
                Error::InvalidConfig(format!(
                    "the secret in {}.{} of {id} cannot be read: {err}",
                    place.table, place.column
                ))
            })?;
            let fresh = Secret::new(vault.seal(&context, plain.expose().as_bytes()));
            sealed::replace(conn, place, &id, &stored, &fresh).await?;
            count += 1;
        }
    }
    Ok(count)
}
