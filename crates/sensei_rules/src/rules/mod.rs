//! The rules, one file each, grouped by service.

pub mod apigateway;
pub mod backup;
pub mod cloudfront;
pub mod cognito;
pub mod dynamodb;
pub mod eventbridge;
pub mod iam;
pub mod kms;
pub mod lambda;
pub mod logs;
pub mod rds;
pub mod s3;
pub mod ses;
pub mod sns;
pub mod sqs;
pub mod stepfunctions;
