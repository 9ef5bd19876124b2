//! The instance's organization permissions and roles: creating, changing and deleting them,
//! and assigning permissions to roles. Clerk's system permissions (`org:sys_*`) cannot be
//! changed.
