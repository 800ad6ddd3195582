//! The Lambda runtimes AWS manages, with the date each one is (or will be) deprecated.
//!
//! Sources, as published when this table was last updated:
//! - supported runtimes and their planned dates: the runtime tables of the AWS Lambda Developer
//!   Guide pages for each language (`lambda-nodejs`, `lambda-python`, `lambda-java`,
//!   `lambda-csharp`, `lambda-ruby`, `runtimes-provided`);
//! - deprecated runtimes: the "Deprecated runtimes" table of
//!   <https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html>.
//!
//! AWS moves planned dates (the Java 8/11/17 and Python 3.10/3.11 runtimes on Amazon Linux 2 were
//! pushed back by a year); keep this table current when it does. `provided.al2` keeps the date
//! its page showed (2026-06-30) although the other Amazon Linux 2 runtimes moved: check it first.
//! A runtime that is not in the table is reported as unknown.

use sensei_model::Date;

/// A family of runtimes, to suggest the newest member as the upgrade.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    NodeJs,
    Python,
    Java,
    DotNet,
    Ruby,
    /// OS-only runtimes (`provided*`), and Go, whose runtime was replaced by them.
    OsOnly,
}

/// One runtime identifier.
#[derive(Debug, Clone, Copy)]
pub struct Runtime {
    /// The identifier a function's `Runtime` names: `nodejs20.x`.
    pub id: &'static str,
    pub family: Family,
    /// The day AWS deprecates it: no more security patches, and creating and then updating
    /// functions that use it are blocked some weeks later.
    pub deprecation: Date,
    /// Whether Lambda runs it on arm64 (Graviton).
    pub arm64: bool,
    /// Only for container images: no .zip function can name it.
    pub container_only: bool,
}

impl Runtime {
    pub fn is_deprecated(&self, today: Date) -> bool {
        self.deprecation <= today
    }

    /// Days from `today` to the deprecation; negative once deprecated.
    pub fn days_left(&self, today: Date) -> i64 {
        days(self.deprecation) - days(today)
    }
}

/// The runtime with this identifier.
pub fn find(id: &str) -> Option<&'static Runtime> {
    RUNTIMES.iter().find(|r| r.id == id)
}

/// The runtime of the same family that stays supported the longest after `today`: the upgrade
/// to suggest.
pub fn newest_in_family(family: Family, today: Date) -> Option<&'static Runtime> {
    RUNTIMES
        .iter()
        .filter(|r| r.family == family && !r.container_only && !r.is_deprecated(today))
        .max_by_key(|r| (r.deprecation, r.id))
}

/// Days since 1970-01-01 (Howard Hinnant's days-from-civil).
pub fn days(date: Date) -> i64 {
    let (month, day) = (i64::from(date.month), i64::from(date.day));
    let year = i64::from(date.year) - i64::from(month <= 2);
    let era = year.div_euclid(400);
    let yoe = year - era * 400;
    let doy = (153 * (month + if month > 2 { -3 } else { 9 }) + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

const fn date(year: i32, month: u8, day: u8) -> Date {
    Date { year, month, day }
}

const fn rt(id: &'static str, family: Family, deprecation: Date, arm64: bool) -> Runtime {
    Runtime { id, family, deprecation, arm64, container_only: false }
}

use Family::{DotNet, Java, NodeJs, OsOnly, Python, Ruby};

/// Every runtime identifier Lambda has offered, newest first within each family.
pub static RUNTIMES: &[Runtime] = &[
    // Node.js
    rt("nodejs24.x", NodeJs, date(2028, 4, 30), true),
    rt("nodejs22.x", NodeJs, date(2027, 4, 30), true),
    rt("nodejs20.x", NodeJs, date(2026, 4, 30), true),
    rt("nodejs18.x", NodeJs, date(2025, 9, 1), true),
    rt("nodejs16.x", NodeJs, date(2024, 6, 12), true),
    rt("nodejs14.x", NodeJs, date(2023, 12, 4), true),
    rt("nodejs12.x", NodeJs, date(2023, 3, 31), true),
    rt("nodejs10.x", NodeJs, date(2021, 7, 30), false),
    rt("nodejs8.10", NodeJs, date(2020, 3, 6), false),
    rt("nodejs6.10", NodeJs, date(2019, 8, 12), false),
    rt("nodejs4.3-edge", NodeJs, date(2019, 4, 30), false),
    rt("nodejs4.3", NodeJs, date(2020, 3, 5), false),
    rt("nodejs", NodeJs, date(2016, 10, 31), false),
    // Python
    rt("python3.14", Python, date(2029, 6, 30), true),
    rt("python3.13", Python, date(2029, 6, 30), true),
    rt("python3.12", Python, date(2028, 10, 31), true),
    rt("python3.11", Python, date(2027, 6, 30), true),
    rt("python3.10", Python, date(2026, 10, 31), true),
    rt("python3.9", Python, date(2025, 12, 15), true),
    rt("python3.8", Python, date(2024, 10, 14), true),
    rt("python3.7", Python, date(2023, 12, 4), false),
    rt("python3.6", Python, date(2022, 7, 18), false),
    rt("python2.7", Python, date(2021, 7, 15), false),
    // Java
    rt("java25", Java, date(2029, 6, 30), true),
    rt("java21", Java, date(2029, 6, 30), true),
    rt("java17", Java, date(2027, 6, 30), true),
    rt("java11", Java, date(2027, 6, 30), true),
    rt("java8.al2", Java, date(2027, 6, 30), true),
    rt("java8", Java, date(2024, 1, 8), false),
    // .NET
    rt("dotnet10", DotNet, date(2028, 11, 14), true),
    Runtime { id: "dotnet9", family: DotNet, deprecation: date(2026, 11, 10), arm64: true, container_only: true },
    rt("dotnet8", DotNet, date(2026, 11, 10), true),
    Runtime { id: "dotnet7", family: DotNet, deprecation: date(2024, 5, 14), arm64: true, container_only: true },
    rt("dotnet6", DotNet, date(2024, 12, 20), true),
    Runtime { id: "dotnet5.0", family: DotNet, deprecation: date(2022, 5, 10), arm64: false, container_only: true },
    rt("dotnetcore3.1", DotNet, date(2023, 4, 3), true),
    rt("dotnetcore2.1", DotNet, date(2022, 1, 5), false),
    rt("dotnetcore2.0", DotNet, date(2019, 5, 30), false),
    rt("dotnetcore1.0", DotNet, date(2019, 7, 30), false),
    // Ruby
    rt("ruby3.4", Ruby, date(2028, 3, 31), true),
    rt("ruby3.3", Ruby, date(2027, 3, 31), true),
    rt("ruby3.2", Ruby, date(2026, 3, 31), true),
    rt("ruby2.7", Ruby, date(2023, 12, 7), true),
    rt("ruby2.5", Ruby, date(2021, 7, 30), false),
    // OS-only, and Go
    rt("provided.al2023", OsOnly, date(2029, 6, 30), true),
    rt("provided.al2", OsOnly, date(2026, 6, 30), true),
    rt("provided", OsOnly, date(2024, 1, 8), false),
    rt("go1.x", OsOnly, date(2024, 1, 8), false),
];

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    fn day(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    #[test]
    fn old_runtimes_are_deprecated_on_the_scan_date() {
        let today = day("2026-11-27");
        for id in ["nodejs16.x", "python3.8", "go1.x", "java8", "dotnetcore3.1", "ruby2.7", "provided"] {
            assert!(find(id).unwrap().is_deprecated(today), "{id}");
        }
        for id in ["nodejs22.x", "python3.13", "java21", "ruby3.4", "provided.al2023", "dotnet10"] {
            assert!(!find(id).unwrap().is_deprecated(today), "{id}");
        }
        assert_eq!(newest_in_family(Family::NodeJs, today).unwrap().id, "nodejs24.x");
        assert_eq!(newest_in_family(Family::OsOnly, today).unwrap().id, "provided.al2023");
    }

    #[test]
    fn identifiers_are_unique_and_days_count_right() {
        let mut ids: Vec<&str> = RUNTIMES.iter().map(|r| r.id).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), RUNTIMES.len());
        assert_eq!(days(day("1970-01-01")), 0);
        assert_eq!(days(day("2026-11-27")), 20_784);
        assert_eq!(days(day("2000-03-01")) - days(day("2000-02-28")), 2);
        assert_eq!(find("nodejs22.x").unwrap().days_left(day("2027-04-20")), 10);
    }
}
