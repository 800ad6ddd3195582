//! JUnit XML, so that any CI shows findings as test results.
//!
//! One test suite per rule, one test case per rule and resource (named after the resource and its
//! file, never its line, so a CI's test history follows a resource when lines move). A resource
//! that fails the run is a `failure` carrying the message and the fix; a pass is a success; every
//! other verdict is `skipped`, with a message saying which: unknown, does not apply, suppressed, in
//! the baseline, or failing below `--fail-on`. Inputs that could not be read are `error` test
//! cases of a suite of their own, and the gaps of a live audit are skipped cases of another.

use std::io::{self, Write};

use quick_junit::{NonSuccessKind, Property, TestCase, TestCaseStatus, TestSuite};

use crate::{FindingKey, Report, State};
use sensei_rules::Finding;

/// Writes `report` as JUnit XML.
pub fn render(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let mut junit = quick_junit::Report::new("sensei");
    let findings = report.sorted_findings();
    for rule in report.all_rules() {
        let of_rule: Vec<&Finding> = findings.iter().copied().filter(|f| f.rule.id == rule.id).collect();
        if of_rule.is_empty() {
            continue;
        }
        let mut suite = TestSuite::new(format!("{} {}", rule.id, rule.slug));
        let categories: Vec<&str> = rule.categories.iter().map(|c| c.as_str()).collect();
        suite.add_properties([
            Property::new("title", rule.title),
            Property::new("severity", rule.severity.as_str()),
            Property::new("categories", categories.join(",")),
            Property::new("service", rule.service.as_str()),
        ]);
        for group in group_by_resource(&of_rule) {
            suite.add_test_case(test_case(report, &group));
        }
        junit.add_test_suite(suite);
    }
    let errors = report.sorted_errors();
    if !errors.is_empty() {
        let mut suite = TestSuite::new("inputs that could not be read");
        for error in errors {
            let mut place = error.file.clone();
            if let Some(line) = error.line {
                place.push_str(&format!(":{line}"));
                if let Some(column) = error.column {
                    place.push_str(&format!(":{column}"));
                }
            }
            let mut status = TestCaseStatus::non_success(NonSuccessKind::Error);
            status
                .set_message(&error.message)
                .set_type("input-error")
                .set_description(format!("{place}: {}", error.message));
            let mut case = TestCase::new(&error.file, status);
            case.set_classname("sensei.inputs");
            suite.add_test_case(case);
        }
        junit.add_test_suite(suite);
    }
    let gaps = report.sorted_gaps();
    if !gaps.is_empty() {
        let mut suite = TestSuite::new("gaps: data the audit could not read");
        for gap in gaps {
            let mut status = TestCaseStatus::skipped();
            status.set_message(format!("not read: {}: {}", gap.code, gap.message)).set_type("gap");
            let mut name = format!("{} {}", gap.service, gap.operation);
            if let Some(region) = &gap.region {
                name.push_str(&format!(" {region}"));
            }
            if let Some(resource) = &gap.resource {
                name.push_str(&format!(" {resource}"));
            }
            let mut case = TestCase::new(name, status);
            case.set_classname("sensei.gaps");
            suite.add_test_case(case);
        }
        junit.add_test_suite(suite);
    }
    junit.serialize(&mut *out).map_err(io::Error::other)
}

/// The findings of one rule by resource (and file), in the order given.
fn group_by_resource<'f>(findings: &[&'f Finding]) -> Vec<Vec<&'f Finding>> {
    let mut groups: Vec<(FindingKey, Vec<&'f Finding>)> = Vec::new();
    for finding in findings {
        let key = FindingKey::of(finding);
        match groups.iter_mut().find(|(k, _)| *k == key) {
            Some((_, list)) => list.push(finding),
            None => groups.push((key, vec![finding])),
        }
    }
    groups.into_iter().map(|(_, list)| list).collect()
}

/// One rule on one resource: its worst state decides the outcome.
fn test_case(report: &Report, findings: &[&Finding]) -> TestCase {
    let Some(state) = findings.iter().map(|f| report.state(f)).min() else {
        return TestCase::new("", TestCaseStatus::success());
    };
    let worst: Vec<&Finding> = findings.iter().copied().filter(|f| report.state(f) == state).collect();
    let messages: Vec<&str> = worst.iter().map(|f| f.message.as_str()).collect();
    let message = messages.join("; ");
    let severity = findings.first().map(|f| f.rule.severity.as_str()).unwrap_or_default();
    let status = match state {
        State::Pass => TestCaseStatus::success(),
        State::Failing => {
            let mut status = TestCaseStatus::non_success(NonSuccessKind::Failure);
            status.set_message(&message).set_type(severity).set_description(details(&worst));
            status
        }
        State::BelowThreshold => skipped(
            &format!("fails, below --fail-on {}: {message}", report.fail_on.map(|s| s.as_str()).unwrap_or_default()),
            "below-threshold",
            Some(details(&worst)),
        ),
        State::Baseline => skipped(&format!("in the baseline: {message}"), "baseline", Some(details(&worst))),
        State::Suppressed => {
            let reasons: Vec<&str> =
                worst.iter().filter_map(|f| f.suppressed.as_ref().map(|s| s.reason.as_str())).collect();
            skipped(&format!("suppressed: {}", reasons.join("; ")), "suppressed", Some(message.clone()))
        }
        State::Unknown => skipped(&format!("unknown: {message}"), "unknown", None),
        State::NotEvaluated => skipped(&format!("not evaluated: {message}"), "not_evaluated", None),
        State::Skip => skipped(&format!("does not apply: {message}"), "skip", None),
    };
    let mut case = TestCase::new(name(findings), status);
    if let Some(first) = findings.first() {
        case.set_classname(format!("sensei.{}", first.rule.id));
        case.add_property(Property::new("resource-type", first.resource.resource_type.as_str()));
        if let Some(location) = &first.location {
            case.add_property(Property::new("location", location.to_string()));
        }
    }
    case
}

fn skipped(message: &str, kind: &str, description: Option<String>) -> TestCaseStatus {
    let mut status = TestCaseStatus::skipped();
    status.set_message(message).set_type(kind);
    if let Some(description) = description {
        status.set_description(description);
    }
    status
}

/// `DataBucket (examples/app/template.yaml)`; a live resource is its ARN with its region and stack.
fn name(findings: &[&Finding]) -> String {
    let Some(first) = findings.first() else { return String::new() };
    let live = first.resource.live.as_ref().and_then(|l| l.place());
    match (FindingKey::of(first).file, live) {
        (Some(file), _) => format!("{} ({file})", first.resource.id),
        (None, Some(place)) => format!("{} ({place})", first.resource.id),
        (None, None) => first.resource.id.clone(),
    }
}

/// Each finding: where, what, and the fix with its code.
fn details(findings: &[&Finding]) -> String {
    let mut text = String::new();
    for finding in findings {
        if !text.is_empty() {
            text.push_str("\n\n");
        }
        match &finding.location {
            Some(location) => text.push_str(&format!("{location}: {}", finding.message)),
            None => text.push_str(&format!("{}: {}", finding.resource.id, finding.message)),
        }
        if let Some(fix) = &finding.fix {
            text.push_str(&format!("\nfix: {}", fix.summary));
            if let Some(snippet) = &fix.snippet {
                text.push_str(&format!("\n\n{}", snippet.code));
            }
        }
    }
    text
}
