//! Organization domains: a domain name claimed by one organization, with how users of that
//! domain may join it (its enrollment mode) and its verification.
