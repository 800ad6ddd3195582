//! Data tables the rules read (published dates, limits), kept apart from the rule logic.

pub mod iam_actions;
pub mod lambda_runtimes;
