//! Organization invitations: inviting an email address into an organization with a role
//! (an email in the outbox unless `notify` is false), in bulk, and revoking.
