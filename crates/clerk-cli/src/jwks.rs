//! `clerk jwks`: the public keys session tokens are signed with.

use clerk_sdk::Jwks;

use crate::Context;
use crate::error::CliResult;
use crate::output::{Table, or_dash};

/// Examples for `clerk jwks --help`.
pub const EXAMPLES: &str = "\
Examples:
  clerk jwks
  clerk --json jwks > jwks.json";

/// Runs `clerk jwks` (`GET /v1/jwks`).
pub async fn run(ctx: &Context) -> CliResult {
    let raw = ctx.api()?.get("/jwks", &[]).await?;
    ctx.out().show(&raw, |jwks: Jwks| {
        let mut table = Table::new(["KID", "ALG", "USE", "TYPE", "BITS"]).when_empty("no keys");
        for key in &jwks.keys {
            // An RSA modulus of n bytes is ceil(n * 4 / 3) base64url characters.
            let bits = key.n.as_ref().map(|n| (n.len() * 3 / 4 * 8).to_string());
            table.row([
                key.kid.clone(),
                key.alg.clone(),
                key.key_use.clone(),
                key.kty.to_string(),
                or_dash(bits.as_deref()),
            ]);
        }
        table
    })
}
