//! Role sets: the roles an organization may give, with its default and creator roles.
