//! The sensei command line: a thin layer over the source, rule and report libraries.

pub mod cli;
pub mod discover;
pub mod scan;

/// Exit codes, as documented in the README and `docs/json-output.md`.
pub const EXIT_OK: u8 = 0;
pub const EXIT_FAIL: u8 = 1;
pub const EXIT_ERROR: u8 = 2;
