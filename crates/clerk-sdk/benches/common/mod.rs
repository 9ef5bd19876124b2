//! The three verification paths measured side by side, on one token: the bare RS256 check
//! with a key parsed once (the floor), and the whole `Verifier` with a warm JWKS cache and
//! with a PEM key. Shared by the criterion bench and the callgrind driver.

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

pub struct Fixture {
    pub token: String,
    signing_input: Vec<u8>,
    signature: Vec<u8>,
    bare_key: ParsedPublicKey,
    pub jwks: Verifier,
    pub pem: Verifier,
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
        let (signing_input, signature) = token.rsplit_once('.').unwrap();
        let signature = URL_SAFE_NO_PAD.decode(signature).unwrap();

        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap();
        let jwks = runtime.block_on(async {
            let server = JwksServer::start(&[&key]).await;
            let verifier = Verifier::from_jwks_url(&server.url).unwrap();
            verifier
                .verify_token(&token)
                .await
                .expect("warm-up verification");
            std::mem::forget(server);
            verifier
        });
        let pem = Verifier::from_pem(&key.pem()).unwrap();
        let fixture = Fixture {
            bare_key: ParsedPublicKey::new(&RSA_PKCS1_2048_8192_SHA256, key.spki_der()).unwrap(),
            signing_input: signing_input.as_bytes().to_vec(),
            signature,
            token,
            jwks,
            pem,
            _runtime: runtime,
        };
        // All three must succeed, or the comparison means nothing.
        fixture.bare();
        fixture.warm_jwks();
        fixture.pem();
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
