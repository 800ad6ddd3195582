//! The policy engine's hot paths: parsing a document, evaluating one request, and the for-all
//! questions (`not_denied`, `allowed`) that S3-001 and the public-access rules ask of every
//! bucket policy. `cargo bench -p sensei_policy`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::hint::black_box;

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use sensei_policy::{Caller, CallerScope, Policy, Request, RequestSpace, ResourceScope};
use serde_json::{Value, json};

/// A realistic bucket policy: the TLS-only deny, a CloudFront read grant and a cross-account writer.
fn document(bucket: &str) -> Value {
    json!({
        "Version": "2012-10-17",
        "Statement": [
            {"Sid": "DenyPlainHttp", "Effect": "Deny", "Principal": "*", "Action": "s3:*",
             "Resource": [format!("arn:aws:s3:::{bucket}"), format!("arn:aws:s3:::{bucket}/*")],
             "Condition": {"Bool": {"aws:SecureTransport": "false"}}},
            {"Sid": "CloudFront", "Effect": "Allow", "Principal": {"Service": "cloudfront.amazonaws.com"},
             "Action": "s3:GetObject", "Resource": format!("arn:aws:s3:::{bucket}/*"),
             "Condition": {"StringEquals": {"AWS:SourceArn": "arn:aws:cloudfront::123456789012:distribution/E1"}}},
            {"Sid": "Partner", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::210987654321:root"},
             "Action": ["s3:PutObject", "s3:PutObjectAcl"], "Resource": format!("arn:aws:s3:::{bucket}/uploads/*"),
             "Condition": {"StringEquals": {"s3:x-amz-acl": "bucket-owner-full-control"}}}
        ]
    })
}

fn space(bucket: &str, callers: CallerScope, http: bool) -> RequestSpace {
    RequestSpace {
        service: "s3".into(),
        resources: vec![
            ResourceScope::Exact(format!("arn:aws:s3:::{bucket}")),
            ResourceScope::AnyUnder(format!("arn:aws:s3:::{bucket}/")),
        ],
        fixed: if http { vec![("aws:SecureTransport".into(), vec!["false".into()])] } else { Vec::new() },
        callers,
    }
}

fn benches(c: &mut Criterion) {
    let doc = document("orders-data");
    c.bench_function("parse a bucket policy", |b| b.iter(|| Policy::from_json(black_box(&doc)).unwrap()));

    let policy = Policy::from_json(&doc).unwrap();
    let request = Request {
        caller: Caller::Anonymous,
        action: "s3:GetObject".into(),
        resource: "arn:aws:s3:::orders-data/report.csv".into(),
        context: vec![("aws:SecureTransport".into(), vec!["false".into()])],
    };
    c.bench_function("evaluate one request", |b| b.iter(|| policy.evaluate(black_box(&request))));

    // Each iteration asks about a bucket of its own, as a scan of many buckets does, so the
    // per-thread memo of explorations does not answer from an earlier iteration.
    let mut n = 0u64;
    let mut fresh = move || {
        n += 1;
        let bucket = format!("bucket-{n}");
        (Policy::from_json(&document(&bucket)).unwrap(), bucket)
    };
    c.bench_function("every plain-HTTP request denied? (not_denied)", |b| {
        b.iter_batched(
            &mut fresh,
            |(policy, bucket)| assert!(policy.not_denied(&space(&bucket, CallerScope::Everyone, true)).is_empty()),
            BatchSize::SmallInput,
        )
    });
    c.bench_function("anything allowed to outsiders? (allowed)", |b| {
        b.iter_batched(
            &mut fresh,
            |(policy, bucket)| black_box(policy.allowed(&space(&bucket, CallerScope::Outsiders, false))),
            BatchSize::SmallInput,
        )
    });
}

criterion_group!(policy, benches);
criterion_main!(policy);
