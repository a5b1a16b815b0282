//! Dates of the tenant's records: RFC 3339 date-times (`2026-11-02T10:01:02.123Z`, an offset,
//! or a bare date) to seconds since the Unix epoch, and back to a day for reports. Written by
//! hand: the audit needs day arithmetic only, and no date crate is in the dependency tree.

/// Seconds in a day.
pub const DAY: i64 = 86_400;

/// Days since 1970-01-01 of a civil date (proleptic Gregorian; H. Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The civil date of a day number.
fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

fn digits(s: &str, n: usize) -> Option<(i64, &str)> {
    if s.len() < n || !s.as_bytes()[..n].iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some((s[..n].parse().ok()?, &s[n..]))
}

/// Parses `YYYY-MM-DD`, optionally followed by `THH:MM[:SS[.fraction]]` (or a space instead
/// of `T`) and `Z` or `±HH:MM`/`±HHMM` (no offset: UTC). Seconds since the epoch, UTC.
pub fn parse(text: &str) -> Option<i64> {
    let s = text.trim();
    let (y, s) = digits(s, 4)?;
    let (mo, s) = digits(s.strip_prefix('-')?, 2)?;
    let (d, s) = digits(s.strip_prefix('-')?, 2)?;
    if !(1..=12).contains(&mo) || d < 1 || d > days_in_month(y, mo) {
        return None;
    }
    let day = days_from_civil(y, mo, d);
    if s.is_empty() {
        return Some(day * DAY);
    }
    let s = s.strip_prefix(['T', 't', ' '])?;
    let (h, s) = digits(s, 2)?;
    let (mi, mut s) = digits(s.strip_prefix(':')?, 2)?;
    let mut sec = 0;
    if let Some(rest) = s.strip_prefix(':') {
        let (v, rest) = digits(rest, 2)?;
        sec = v;
        s = rest;
        if let Some(frac) = s.strip_prefix('.') {
            let n = frac.bytes().take_while(u8::is_ascii_digit).count();
            if n == 0 {
                return None;
            }
            s = &frac[n..];
        }
    }
    if h > 23 || mi > 59 || sec > 60 {
        return None;
    }
    let offset = match s {
        "" | "Z" | "z" => 0,
        _ => {
            let sign = match s.as_bytes()[0] {
                b'+' => 1,
                b'-' => -1,
                _ => return None,
            };
            let rest = &s[1..];
            let (oh, rest) = digits(rest, 2)?;
            let rest = rest.strip_prefix(':').unwrap_or(rest);
            let (om, rest) = digits(rest, 2)?;
            if !rest.is_empty() || oh > 23 || om > 59 {
                return None;
            }
            sign * (oh * 3600 + om * 60)
        }
    };
    Some(day * DAY + h * 3600 + mi * 60 + sec - offset)
}

fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// `YYYY-MM-DD` of a time.
pub fn date(secs: i64) -> String {
    let (y, m, d) = civil_from_days(secs.div_euclid(DAY));
    format!("{y:04}-{m:02}-{d:02}")
}

/// Now, in seconds since the epoch (0 if the clock is before it).
pub fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

/// Whole days from `from` to `to` (floor).
pub fn days_between(from: i64, to: i64) -> i64 {
    (to - from).div_euclid(DAY)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_rfc3339_and_dates() {
        assert_eq!(parse("1970-01-01"), Some(0));
        assert_eq!(parse("1970-01-02T00:00:00Z"), Some(DAY));
        assert_eq!(
            parse("2026-11-02T10:01:02.123Z"),
            parse("2026-11-02T11:01:02+01:00")
        );
        assert_eq!(
            parse("2026-11-02T10:01:02.123456789-0130"),
            parse("2026-11-02T11:31:02Z")
        );
        assert_eq!(
            parse("2024-02-29"),
            Some(days_from_civil(2024, 2, 29) * DAY)
        );
        for bad in [
            "",
            "2026",
            "2026-13-01",
            "2025-02-29",
            "2026-01-01T25:00",
            "2026-01-01T10:00:00.Z",
            "2026-01-01X",
            "2026-01-01T10:00+5",
            "yesterday",
            "2026-1-01",
        ] {
            assert_eq!(parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn dates_round_trip() {
        for d in [-700_000, -1, 0, 1, 19_000, 20_454, 2_000_000] {
            let (y, m, dd) = civil_from_days(d);
            assert_eq!(days_from_civil(y, m, dd), d);
            assert_eq!(parse(&date(d * DAY)), Some(d * DAY));
        }
        assert_eq!(date(parse("2026-12-03T23:59:59Z").unwrap()), "2026-12-03");
        assert_eq!(
            days_between(
                parse("2026-01-01").unwrap(),
                parse("2026-04-01T12:00Z").unwrap()
            ),
            90
        );
    }
}
