//! Timestamps: the API's Unix milliseconds shown as UTC dates, and dates typed on the command
//! line read back as milliseconds. Hand-written civil-calendar arithmetic (proleptic
//! Gregorian, UTC only) keeps the CLI free of a date library.

/// `2024-10-29 08:30:05 UTC` for Unix milliseconds.
pub fn format_ms(ms: i64) -> String {
    let secs = ms.div_euclid(1000);
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    let (year, month, day) = civil_from_days(days);
    format!(
        "{year:04}-{month:02}-{day:02} {:02}:{:02}:{:02} UTC",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// `format_ms` for an optional timestamp; `-` when absent.
pub fn format_opt_ms(ms: Option<i64>) -> String {
    ms.map_or_else(|| "-".to_owned(), format_ms)
}

/// Reads a point in time given on the command line as Unix milliseconds (`1730160000000`),
/// a date (`2024-10-29`, midnight UTC) or an RFC 3339 UTC time (`2024-10-29T08:30:00Z`,
/// fractions of a second allowed).
pub fn parse_ms(text: &str) -> Result<i64, String> {
    let text = text.trim();
    if let Ok(ms) = text.parse::<i64>() {
        return Ok(ms);
    }
    let invalid = || {
        format!(
            "{text:?} is not a time: give Unix milliseconds, a date (2024-10-29) or a UTC time (2024-10-29T08:30:00Z)"
        )
    };
    let (date, time) = match text.split_once(['T', ' ']) {
        Some((date, time)) => (date, Some(time)),
        None => (text, None),
    };
    let mut parts = date.splitn(3, '-');
    let mut number = |max: i64| -> Result<i64, String> {
        let n: i64 = parts
            .next()
            .and_then(|p| p.parse().ok())
            .ok_or_else(invalid)?;
        if (0..=max).contains(&n) {
            Ok(n)
        } else {
            Err(invalid())
        }
    };
    let (year, month, day) = (number(9999)?, number(12)?, number(31)?);
    let days = days_from_civil(year, month, day);
    // 2024-02-30 would silently become March 1st.
    if month == 0 || day == 0 || civil_from_days(days) != (year, month, day) {
        return Err(invalid());
    }
    let mut ms = days * 86_400_000;
    if let Some(time) = time {
        let time = time.strip_suffix(['Z', 'z']).ok_or_else(|| {
            format!("{text:?}: only UTC times are understood; end the time with Z")
        })?;
        let (hms, fraction) = match time.split_once('.') {
            Some((hms, fraction)) => (hms, Some(fraction)),
            None => (time, None),
        };
        let fields: Vec<i64> = hms
            .split(':')
            .map(|f| f.parse::<i64>().map_err(|_| invalid()))
            .collect::<Result<_, _>>()?;
        let [hours, minutes, seconds] = match fields.as_slice() {
            [h, m] => [*h, *m, 0],
            [h, m, s] => [*h, *m, *s],
            _ => return Err(invalid()),
        };
        if hours > 23 || minutes > 59 || seconds > 60 || hours < 0 || minutes < 0 || seconds < 0 {
            return Err(invalid());
        }
        ms += (hours * 3600 + minutes * 60 + seconds) * 1000;
        if let Some(fraction) = fraction {
            if fraction.is_empty() || !fraction.bytes().all(|b| b.is_ascii_digit()) {
                return Err(invalid());
            }
            let millis: String = fraction.chars().chain("000".chars()).take(3).collect();
            ms += millis.parse::<i64>().map_err(|_| invalid())?;
        }
    }
    Ok(ms)
}

/// Days since 1970-01-01 of a civil date.
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let month_index = (month + 9) % 12; // March is 0
    let day_of_year = (153 * month_index + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// The civil date of a day count since 1970-01-01.
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z - era * 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_index = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * month_index + 2) / 5 + 1;
    let month = if month_index < 10 {
        month_index + 3
    } else {
        month_index - 9
    };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// Reads a duration given on the command line: a whole number followed by a unit, `ms`,
/// `s`, `m`, `h` or `d` (`500ms`, `5s`, `30m`, `2h`); a bare number is seconds.
pub fn parse_duration(text: &str) -> Result<std::time::Duration, String> {
    let text = text.trim();
    let split = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let invalid = || {
        format!(
            "{text:?} is not a duration: give a number and a unit, such as 500ms, 5s, 30m, 2h or 1d"
        )
    };
    let number: u64 = number.parse().map_err(|_| invalid())?;
    let ms_per_unit: u64 = match unit.trim() {
        "ms" => 1,
        "" | "s" => 1_000,
        "m" => 60_000,
        "h" => 3_600_000,
        "d" => 86_400_000,
        _ => return Err(invalid()),
    };
    number
        .checked_mul(ms_per_unit)
        .map(std::time::Duration::from_millis)
        .ok_or_else(invalid)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_utc() {
        assert_eq!(format_ms(0), "1970-01-01 00:00:00 UTC");
        assert_eq!(format_ms(1_730_160_000_000), "2024-10-29 00:00:00 UTC");
        assert_eq!(format_ms(951_827_696_789), "2000-02-29 12:34:56 UTC");
        assert_eq!(format_opt_ms(None), "-");
    }

    #[test]
    fn parses_what_it_formats() {
        assert_eq!(parse_ms("1730160000000"), Ok(1_730_160_000_000));
        assert_eq!(parse_ms("2024-10-29"), Ok(1_730_160_000_000));
        assert_eq!(parse_ms("2000-02-29T12:34:56.789Z"), Ok(951_827_696_789));
        assert_eq!(parse_ms("2000-02-29T12:34Z"), Ok(951_827_640_000));
        assert_eq!(parse_ms("1969-12-31"), Ok(-86_400_000));
        for bad in [
            "yesterday",
            "2024-13-01",
            "2023-02-29",
            "2024-10-29T08:30:00+02:00",
            "2024-10-29T25:00Z",
            "2024-10",
            "2024-10-29T08:30:00.Z",
        ] {
            assert!(parse_ms(bad).is_err(), "{bad}");
        }
        for day in [-800_000, -1, 0, 1, 11_016, 2_932_896] {
            let (y, m, d) = civil_from_days(day);
            assert_eq!(days_from_civil(y, m, d), day);
        }
    }

    #[test]
    fn durations_read_with_units() {
        use std::time::Duration;
        assert_eq!(parse_duration("500ms"), Ok(Duration::from_millis(500)));
        assert_eq!(parse_duration(" 5s "), Ok(Duration::from_secs(5)));
        assert_eq!(parse_duration("30m"), Ok(Duration::from_secs(1800)));
        assert_eq!(parse_duration("2h"), Ok(Duration::from_secs(7200)));
        assert_eq!(parse_duration("1d"), Ok(Duration::from_secs(86_400)));
        assert_eq!(parse_duration("7"), Ok(Duration::from_secs(7)));
        for bad in [
            "",
            "s",
            "1.5s",
            "-1s",
            "5 minutes",
            "1w",
            "99999999999999999999d",
        ] {
            assert!(parse_duration(bad).is_err(), "{bad}");
        }
    }
}
