//! The `clerk` command.
fn main() {}
