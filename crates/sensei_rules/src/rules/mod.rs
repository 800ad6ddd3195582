//! The rules, one file each, grouped by service.

pub mod s3;
