//! Organization domains: claiming a domain for an organization, its enrollment mode and
//! verification.
