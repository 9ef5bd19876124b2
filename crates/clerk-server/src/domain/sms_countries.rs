//! The instance's SMS country blocklist (`/v1/instance/communication`): no SMS goes to a
//! phone number of a blocked country. The country of a number is read with the
//! `phonenumber` crate (Google's libphonenumber metadata), so numbers of calling codes that
//! several countries share (+1, +7, +44, ...) get their own country.

use super::error::{Result, Rule};
use crate::store::{UnitOfWork, instance};

/// The ISO 3166-1 alpha-2 country of an E.164 number, if the metadata knows it.
pub(crate) fn country_of(e164: &str) -> Option<String> {
    let number = phonenumber::parse(None, e164).ok()?;
    let id = number.country().id()?;
    Some(id.as_ref().to_owned())
}

/// Refuses (`unsupported_country_code` on `phone_number`, invalid input) an SMS to `to` when its
/// country is on the instance's blocklist, read in `work`.
pub(crate) async fn refuse_blocked(work: &mut UnitOfWork, to: &str) -> Result<()> {
    let blocked = instance::load(work.tx(), "")
        .await?
        .settings
        .blocked_country_codes;
    if blocked.is_empty() {
        return Ok(());
    }
    match country_of(to) {
        Some(country) if blocked.contains(&country) => Err(Rule::input(
            "unsupported_country_code",
            "phone_number",
            "is not supported",
            format!("SMS messages to phone numbers of {country} are blocked on this instance."),
        )
        .into()),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::country_of;

    #[test]
    fn numbers_of_shared_calling_codes_get_their_own_country() {
        assert_eq!(country_of("+12127361234").as_deref(), Some("US"));
        assert_eq!(country_of("+14163921234").as_deref(), Some("CA"));
        assert_eq!(country_of("+18769261234").as_deref(), Some("JM"));
        assert_eq!(country_of("+442079460000").as_deref(), Some("GB"));
        assert_eq!(country_of("+447911123456").as_deref(), Some("GG"));
        assert_eq!(country_of("+33612345678").as_deref(), Some("FR"));
        assert_eq!(country_of("+77012345678").as_deref(), Some("KZ"));
        assert_eq!(country_of("+79123456789").as_deref(), Some("RU"));
        assert_eq!(country_of("+999"), None);
    }
}
