//! Arbitrary bytes as a session token: the parser alone, then full verification with the
//! fixed key `keys/public.pem` and a clock stopped at `FIXED_NOW`.
#![no_main]

use std::sync::LazyLock;

use clerk_sdk::verify::{Verifier, fuzz};
use libfuzzer_sys::fuzz_target;

static VERIFIER: LazyLock<Verifier> =
    LazyLock::new(|| fuzz::fixed_verifier(include_str!("../keys/public.pem")));

fuzz_target!(|data: &[u8]| {
    fuzz::parse_token(data);
    let _ = fuzz::verify_token(&VERIFIER, data);
});
