//! Identifiers: validation and normalisation of email addresses, phone numbers, web3 wallets
//! and usernames, in one place so that creating, filtering and uniqueness agree.
//!
//! Choices where Clerk documents no exact rule:
//! - email addresses and usernames are stored lowercase and match case-insensitively;
//! - phone numbers must be E.164 (`+` and 7 to 15 digits); spaces, dashes, dots and
//!   parentheses are removed first, so `+1 (555) 555-0100` is `+15555550100`;
//! - web3 wallets are Ethereum addresses (`0x` + 40 hex digits, stored lowercase) or Solana
//!   addresses (32 to 44 base58 characters, stored as given);
//! - usernames have 4 to 64 characters among `a-z`, `0-9`, `_` and `-`, and at least one
//!   that is not a digit (Clerk's defaults).

use crate::domain::error::Rule;

/// The kinds of identification a user holds; each has Clerk's `idn_` ids.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum IdentifierKind {
    EmailAddress,
    PhoneNumber,
    Web3Wallet,
}

impl IdentifierKind {
    /// The name used for the `object` field, the request parameter and the database.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            IdentifierKind::EmailAddress => "email_address",
            IdentifierKind::PhoneNumber => "phone_number",
            IdentifierKind::Web3Wallet => "web3_wallet",
        }
    }

    /// The inverse of [`IdentifierKind::as_str`].
    pub(crate) fn parse(s: &str) -> Option<Self> {
        match s {
            "email_address" => Some(IdentifierKind::EmailAddress),
            "phone_number" => Some(IdentifierKind::PhoneNumber),
            "web3_wallet" => Some(IdentifierKind::Web3Wallet),
            _ => None,
        }
    }

    /// Words for messages: "email address".
    pub(crate) fn words(self) -> &'static str {
        match self {
            IdentifierKind::EmailAddress => "email address",
            IdentifierKind::PhoneNumber => "phone number",
            IdentifierKind::Web3Wallet => "web3 wallet",
        }
    }

    /// Validates and normalises a value of this kind, naming `param` in errors.
    pub(crate) fn normalize(self, param: &str, raw: &str) -> Result<String, Rule> {
        match self {
            IdentifierKind::EmailAddress => normalize_email(param, raw),
            IdentifierKind::PhoneNumber => normalize_phone(param, raw),
            IdentifierKind::Web3Wallet => normalize_web3_wallet(param, raw),
        }
    }

    /// Normalises a filter value; values that cannot be valid are kept as typed (they simply
    /// match nothing, as Clerk ignores unknown values).
    pub(crate) fn normalize_filter(self, raw: &str) -> String {
        self.normalize(self.as_str(), raw)
            .unwrap_or_else(|_| raw.trim().to_owned())
    }
}

/// A valid email address, lowercased.
pub(crate) fn normalize_email(param: &str, raw: &str) -> Result<String, Rule> {
    let email = raw.trim().to_lowercase();
    let invalid = || Rule::format_invalid(param, format!("{param} must be a valid email address."));
    let (local, domain) = email.rsplit_once('@').ok_or_else(invalid)?;
    if email.len() > 254 || !is_valid_local_part(local) || !is_valid_domain(domain) {
        return Err(invalid());
    }
    Ok(email)
}

/// Whether `local` is a valid (unquoted) email local part.
pub(crate) fn is_valid_local_part(local: &str) -> bool {
    const SPECIALS: &str = "!#$%&'*+/=?^_`{|}~-.";
    !local.is_empty()
        && local.len() <= 64
        && !local.starts_with('.')
        && !local.ends_with('.')
        && !local.contains("..")
        && local
            .chars()
            .all(|c| c.is_alphanumeric() || SPECIALS.contains(c))
}

/// Whether `domain` is a valid host name with at least two labels.
pub(crate) fn is_valid_domain(domain: &str) -> bool {
    let labels: Vec<&str> = domain.split('.').collect();
    labels.len() >= 2
        && domain.len() <= 253
        && labels.iter().all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label.chars().all(|c| c.is_alphanumeric() || c == '-')
        })
}

/// A valid E.164 phone number, separators removed.
pub(crate) fn normalize_phone(param: &str, raw: &str) -> Result<String, Rule> {
    let phone: String = raw
        .trim()
        .chars()
        .filter(|c| !matches!(c, ' ' | '-' | '.' | '(' | ')'))
        .collect();
    let digits = phone.strip_prefix('+').unwrap_or("");
    let valid = (7..=15).contains(&digits.len())
        && digits.bytes().all(|b| b.is_ascii_digit())
        && !digits.starts_with('0');
    if valid {
        Ok(phone)
    } else {
        Err(Rule::format_invalid(
            param,
            format!(
                "{param} must be a valid phone number according to E.164 international standard."
            ),
        ))
    }
}

/// A valid web3 wallet address (Ethereum lowercased, Solana as given).
pub(crate) fn normalize_web3_wallet(param: &str, raw: &str) -> Result<String, Rule> {
    let wallet = raw.trim();
    const BASE58: &str = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
    if let Some(hex) = wallet
        .strip_prefix("0x")
        .or_else(|| wallet.strip_prefix("0X"))
    {
        if hex.len() == 40 && hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Ok(format!("0x{}", hex.to_ascii_lowercase()));
        }
    } else if (32..=44).contains(&wallet.len()) && wallet.chars().all(|c| BASE58.contains(c)) {
        return Ok(wallet.to_owned());
    }
    Err(Rule::format_invalid(
        param,
        format!("{param} must be a valid web3 wallet address."),
    ))
}

/// A valid username, lowercased.
pub(crate) fn normalize_username(param: &str, raw: &str) -> Result<String, Rule> {
    let username = raw.trim().to_lowercase();
    let len = username.chars().count();
    if !(4..=64).contains(&len) {
        return Err(Rule::input(
            "form_username_invalid_length",
            param,
            "is invalid",
            "Username must be between 4 and 64 characters long.",
        ));
    }
    if !username
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    {
        return Err(Rule::input(
            "form_username_invalid_character",
            param,
            "is invalid",
            "Username can only contain letters, numbers and '_' or '-'.",
        ));
    }
    if username.chars().all(|c| c.is_ascii_digit()) {
        return Err(Rule::input(
            "form_username_needs_non_number_char",
            param,
            "is invalid",
            "Username must contain at least one character that is not a number.",
        ));
    }
    Ok(username)
}

/// An allowlist entry: an email address, an email domain (`example.com` admits every
/// address at that domain), a phone number or a web3 wallet. Returns the normalised value
/// and its `identifier_type`.
pub(crate) fn classify_allowlist_identifier(raw: &str) -> Result<(String, IdentifierKind), Rule> {
    let value = raw.trim();
    // `*@example.com` is the domain `example.com`: both lists store a domain bare.
    let value = match value.strip_prefix("*@") {
        Some(domain) if is_valid_domain(&domain.to_lowercase()) => domain,
        _ => value,
    };
    let kind = if value.contains('@') {
        IdentifierKind::EmailAddress
    } else if value.starts_with('+') {
        IdentifierKind::PhoneNumber
    } else if value.starts_with("0x") || value.starts_with("0X") {
        IdentifierKind::Web3Wallet
    } else if is_valid_domain(&value.to_lowercase()) {
        return Ok((value.to_lowercase(), IdentifierKind::EmailAddress));
    } else {
        IdentifierKind::Web3Wallet
    };
    kind.normalize("identifier", value)
        .map(|v| (v, kind))
        .map_err(|_| {
            Rule::format_invalid(
                "identifier",
                "identifier must be either a valid email address, a valid phone number according to E.164 international standard or a valid web3 wallet.",
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails() {
        assert_eq!(
            normalize_email("e", " Ann@Example.COM ").unwrap(),
            "ann@example.com"
        );
        assert_eq!(
            normalize_email("e", "a.b+c@sub.example.co").unwrap(),
            "a.b+c@sub.example.co"
        );
        for bad in [
            "",
            "ann",
            "ann@",
            "@x.com",
            "ann@localhost",
            "a b@x.com",
            "a..b@x.com",
            "ann@-x.com",
        ] {
            assert_eq!(
                normalize_email("email_address", bad).unwrap_err().code,
                "form_param_format_invalid",
                "{bad}"
            );
        }
    }

    #[test]
    fn phones() {
        assert_eq!(
            normalize_phone("p", "+1 (555) 555-0100").unwrap(),
            "+15555550100"
        );
        for bad in [
            "15555550100",
            "+0123456789",
            "+12",
            "+1555abc0100",
            "+1234567890123456",
        ] {
            assert!(normalize_phone("p", bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn wallets() {
        let eth = "0xAbCdEf0123456789abcdef0123456789ABCDEF01";
        assert_eq!(
            normalize_web3_wallet("w", eth).unwrap(),
            "0xabcdef0123456789abcdef0123456789abcdef01"
        );
        let sol = "9xQeWvG816bUx9EPjHmaT23yvVM2ZWbrrpZb9PusVFin";
        assert_eq!(normalize_web3_wallet("w", sol).unwrap(), sol);
        assert!(normalize_web3_wallet("w", "0x123").is_err());
        assert!(normalize_web3_wallet("w", "not a wallet").is_err());
    }

    #[test]
    fn usernames() {
        assert_eq!(
            normalize_username("u", "Cool_User-1").unwrap(),
            "cool_user-1"
        );
        assert_eq!(
            normalize_username("u", "abc").unwrap_err().code,
            "form_username_invalid_length"
        );
        assert_eq!(
            normalize_username("u", "bad name").unwrap_err().code,
            "form_username_invalid_character"
        );
        assert_eq!(
            normalize_username("u", "123456").unwrap_err().code,
            "form_username_needs_non_number_char"
        );
    }

    #[test]
    fn allowlist_identifiers() {
        assert_eq!(
            classify_allowlist_identifier("A@X.com").unwrap(),
            ("a@x.com".to_owned(), IdentifierKind::EmailAddress)
        );
        assert_eq!(
            classify_allowlist_identifier("Example.org").unwrap(),
            ("example.org".to_owned(), IdentifierKind::EmailAddress)
        );
        assert_eq!(
            classify_allowlist_identifier("+15555550100").unwrap().1,
            IdentifierKind::PhoneNumber
        );
        assert_eq!(
            classify_allowlist_identifier("0xabcdef0123456789abcdef0123456789abcdef01")
                .unwrap()
                .1,
            IdentifierKind::Web3Wallet
        );
        assert!(classify_allowlist_identifier("nonsense").is_err());
        assert_eq!(
            classify_allowlist_identifier("*@Example.org").unwrap(),
            ("example.org".to_owned(), IdentifierKind::EmailAddress)
        );
    }
}
