//! Test support for Clerk's OpenAPI specs.
