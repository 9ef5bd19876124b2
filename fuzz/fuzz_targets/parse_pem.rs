//! Arbitrary bytes as a `CLERK_JWT_KEY` PEM.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| clerk_sdk::verify::fuzz::parse_pem(data));
