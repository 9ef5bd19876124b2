//! Arbitrary bytes as a JWKS response body.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| clerk_sdk::verify::fuzz::parse_jwks(data));
