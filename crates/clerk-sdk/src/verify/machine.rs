//! JWT-format machine tokens, checked networkless with the verifier's keys: M2M tokens
//! (`cat` = Clerk's M2M category, `sub` = `mch_…`) and OAuth access tokens (`typ: at+jwt`).
//! Session verification refuses both ([`Reason::WrongTokenType`]); these entry points accept
//! only their own kind, so neither can pass for a session or for the other.

use super::claims::{self, Claims, Policy};
use super::jwt::{self, Accept};
use super::{Keys, Reason, Verifier, VerifyError, required_kid};

/// Which JWT machine token to accept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum MachineJwt {
    /// An M2M token: its subject must be a machine (`mch_…`).
    M2m,
    /// An OAuth access token.
    OAuth,
}

/// Time and issuer, as for session tokens; no session, no `azp`, no session status.
pub(super) fn policy_for_machines(session: &Policy) -> Policy {
    Policy {
        authorized_parties: Vec::new(),
        require_authorized_party: false,
        allow_pending: true,
        require_session_id: false,
        ..session.clone()
    }
}

impl Verifier {
    /// Verifies a JWT machine token of `kind` with this verifier's keys (fetching the JWKS
    /// only for an unknown `kid`, as for session tokens) and returns its claims.
    pub(crate) async fn verify_machine_jwt(
        &self,
        token: &str,
        kind: MachineJwt,
    ) -> Result<Claims, VerifyError> {
        let inner = &*self.inner;
        let accept = match kind {
            MachineJwt::M2m => Accept::M2m,
            MachineJwt::OAuth => Accept::OAuthAccess,
        };
        let unverified = jwt::parse(token, inner.max_token_len, accept)?;
        let key = match &inner.keys {
            Keys::Pem(key) => std::sync::Arc::clone(key),
            Keys::Jwks(cache) => cache.key_for(required_kid(&unverified)?).await?,
        };
        key.verify(unverified.signing_input.as_bytes(), &unverified.signature)?;
        let claims = claims::decode(&unverified.payload)?;
        inner.machine_policy.check(&claims, inner.now())?;
        if kind == MachineJwt::M2m && !claims.sub.starts_with("mch_") {
            return Err(VerifyError::with_detail(
                Reason::WrongTokenType,
                "an M2M token's subject is a machine (mch_…)",
            ));
        }
        Ok(claims)
    }
}
