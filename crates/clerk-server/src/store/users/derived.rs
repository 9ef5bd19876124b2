//! The columns of a user row derived from the rest of the user: the sort keys of `order_by`
//! (the primary email, phone and wallet) and the lowercase haystacks of the
//! `query`/`*_query` filters. One function computes them for every way a row is written
//! (create, update, bulk seeding), so the filters see the same thing whichever way a user
//! came in.

use super::User;
use crate::domain::identifiers::IdentifierKind;
use crate::store::sql::Arg;

/// The derived columns of one user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct DerivedColumns {
    sort_email: Option<String>,
    sort_phone: Option<String>,
    sort_web3: Option<String>,
    search_all: String,
    search_email: String,
    search_phone: String,
    search_username: String,
    search_name: String,
}

impl DerivedColumns {
    /// The column names, in the order of [`DerivedColumns::args`].
    pub(crate) const COLUMNS: &'static [&'static str] = &[
        "sort_email",
        "sort_phone",
        "sort_web3",
        "search_all",
        "search_email",
        "search_phone",
        "search_username",
        "search_name",
    ];

    /// [`DerivedColumns::COLUMNS`] as a comma-separated list.
    pub(crate) const NAMES: &'static str = "sort_email, sort_phone, sort_web3, search_all, \
        search_email, search_phone, search_username, search_name";

    /// The derived columns of `user` as it is now.
    pub(crate) fn of(user: &User) -> Self {
        let joined = |kind| {
            user.of_kind(kind)
                .map(|i| i.value.to_lowercase())
                .collect::<Vec<_>>()
                .join("\n")
        };
        let r = &user.record;
        let name = [r.first_name.as_deref(), r.last_name.as_deref()]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase();
        let username = r.username.clone().unwrap_or_default().to_lowercase();
        let (email, phone, web3) = (
            joined(IdentifierKind::EmailAddress),
            joined(IdentifierKind::PhoneNumber),
            joined(IdentifierKind::Web3Wallet),
        );
        let all = [
            r.id.to_lowercase(),
            username.clone(),
            name.clone(),
            email.clone(),
            phone.clone(),
            web3,
        ]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join("\n");
        let primary = |kind| user.primary(kind).map(|i| i.value.clone());
        Self {
            sort_email: primary(IdentifierKind::EmailAddress),
            sort_phone: primary(IdentifierKind::PhoneNumber),
            sort_web3: primary(IdentifierKind::Web3Wallet),
            search_all: all,
            search_email: email,
            search_phone: phone,
            search_username: username,
            search_name: name,
        }
    }

    /// The values, in the order of [`DerivedColumns::COLUMNS`].
    pub(crate) fn args(&self) -> Vec<Arg> {
        vec![
            self.sort_email.clone().into(),
            self.sort_phone.clone().into(),
            self.sort_web3.clone().into(),
            self.search_all.clone().into(),
            self.search_email.clone().into(),
            self.search_phone.clone().into(),
            self.search_username.clone().into(),
            self.search_name.clone().into(),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_columns_agree() {
        assert_eq!(DerivedColumns::NAMES, DerivedColumns::COLUMNS.join(", "));
    }
}
