//! The sensei command line: a thin layer over the source, rule and report libraries.

#[cfg(feature = "live")]
pub mod audit;
pub mod baseline;
pub mod cli;
pub mod config;
pub mod discover;
pub mod output;
#[cfg(feature = "live")]
pub mod progress;
pub mod scan;

/// Exit codes, as documented in the README, `docs/json-output.md` and `docs/ci.md`: 0 when no
/// finding fails the run, 1 when one does, 2 when an input could not be read or the command is
/// wrong (2 wins, and `--no-fail` does not change it).
pub const EXIT_OK: u8 = 0;
pub const EXIT_FAIL: u8 = 1;
pub const EXIT_ERROR: u8 = 2;
