//! Every real template of the public corpus (`../shared/corpus/public`) is audited or gives a
//! clear error naming its file; the test prints how many of each.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::path::PathBuf;

use sensei_rules::Status;

fn corpus() -> PathBuf {
    match std::env::var_os("SENSEI_CORPUS") {
        Some(p) => PathBuf::from(p),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/public"),
    }
}

/// The three templates with duplicate mapping keys that the corpus keeps on purpose.
const DUPLICATE_KEYS: [&str; 3] = ["apigw-ec2", "public-nlb-or-alb-private-api-cfn", "sam-webapp-cognito"];

#[test]
fn the_public_corpus_is_audited_or_clearly_refused() {
    let root = corpus();
    assert!(root.is_dir(), "the corpus is missing at {} (set SENSEI_CORPUS)", root.display());
    let rules =
        sensei_rules::Selection { select: vec!["all".into()], ..Default::default() }.rules().unwrap_or_default();
    let report = sensei::scan::scan(
        std::slice::from_ref(&root),
        &rules,
        &sensei_template::Options::default(),
        &sensei_rules::Context::default(),
        true,
    );

    let audited = report.scanned.len();
    let refused: Vec<_> = report.errors.iter().filter(|e| !report.scanned.iter().any(|s| s.file == e.file)).collect();
    let resources: usize = report.scanned.iter().map(|s| s.resources).sum();
    println!(
        "corpus: {audited} templates audited ({resources} model resources), {} refused with an error, {} findings ({} fail, {} pass, {} unknown), {} problems inside audited files",
        refused.len(),
        report.findings.len(),
        report.count(Status::Fail),
        report.count(Status::Pass),
        report.count(Status::Unknown),
        report.errors.len() - refused.len(),
    );
    for e in &report.errors {
        println!("  {}:{}: {}", e.file, e.line.map(|l| l.to_string()).unwrap_or_default(), e.message);
    }

    // Exactly the templates with duplicate keys are refused, each naming both lines.
    let mut refused_names: Vec<&str> = refused.iter().map(|e| e.file.as_str()).collect();
    refused_names.sort();
    assert_eq!(refused.len(), DUPLICATE_KEYS.len(), "{refused_names:#?}");
    for e in &refused {
        assert!(DUPLICATE_KEYS.iter().any(|d| e.file.contains(d)), "unexpected refusal: {e:?}");
        assert!(
            e.line.is_some() && e.message.contains("duplicate key") && e.message.contains("first at line"),
            "{e:?}"
        );
    }
    // Every other template file of the manifest is audited: 271 in all.
    assert_eq!(audited + refused.len(), 271, "every corpus template is found");
    // The corpus has many bucket policies: the seed rule decides most buckets.
    let decided = report
        .findings
        .iter()
        .filter(|f| f.rule.id == "S3-001" && matches!(f.status, Status::Pass | Status::Fail))
        .count();
    let buckets = report.findings.iter().filter(|f| f.rule.id == "S3-001").count();
    println!("S3-001: {decided} of {buckets} buckets decided");
    assert!(buckets > 150 && decided * 10 >= buckets * 9, "{decided} of {buckets}");
}
