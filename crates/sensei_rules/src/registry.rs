//! Every rule of sensei, sorted by id: each service's list, in the order of the id prefixes.
//! A test checks the order and every rule file against it.

use std::sync::LazyLock;

use crate::Rule;
use crate::rules::{
    apigateway, backup, cloudfront, cognito, dynamodb, eventbridge, iam, kms, lambda, logs, rds, s3, ses, sns, sqs,
    stepfunctions,
};

pub static ALL: LazyLock<Vec<&'static Rule>> = LazyLock::new(|| {
    [
        apigateway::RULES,
        backup::RULES,
        cloudfront::RULES,
        cognito::RULES,
        dynamodb::RULES,
        eventbridge::RULES,
        iam::RULES,
        kms::RULES,
        lambda::RULES,
        logs::RULES,
        rds::RULES,
        s3::RULES,
        ses::RULES,
        stepfunctions::RULES,
        sns::RULES,
        sqs::RULES,
    ]
    .concat()
});

/// The rule with this id, slug or alias (case-insensitive).
pub fn find(name: &str) -> Option<&'static Rule> {
    ALL.iter().copied().find(|r| {
        r.meta.id.eq_ignore_ascii_case(name)
            || r.meta.slug.eq_ignore_ascii_case(name)
            || r.meta.aliases.iter().any(|a| a.eq_ignore_ascii_case(name))
    })
}
