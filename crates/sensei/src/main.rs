//! sensei: audit AWS serverless stacks against good-practice rules, and say exactly what to fix.

use std::io::Write as _;
use std::process::ExitCode;

use clap::Parser as _;

#[cfg(feature = "live")]
use sensei::audit;
use sensei::cli::{self, Cli, Command, ListFormat};
use sensei::{EXIT_ERROR, EXIT_OK, baseline, scan};

/// A scan makes over a million small allocations (the YAML tree, policies, findings) on several
/// threads; mimalloc makes and frees them in a fraction of glibc malloc's time (docs/dependencies.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { EXIT_ERROR } else { EXIT_OK });
        }
    };
    match run(cli) {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            let mut err = anstream::stderr();
            let _ = writeln!(err, "error: {e:#}");
            ExitCode::from(EXIT_ERROR)
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<u8> {
    match cli.command {
        Command::Scan(args) => scan::run(&args),
        #[cfg(feature = "live")]
        Command::Audit(args) => audit::run(*args),
        #[cfg(not(feature = "live"))]
        Command::Audit(_) => {
            anyhow::bail!("this sensei was built without the live audit (the cargo feature `live`, on by default)")
        }
        Command::Baseline(args) => baseline::run(&args),
        Command::Rules(args) => {
            let rules = args.selection().rules()?;
            let mut out = anstream::stdout();
            match args.format {
                ListFormat::Json => {
                    let list: Vec<_> = rules.iter().map(|r| cli::rule_json(&r.meta)).collect();
                    writeln!(out, "{}", serde_json::to_string_pretty(&list)?)?;
                }
                ListFormat::Text => {
                    for r in rules {
                        let m = &r.meta;
                        let on = if m.enabled_by_default { "" } else { "  (off by default)" };
                        writeln!(
                            out,
                            "{:<8} {:<36} L{} {:<8} {}{on}\n         aliases: {}",
                            m.id,
                            m.slug,
                            m.level,
                            m.severity,
                            m.title,
                            if m.aliases.is_empty() { "-".to_string() } else { m.aliases.join(", ") }
                        )?;
                    }
                }
            }
            Ok(EXIT_OK)
        }
        Command::Explain { rule } => {
            let Some(r) = sensei_rules::find(&rule) else {
                anyhow::bail!("`{rule}` names no rule (see `sensei rules`)");
            };
            let m = &r.meta;
            let mut out = anstream::stdout();
            let categories: Vec<&str> = m.categories.iter().map(|c| c.as_str()).collect();
            writeln!(out, "# {} {}: {}\n", m.id, m.slug, m.title)?;
            writeln!(
                out,
                "Service: {} · Categories: {} · Severity: {} · Level: {} · Aliases: {}{}\n",
                m.service,
                categories.join(", "),
                m.severity,
                m.level,
                if m.aliases.is_empty() { "-".to_string() } else { m.aliases.join(", ") },
                if m.enabled_by_default { "" } else { " · off by default" }
            )?;
            write!(out, "{}", m.docs)?;
            Ok(EXIT_OK)
        }
    }
}
