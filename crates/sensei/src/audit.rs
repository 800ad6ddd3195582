//! `sensei audit`: a deployed account in, report out.

use sensei_report::Report;

use crate::EXIT_ERROR;
use crate::baseline::BaselineFile;
use crate::cli::{AuditArgs, ScanArgs, SourceArgs};
use crate::output;

/// Reads the account, runs the rules on each region's resources (and once on the global ones),
/// writes the reports and gives the exit code: 2 when the audit could not start, or when `--strict`
/// and some data could not be read; else as `scan`.
pub fn run(args: AuditArgs) -> anyhow::Result<u8> {
    let baseline = args
        .baseline
        .as_deref()
        .map(|path| BaselineFile::read(path).map(|file| (path.to_path_buf(), file)))
        .transpose()?;
    let config = args.select.config()?;
    let rules = crate::config::merge(config.as_ref(), &args.select.selection()).rules()?;
    let context = config.as_ref().map(|c| c.context(sensei_model::Date::today())).unwrap_or_default();
    let options = sensei_aws::Options {
        profile: args.profile.clone(),
        regions: args.regions.clone(),
        endpoint_url: args.endpoint_url.clone(),
        stacks: args.stacks.clone(),
        tags: args.tags.clone(),
        // Only the facts the selected rules use are read.
        facts: rules.iter().flat_map(|r| r.meta.reads.iter().copied()).collect(),
    };

    let (progress, bar) = crate::progress::start();
    let audit = sensei_aws::audit(&options, progress.clone());
    if let Some(bar) = &bar {
        bar.finish();
    }
    let audit = audit?;

    let mut report = Report { rules: rules.iter().map(|r| &r.meta).collect(), ..Report::default() };
    for part in &audit.inventories {
        report.findings.extend(sensei_rules::check(&part.inventory, &rules, &context));
    }
    report.gaps = audit.gaps;
    report.fail_on = args.fail_on.map(Into::into);
    if let Some((path, file)) = baseline {
        report.baseline = Some(file.matched(&report, &path)?);
    }
    let strict = args.strict;
    let scan_args = ScanArgs {
        source: SourceArgs { paths: Vec::new(), select: args.select, parameters: Vec::new(), no_ignore: false },
        format: args.format,
        output: args.output,
        fail_on: args.fail_on,
        no_fail: args.no_fail,
        baseline: args.baseline,
        verbose: args.verbose,
        color: args.color,
    };
    output::write(&report, &scan_args)?;
    Ok(exit_code(&report, strict, scan_args.no_fail))
}

/// As `scan`, and 2 when `--strict` and a gap exists.
pub fn exit_code(report: &Report, strict: bool, no_fail: bool) -> u8 {
    if strict && !report.gaps.is_empty() { EXIT_ERROR } else { output::exit_code(report, no_fail) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sensei_report::Gap;

    #[test]
    fn strict_makes_a_gap_fail_the_run() {
        let mut report = Report::default();
        assert_eq!(exit_code(&report, true, false), crate::EXIT_OK);
        report.gaps.push(Gap {
            service: "s3".into(),
            operation: "GetBucketPolicy".into(),
            region: Some("us-east-1".into()),
            resource: Some("arn:aws:s3:::b".into()),
            code: "AccessDenied".into(),
            message: "denied".into(),
        });
        assert_eq!(exit_code(&report, false, false), crate::EXIT_OK);
        assert_eq!(exit_code(&report, true, false), EXIT_ERROR);
        assert_eq!(exit_code(&report, true, true), EXIT_ERROR);
    }
}
