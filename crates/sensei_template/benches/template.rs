//! The template reader's hot paths: parsing (YAML and JSON), intrinsic resolution, and the whole
//! read into the model, on the largest YAML template of the corpus, a large JSON one, and the
//! 5,000 resources of `bench/gen-template.py`. `cargo bench -p sensei_template`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use sensei_template::load::load;
use sensei_template::{Options, read, resolve_properties};

/// A template of the shared corpus (beside the project) when it is there, else the bundled example.
fn corpus_template(corpus_path: &str) -> (String, String) {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");
    let wanted = format!("{root}/../shared/corpus/{corpus_path}");
    let path = if std::path::Path::new(&wanted).exists() {
        wanted
    } else {
        format!("{root}/examples/orders-sam/template.yaml")
    };
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    (path, text)
}

/// The 5,000-resource template of `bench/gen-template.py`.
fn generated() -> String {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/../../bench/gen-template.py");
    let out = std::process::Command::new("python3").args([script, "5000"]).output().expect("python3 runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

fn benches(c: &mut Criterion) {
    let options = Options::default();
    let yaml = corpus_template("large/aws-waf-security-automations__aws-waf-security-automations.template");
    let json = corpus_template("public/aws-cloudformation__cfn-lint/test/fixtures/templates/quickstart/vpc.json");
    let generated = ("generated.yaml".to_string(), generated());
    for (name, (path, text)) in [("largest-yaml", &yaml), ("json", &json), ("generated-5000", &generated)] {
        let mut group = c.benchmark_group(name);
        group.throughput(Throughput::Bytes(text.len() as u64));
        group.bench_function("parse", |b| b.iter(|| load(black_box(text)).unwrap()));
        let root = load(text).unwrap();
        group.bench_function("resolve intrinsics", |b| {
            b.iter(|| resolve_properties(path, black_box(&root), &options).unwrap())
        });
        group.bench_function("read into the model", |b| b.iter(|| read(path, black_box(text), &options).unwrap()));
        group.finish();
    }
}

criterion_group!(template, benches);
criterion_main!(template);
