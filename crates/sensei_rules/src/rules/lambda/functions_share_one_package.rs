//! LAMBDA-002: each function is deployed from its own package.

use sensei_model::lambda::{CodePackage, Function, PackageType};
use sensei_model::{Inventory, Setting, Syntax};

use crate::fix::Code;
use crate::{Category, Fact, Findings, Fix, Rule, RuleMeta, Service, Severity, Snippet};

use super::{code_of_text, in_function};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "LAMBDA-002",
        slug: "functions-share-one-package",
        title: "Each Lambda function is deployed from its own package",
        service: Service::Lambda,
        categories: &[Category::Speed, Category::Stability, Category::Sustainability],
        severity: Severity::Low,
        level: 1,
        aliases: &["noMonoPackage"],
        options: &[],
        needs_live_data: false,
        reads: &[Fact::Functions],
        enabled_by_default: true,
        docs: include_str!("functions_share_one_package.md"),
    },
    check,
};

/// The package a function shares with others, or why it cannot share one.
enum Package<'a> {
    Shared(&'a CodePackage),
    Own(&'static str),
    Unknown(String),
}

fn package_of(function: &Function) -> Package<'_> {
    match &function.code {
        Setting::Unknown(why) => Package::Unknown(format!("the function's code is unknown: {why}")),
        Setting::Known(CodePackage::Inline, _) => Package::Own("its code is written inline in the template"),
        Setting::Known(CodePackage::Uri(_), _) if bundled(function) => {
            Package::Own("`sam build` bundles it with esbuild from its own entry point")
        }
        Setting::Known(package, _) => Package::Shared(package),
    }
}

/// `Metadata.BuildMethod: esbuild`: SAM bundles each function from its entry point alone.
fn bundled(function: &Function) -> bool {
    function.build_method.known().is_some_and(|m| m.as_deref().is_some_and(|m| m.eq_ignore_ascii_case("esbuild")))
}

/// What the function runs in its package: the handler, or the image command.
fn entry_point(function: &Function) -> Setting<String> {
    match function.package_type.known() {
        Some(PackageType::Image) => function.image_command.clone().map(|c| c.join(" ")),
        _ => function.handler.clone().map(Option::unwrap_or_default),
    }
}

fn check(inventory: &Inventory, out: &mut Findings<'_>) {
    let only = inventory.functions.len() == 1;
    for function in &inventory.functions {
        let r = &function.resource;
        let package = match package_of(function) {
            Package::Own(why) => {
                out.pass(r, why);
                continue;
            }
            Package::Unknown(_) if only => {
                out.pass(r, "the only function of the template");
                continue;
            }
            Package::Unknown(why) => {
                out.unknown(r, function.code.location(), why);
                continue;
            }
            Package::Shared(p) => p,
        };
        let others: Vec<&Function> = inventory
            .functions
            .iter()
            .filter(|o| o.resource.id != r.id)
            .filter(|o| matches!(package_of(o), Package::Shared(p) if p == package))
            .collect();
        if others.is_empty() {
            out.pass(r, format!("deployed from its own package ({})", package.describe()));
            continue;
        }
        let mine = match entry_point(function) {
            Setting::Known(e, _) => e,
            Setting::Unknown(why) => {
                out.unknown(r, None, format!("the entry point is unknown: {why}"));
                continue;
            }
        };
        let mut different = Vec::new();
        let mut unknown = None;
        for other in &others {
            match entry_point(other) {
                Setting::Known(e, _) if e == mine => {}
                Setting::Known(_, _) => different.push(format!("`{}`", other.resource.id)),
                Setting::Unknown(why) => unknown = Some(format!("`{}`: {why}", other.resource.id)),
            }
        }
        if different.is_empty() {
            match unknown {
                Some(why) => out.unknown(
                    r,
                    None,
                    format!("the entry point of a function with the same package is unknown: {why}"),
                ),
                None => out.pass(
                    r,
                    format!("shares {} only with functions that run the same entry point", package.describe()),
                ),
            }
            continue;
        }
        let message = format!(
            "shares its package {} with {}: each function deploys and loads the code of {} of them, which slows cold starts and couples their releases",
            package.describe(),
            different.join(", "),
            super::all(different.len() + 1)
        );
        out.fail(r, function.code.location(), message, fix(function, package));
    }
}

fn fix(function: &Function, package: &CodePackage) -> Fix {
    let syntax = function.resource.syntax;
    let id = &function.resource.id;
    let entry = function.handler.known().cloned().flatten().unwrap_or_else(|| "app.handler".to_string());
    let file = entry.rsplit_once('.').map_or(entry.as_str(), |(f, _)| f).to_string();
    let node = function.runtime.known().cloned().flatten().is_some_and(|r| r.starts_with("nodejs"));
    if function.serverless && node {
        let code = Code::map(vec![(
            "Metadata",
            Code::map(vec![
                ("BuildMethod", Code::text("esbuild")),
                (
                    "BuildProperties",
                    Code::map(vec![("EntryPoints", Code::List(vec![Code::text(&format!("{file}.ts"))]))]),
                ),
            ]),
        )]);
        return Fix {
            summary: format!(
                "In {}, let `sam build` bundle the function alone with esbuild (add this `Metadata` to the resource, with its real entry file), or give it a `CodeUri` folder of its own.",
                in_function(function)
            ),
            snippet: Some(code.snippet(syntax)),
        };
    }
    if function.serverless {
        let folder = format!("{}/", file.rsplit('/').next().unwrap_or(&file));
        return Fix {
            summary: format!(
                "In {}, point `CodeUri` at a folder that holds only this function's code (and its own requirements).",
                in_function(function)
            ),
            snippet: Some((Code::map(vec![("CodeUri", Code::text(&folder))])).snippet(syntax)),
        };
    }
    let (code, summary) = match package {
        CodePackage::Image(uri) => (
            Code::map(vec![(
                "Code",
                Code::map(vec![("ImageUri", Code::text(&format!("{uri}-{}", id.to_ascii_lowercase())))]),
            )]),
            "build an image per function, holding only that function's code",
        ),
        CodePackage::S3 { bucket, key, .. } => {
            let folder = key.rsplit_once('/').map_or(String::new(), |(f, _)| format!("{f}/"));
            (
                Code::map(vec![(
                    "Code",
                    Code::map(vec![
                        ("S3Bucket", code_of_text(bucket, syntax)),
                        ("S3Key", code_of_text(&format!("{folder}{id}.zip"), syntax)),
                    ]),
                )]),
                "package each function on its own (Serverless Framework: `package.individually: true`; CDK: one asset or bundle per function), so that each `S3Key` holds one function's code",
            )
        }
        _ => (
            Code::map(vec![("Code", Code::map(vec![("S3Key", Code::text(&format!("{id}.zip")))]))]),
            "package each function on its own, so that each one deploys only its code",
        ),
    };
    let snippet = match syntax {
        Syntax::Live => Snippet {
            language: "shell",
            code: format!(
                "aws lambda update-function-code --function-name {} --zip-file fileb://{id}.zip",
                super::cli_name(function)
            ),
        },
        _ => code.snippet(syntax),
    };
    Fix { summary: format!("In {}, {summary}.", in_function(function)), snippet: Some(snippet) }
}
