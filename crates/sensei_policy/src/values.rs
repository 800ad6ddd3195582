//! Typed condition values (numbers, dates, IP ranges): parsing as IAM reads them, and, for the witness
//! search, one value in each class the policy's constants split the line (or address space) into.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// A decimal number (`"1.2"`, `"10"`, `"-3e2"`); not infinities or NaN.
pub(crate) fn parse_number(text: &str) -> Option<f64> {
    let x: f64 = text.trim().parse().ok()?;
    x.is_finite().then_some(x)
}

/// Digits after the decimal point as written (`"1.25"` → 2), used to pick readable neighbours.
fn decimals(text: &str) -> usize {
    text.split_once('.').map(|(_, frac)| frac.chars().take_while(char::is_ascii_digit).count()).unwrap_or(0)
}

/// Numbers in every class the constants define: each constant, one just below and just above it (in the
/// constant's own precision, `1.2` → `1.1`, `1.3`), and exact midpoints and outer points as a backstop.
pub(crate) fn number_candidates(constants: &[&str]) -> Vec<String> {
    let mut points: Vec<(f64, usize)> =
        constants.iter().filter_map(|t| parse_number(t).map(|x| (x, decimals(t)))).collect();
    points.sort_by(|a, b| a.0.total_cmp(&b.0));
    points.dedup_by(|a, b| a.0 == b.0);
    let mut out = Vec::new();
    for &(x, d) in &points {
        let step = 10f64.powi(-i32::try_from(d).unwrap_or(0));
        out.push(format!("{x}"));
        out.push(format!("{:.*}", d, x - step));
        out.push(format!("{:.*}", d, x + step));
    }
    for pair in points.windows(2) {
        if let [(a, _), (b, _)] = pair {
            out.push(format!("{}", a / 2.0 + b / 2.0));
        }
    }
    if let (Some((lo, _)), Some((hi, _))) = (points.first(), points.last()) {
        out.push(format!("{}", lo - lo.abs() / 2.0 - 1.0));
        out.push(format!("{}", hi + hi.abs() / 2.0 + 1.0));
    }
    if out.is_empty() {
        out.push("1".to_owned());
    }
    out
}

/// A date as milliseconds since the Unix epoch: W3C ISO 8601 (`2020-01-01`, `2020-01-01T00:00:01Z`,
/// `2020-01-01T00:00:01.5+02:00`, basic `20130930T231548Z`) or epoch seconds (`1577836801`).
pub(crate) fn parse_date(text: &str) -> Option<i64> {
    let t = text.trim();
    let numeric =
        !t.is_empty() && t.chars().enumerate().all(|(i, c)| c.is_ascii_digit() || c == '.' || (i == 0 && c == '-'));
    // A bare year (`2020`) or basic-format date (`20200101`) is ISO; any other number is epoch seconds.
    let iso_digits = (t.len() == 4 || t.len() == 8) && t.chars().all(|c| c.is_ascii_digit());
    if numeric && !iso_digits {
        let secs: f64 = t.parse().ok()?;
        return secs.is_finite().then(|| (secs * 1000.0).round() as i64);
    }
    parse_iso(t)
}

fn parse_iso(t: &str) -> Option<i64> {
    let (date, time) = match t.split_once(['T', 't']) {
        Some((d, rest)) => (d, Some(rest)),
        None => (t, None),
    };
    let (year, month, day) = if date.contains('-') {
        let mut parts = date.splitn(3, '-');
        let y = number_of(parts.next()?, 4)?;
        let m = parts.next().map(|m| number_of(m, 2)).unwrap_or(Some(1))?;
        let d = parts.next().map(|d| number_of(d, 2)).unwrap_or(Some(1))?;
        (y, m, d)
    } else {
        match date.len() {
            4 => (number_of(date, 4)?, 1, 1),
            8 => (number_of(date.get(0..4)?, 4)?, number_of(date.get(4..6)?, 2)?, number_of(date.get(6..8)?, 2)?),
            _ => return None,
        }
    };
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return None;
    }
    let mut millis = days_from_civil(year, month, day) * 86_400_000;
    if let Some(time) = time {
        // Split off the zone designator: Z, +hh:mm or -hh:mm (or +hhmm).
        let (clock, offset_ms) = if let Some(clock) = time.strip_suffix(['Z', 'z']) {
            (clock, 0)
        } else if let Some(pos) = time.rfind(['+', '-']) {
            let (clock, zone) = time.split_at(pos);
            let sign = if zone.starts_with('-') { -1 } else { 1 };
            let digits: String = zone.chars().skip(1).filter(|c| *c != ':').collect();
            let hh = number_of(digits.get(0..2)?, 2)?;
            let mm = if digits.len() > 2 { number_of(digits.get(2..)?, 2)? } else { 0 };
            (clock, sign * (hh * 3_600_000 + mm * 60_000))
        } else {
            (time, 0)
        };
        let (hh, mm, ss, ms) = if clock.contains(':') {
            let mut parts = clock.splitn(3, ':');
            let hh = number_of(parts.next()?, 2)?;
            let mm = number_of(parts.next()?, 2)?;
            let (ss, ms) = match parts.next() {
                Some(sec) => seconds(sec)?,
                None => (0, 0),
            };
            (hh, mm, ss, ms)
        } else {
            let hh = number_of(clock.get(0..2)?, 2)?;
            let mm = number_of(clock.get(2..4)?, 2)?;
            let (ss, ms) = seconds(clock.get(4..)?)?;
            (hh, mm, ss, ms)
        };
        if hh > 24 || mm > 59 || ss > 60 {
            return None;
        }
        millis += hh * 3_600_000 + mm * 60_000 + ss * 1000 + ms - offset_ms;
    }
    Some(millis)
}

/// `ss` or `ss.fff`: whole seconds and milliseconds.
fn seconds(text: &str) -> Option<(i64, i64)> {
    let (whole, frac) = text.split_once('.').unwrap_or((text, ""));
    let ss = number_of(whole, 2)?;
    if !frac.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let ms: String = frac.chars().chain("000".chars()).take(3).collect();
    Some((ss, ms.parse().ok()?))
}

/// Exactly `len` ASCII digits.
fn number_of(text: &str, len: usize) -> Option<i64> {
    (text.len() == len && text.chars().all(|c| c.is_ascii_digit())).then(|| text.parse().ok()).flatten()
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

/// `2020-01-01T00:00:01Z`, with milliseconds only when there are some.
pub(crate) fn format_date(millis: i64) -> String {
    let (y, m, d) = civil_from_days(millis.div_euclid(86_400_000));
    let rest = millis.rem_euclid(86_400_000);
    let (hh, mm, ss, ms) = (rest / 3_600_000, rest / 60_000 % 60, rest / 1000 % 60, rest % 1000);
    if ms == 0 {
        format!("{y:04}-{m:02}-{d:02}T{hh:02}:{mm:02}:{ss:02}Z")
    } else {
        format!("{y:04}-{m:02}-{d:02}T{hh:02}:{mm:02}:{ss:02}.{ms:03}Z")
    }
}

/// Dates in every class the constants define: each constant, a second before and after, midpoints, and
/// a day outside either end.
pub(crate) fn date_candidates(constants: &[i64]) -> Vec<String> {
    let mut points = constants.to_vec();
    points.sort_unstable();
    points.dedup();
    let mut out = Vec::new();
    for &x in &points {
        out.extend([x, x - 1000, x + 1000].map(format_date));
    }
    for pair in points.windows(2) {
        if let [a, b] = pair {
            out.push(format_date(a + (b - a) / 2));
        }
    }
    if let (Some(lo), Some(hi)) = (points.first(), points.last()) {
        out.push(format_date(lo - 86_400_000));
        out.push(format_date(hi + 86_400_000));
    }
    if out.is_empty() {
        out.push(format_date(1_577_836_800_000));
    }
    out
}

/// An IPv4 or IPv6 range, inclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Cidr {
    v6: bool,
    start: u128,
    end: u128,
}

/// An address: IPv6 or not, and its bits.
pub(crate) type Ip = (bool, u128);

/// `203.0.113.0/24`, `2001:DB8::/64`, or a bare address (a /32 or /128). Host bits are ignored.
pub(crate) fn parse_cidr(text: &str) -> Option<Cidr> {
    let t = text.trim();
    let (addr, len) = match t.split_once('/') {
        Some((a, l)) => (a, Some(l.parse::<u32>().ok()?)),
        None => (t, None),
    };
    let (v6, bits) = parse_ip(addr)?;
    let width = if v6 { 128 } else { 32 };
    let len = len.unwrap_or(width);
    if len > width {
        return None;
    }
    let host = width - len;
    let host_mask = 1u128.checked_shl(host).map_or(u128::MAX, |b| b - 1);
    Some(Cidr { v6, start: bits & !host_mask, end: bits | host_mask })
}

pub(crate) fn parse_ip(text: &str) -> Option<Ip> {
    match text.trim().parse::<IpAddr>().ok()? {
        IpAddr::V4(a) => Some((false, u128::from(u32::from(a)))),
        IpAddr::V6(a) => Some((true, u128::from(a))),
    }
}

impl Cidr {
    pub(crate) fn contains(&self, ip: Ip) -> bool {
        ip.0 == self.v6 && self.start <= ip.1 && ip.1 <= self.end
    }
}

pub(crate) fn format_ip((v6, bits): Ip) -> String {
    if v6 {
        Ipv6Addr::from(bits).to_string()
    } else {
        Ipv4Addr::from(u32::try_from(bits).unwrap_or(u32::MAX)).to_string()
    }
}

/// Addresses in every class the ranges define. Every gap inside a range (or outside all of them) borders
/// a range end, so the ends and their neighbours reach each class; readable public addresses come first.
pub(crate) fn ip_candidates(cidrs: &[Cidr]) -> Vec<String> {
    let mut out: Vec<Ip> = vec![(false, 0xCB00_7107), (true, 0x2001_0db8_0000_0000_0000_0000_0000_0007)];
    for c in cidrs {
        let max = if c.v6 { u128::MAX } else { u128::from(u32::MAX) };
        if c.start < c.end {
            out.push((c.v6, c.start + 1));
        }
        out.push((c.v6, c.start));
        out.push((c.v6, c.end));
        if c.start > 0 {
            out.push((c.v6, c.start - 1));
        }
        if c.end < max {
            out.push((c.v6, c.end + 1));
        }
    }
    out.into_iter().map(format_ip).collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]
mod tests {
    use super::*;

    #[test]
    fn numbers() {
        assert_eq!(parse_number("1.2"), Some(1.2));
        assert_eq!(parse_number(" 10 "), Some(10.0));
        assert_eq!(parse_number("inf"), None);
        assert_eq!(parse_number("abc"), None);
        let c = number_candidates(&["1.2"]);
        assert!(c.contains(&"1.1".to_owned()) && c.contains(&"1.3".to_owned()) && c.contains(&"1.2".to_owned()));
    }

    #[test]
    fn dates() {
        assert_eq!(parse_date("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(parse_date("2020-01-01T00:00:01Z"), Some(1_577_836_801_000));
        assert_eq!(parse_date("2020-01-01"), Some(1_577_836_800_000));
        assert_eq!(parse_date("1577836801"), Some(1_577_836_801_000));
        assert_eq!(parse_date("2020-01-01T02:00:01+02:00"), Some(1_577_836_801_000));
        assert_eq!(parse_date("20200101T000001Z"), Some(1_577_836_801_000));
        assert_eq!(parse_date("2020-01-01T00:00:01.250Z"), Some(1_577_836_801_250));
        assert_eq!(parse_date("yesterday"), None);
        assert_eq!(format_date(1_577_836_801_000), "2020-01-01T00:00:01Z");
        assert_eq!(parse_date(&format_date(-86_400_123)), Some(-86_400_123));
    }

    #[test]
    fn ips() {
        let c = parse_cidr("10.0.0.0/8").unwrap();
        assert!(c.contains(parse_ip("10.1.2.3").unwrap()));
        assert!(!c.contains(parse_ip("11.0.0.0").unwrap()));
        let all = parse_cidr("0.0.0.0/0").unwrap();
        assert!(all.contains(parse_ip("203.0.113.7").unwrap()));
        assert!(!all.contains(parse_ip("2001:db8::1").unwrap()));
        let v6 = parse_cidr("2001:DB8:1234:5678::/64").unwrap();
        assert!(v6.contains(parse_ip("2001:db8:1234:5678::9").unwrap()));
        assert!(parse_cidr("::/0").unwrap().contains(parse_ip("::1").unwrap()));
        assert_eq!(parse_cidr("10.0.0.300/8"), None);
        assert_eq!(parse_cidr("10.0.0.0/33"), None);
        assert_eq!(parse_cidr("203.0.113.9"), parse_cidr("203.0.113.9/32"));
        assert_eq!(ip_candidates(&[]).first().map(String::as_str), Some("203.0.113.7"));
    }
}
