//! The whole audit of one large template, step by step, as `sensei scan` runs it: read into the
//! model, every rule, and the JSON and text reports. The template is made by
//! `bench/gen-template.py` (5,000 resources); `cargo bench -p sensei_report`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::hint::black_box;
use std::process::Command;
use std::sync::Arc;

use criterion::{Criterion, criterion_group, criterion_main};
use sensei_report::{Format, Report, ScannedFile, text::TextStyle};
use sensei_rules::{ALL, Context};
use sensei_template::{Options, read};

fn generated() -> String {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/../../bench/gen-template.py");
    let out = Command::new("python3").args([script, "5000"]).output().expect("python3 runs bench/gen-template.py");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

fn benches(c: &mut Criterion) {
    let text = generated();
    let file = "generated.yaml";
    let rules: Vec<_> = ALL.iter().copied().collect();
    let context = Context::default();
    let mut group = c.benchmark_group("generated-5000");
    group.sample_size(20);
    group.bench_function("read", |b| b.iter(|| read(file, black_box(&text), &Options::default()).unwrap()));
    let model = read(file, &text, &Options::default()).unwrap();
    group.bench_function("every rule", |b| {
        b.iter(|| sensei_rules::check(black_box(&model.inventory), &rules, &context))
    });
    let report = Report {
        rules: rules.iter().map(|r| &r.meta).collect(),
        scanned: vec![ScannedFile { file: file.to_string(), kind: model.kind, resources: model.inventory.len() }],
        findings: sensei_rules::check(&model.inventory, &rules, &context),
        sources: [(file.to_string(), Arc::from(text.as_str()))].into(),
        ..Report::default()
    };
    for format in [Format::Json, Format::Text] {
        group.bench_function(format!("{format:?} report"), |b| {
            b.iter(|| {
                let mut out = Vec::with_capacity(1 << 20);
                format.render(black_box(&report), &mut out, &TextStyle::default()).unwrap();
                out
            })
        });
    }
    group.bench_function("all of it", |b| {
        b.iter(|| {
            let model = read(file, black_box(&text), &Options::default()).unwrap();
            let findings = sensei_rules::check(&model.inventory, &rules, &context);
            let report = Report { rules: rules.iter().map(|r| &r.meta).collect(), findings, ..Report::default() };
            let mut out = Vec::with_capacity(1 << 20);
            Format::Json.render(&report, &mut out, &TextStyle::default()).unwrap();
            out
        })
    });
    group.finish();
}

criterion_group!(pipeline, benches);
criterion_main!(pipeline);
