//! The verification paths measured side by side: the bare RS256 check with a key parsed once
//! (the floor); the whole `Verifier` with a warm JWKS cache and with a PEM key, with the
//! verified-token cache off (every token checked in full); and with that cache on, a
//! repeated token (a hit) and first-seen tokens (a miss, then remembered, evicting the
//! oldest). Shared by the criterion bench and the callgrind driver.

#[path = "../../tests/verify_common/mod.rs"]
mod verify_common;

use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll, Waker};

use aws_lc_rs::signature::{ParsedPublicKey, RSA_PKCS1_2048_8192_SHA256};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use clerk_sdk::verify::{Claims, Verifier};
use verify_common::{JwksServer, TestKey, now, session_claims};

/// How many distinct tokens the first-seen case cycles through, and the verified-token
/// cache it runs with: smaller, so every token has been evicted before it comes back and
/// each verification pays for a miss, a full check, an insertion and an eviction.
pub const FIRST_SEEN_TOKENS: usize = 256;
const FIRST_SEEN_CACHE: usize = 64;

pub struct Fixture {
    pub token: String,
    /// Distinct tokens (their `jti` differs), for the first-seen case.
    pub first_seen: Vec<String>,
    signing_input: Vec<u8>,
    signature: Vec<u8>,
    bare_key: ParsedPublicKey,
    pub jwks: Verifier,
    pub pem: Verifier,
    /// The default verifier (verified-token cache on), warmed with `token`.
    pub cached: Verifier,
    /// A verifier with a small verified-token cache, for first-seen tokens.
    pub cached_small: Verifier,
    // Keeps the JWKS server alive (it is only asked once, to warm the cache).
    _runtime: tokio::runtime::Runtime,
}

impl Fixture {
    /// The fixed test key (reproducible instruction counts) and a Clerk v2 session token.
    pub fn new() -> Self {
        let key = TestKey::fixed("ins_2x3YnFq7bP9kLmN4oR8sT1uVwXz");
        let mut claims = session_claims(now());
        // Valid for the whole run.
        claims["exp"] = serde_json::json!(now() + 3600);
        let token = key.token(&claims);
        let first_seen = (0..FIRST_SEEN_TOKENS)
            .map(|i| {
                let mut claims = claims.clone();
                claims["jti"] = serde_json::json!(format!("2b8f0c1e6b1f4ad0a7{i:03}"));
                key.token(&claims)
            })
            .collect::<Vec<_>>();
        let (signing_input, signature) = token.rsplit_once('.').unwrap();
        let signature = URL_SAFE_NO_PAD.decode(signature).unwrap();

        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap();
        let [jwks, cached, cached_small] = runtime.block_on(async {
            let server = JwksServer::start(&[&key]).await;
            let build = |cache: usize| {
                Verifier::builder_jwks_url(&server.url)
                    .unwrap()
                    .verified_token_cache(cache)
                    .build()
                    .unwrap()
            };
            let verifiers = [
                build(0),
                build(clerk_sdk::verify::DEFAULT_VERIFIED_TOKEN_CACHE),
                build(FIRST_SEEN_CACHE),
            ];
            for verifier in &verifiers {
                verifier
                    .verify_token(&token)
                    .await
                    .expect("warm-up verification");
            }
            std::mem::forget(server);
            verifiers
        });
        let pem = Verifier::builder_pem(key.pem())
            .verified_token_cache(0)
            .build()
            .unwrap();
        let fixture = Fixture {
            bare_key: ParsedPublicKey::new(&RSA_PKCS1_2048_8192_SHA256, key.spki_der()).unwrap(),
            signing_input: signing_input.as_bytes().to_vec(),
            signature,
            token,
            first_seen,
            jwks,
            pem,
            cached,
            cached_small,
            _runtime: runtime,
        };
        // All must succeed, or the comparison means nothing.
        fixture.bare();
        fixture.warm_jwks();
        fixture.pem();
        fixture.repeated();
        for i in 0..FIRST_SEEN_TOKENS {
            fixture.first_seen(i);
        }
        fixture
    }

    /// The floor: one RS256 signature check of the token's signing input, key parsed once,
    /// signature already decoded.
    pub fn bare(&self) {
        self.bare_key
            .verify_sig(&self.signing_input, &self.signature)
            .expect("bare check");
    }

    /// The whole verification, keys from the warm JWKS cache.
    pub fn warm_jwks(&self) -> Claims {
        ready(self.jwks.verify_token(&self.token)).expect("JWKS verification")
    }

    /// The whole verification with a PEM key.
    pub fn pem(&self) -> Claims {
        ready(self.pem.verify_token(&self.token)).expect("PEM verification")
    }

    /// A token the default verifier has verified before: a verified-token cache hit.
    pub fn repeated(&self) -> Claims {
        ready(self.cached.verify_token(&self.token)).expect("repeated verification")
    }

    /// The `i`-th first-seen token (cycling): a miss, the full check, then remembered.
    pub fn first_seen(&self, i: usize) -> Claims {
        let token = &self.first_seen[i % FIRST_SEEN_TOKENS];
        ready(self.cached_small.verify_token(token)).expect("first-seen verification")
    }
}

/// Polls a future once: the warm path must finish without waiting on anything (no I/O, no
/// lock held by a refresh), so a pending future is a failure, not something to wait for.
pub fn ready<F: Future>(future: F) -> F::Output {
    let mut future = pin!(future);
    match future
        .as_mut()
        .poll(&mut Context::from_waker(Waker::noop()))
    {
        Poll::Ready(output) => output,
        Poll::Pending => panic!("verification waited: the warm path must not do I/O"),
    }
}
