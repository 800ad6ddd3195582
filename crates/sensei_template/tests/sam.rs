//! SAM expansion and the mapping of serverless resources, read from fixture templates and from
//! the public corpus.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::path::{Path, PathBuf};

use sensei_model::apigateway::ApiKind;
use sensei_model::dynamodb::BillingMode;
use sensei_model::iam::Role;
use sensei_model::lambda::{Architecture, EventSourceKind, Function};
use sensei_model::{Inventory, Policy, Provenance, Setting};
use sensei_policy::{ActionElement, PrincipalElement, PrincipalKind, PrincipalSet, ResourceElement};
use sensei_template::{Options, TemplateKind, TemplateRead, read};

fn fixture(name: &str) -> TemplateRead {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/sam").join(name);
    let text = std::fs::read_to_string(&path).unwrap();
    read(name, &text, &Options::default()).unwrap()
}

fn function<'a>(inv: &'a Inventory, id: &str) -> &'a Function {
    inv.functions.iter().find(|f| f.resource.id == id).unwrap_or_else(|| panic!("no function {id}"))
}

fn role<'a>(inv: &'a Inventory, id: &str) -> &'a Role {
    inv.roles.iter().find(|r| r.resource.id == id).unwrap_or_else(|| panic!("no role {id}"))
}

fn known<T: Clone + std::fmt::Debug>(s: &Setting<T>) -> T {
    s.known().cloned().unwrap_or_else(|| panic!("unknown: {s:?}"))
}

fn is_globals<T>(s: &Setting<T>) -> bool {
    matches!(s, Setting::Known(_, Provenance::Globals(_)))
}

fn is_declared<T>(s: &Setting<T>) -> bool {
    matches!(s, Setting::Known(_, Provenance::Declared(_)))
}

/// The resource patterns of every statement of a policy.
fn resources(policy: &Policy) -> Vec<String> {
    policy
        .statements
        .iter()
        .flat_map(|s| match &s.resource {
            Some(ResourceElement::Resource(p)) => p.iter().map(|p| p.as_str().to_string()).collect(),
            _ => Vec::new(),
        })
        .collect()
}

fn actions(policy: &Policy) -> Vec<String> {
    policy
        .statements
        .iter()
        .flat_map(|s| match &s.action {
            ActionElement::Action(p) => p.iter().map(|p| p.as_str().to_string()).collect(),
            ActionElement::NotAction(_) => Vec::new(),
        })
        .collect()
}

fn trusted_services(policy: &Policy) -> Vec<String> {
    policy
        .statements
        .iter()
        .flat_map(|s| match &s.principal {
            Some(PrincipalElement::Principal(PrincipalSet::Entries(entries))) => {
                entries.iter().filter(|e| e.kind == PrincipalKind::Service).map(|e| e.value.clone()).collect()
            }
            _ => Vec::new(),
        })
        .collect()
}

fn inline<'a>(role: &'a Role, name: &str) -> &'a Setting<Policy> {
    &role.policies.iter().find(|p| p.policy_name == name).unwrap_or_else(|| panic!("no policy {name}")).policy_document
}

#[test]
fn functions_inherit_globals_and_override_them() {
    let read = fixture("orders.yaml");
    assert_eq!(read.kind, TemplateKind::Sam);
    let inv = &read.inventory;

    let api = function(inv, "ApiFunction");
    assert_eq!(known(&api.runtime).as_deref(), Some("python3.12"));
    assert!(is_globals(&api.runtime));
    assert_eq!(known(&api.memory_size), 512);
    assert!(is_declared(&api.memory_size));
    assert_eq!(known(&api.timeout), 10);
    assert!(is_globals(&api.timeout));
    assert_eq!(known(&api.architectures), vec![Architecture::Arm64]);
    assert_eq!(known(&api.tracing_mode).as_deref(), Some("Active"));
    assert!(is_globals(&api.tracing_mode));
    // SAM puts the Globals list first, then the function's own.
    assert_eq!(known(&api.layers), vec!["${SharedLayer}", "arn:aws:lambda:us-east-1:123456789012:layer:extra:1"]);
    assert_eq!(known(&api.function_name), "${ApiFunction}");
    assert!(!known(&api.in_vpc));

    let worker = function(inv, "Worker");
    assert_eq!(known(&worker.runtime).as_deref(), Some("python3.11"));
    assert!(is_declared(&worker.runtime));
    assert_eq!(known(&worker.memory_size), 256);
    assert!(is_globals(&worker.memory_size));
    assert_eq!(known(&worker.tracing_mode), None, "Tracing: Disabled");
    assert_eq!(known(&worker.dead_letter_target_arn).as_deref(), Some("${JobsDlq.Arn}"));
    assert!(known(&worker.in_vpc));
    assert_eq!(known(&worker.architectures), vec![Architecture::X86_64]);
    assert_eq!(worker.architectures, Setting::Known(vec![Architecture::X86_64], Provenance::Default));
}

#[test]
fn generated_role_trusts_lambda_and_holds_the_expanded_policies() {
    let read = fixture("orders.yaml");
    let inv = &read.inventory;
    let api = function(inv, "ApiFunction");
    let role = role(inv, "ApiFunctionRole");
    assert_eq!(role.resource.generated_from.as_deref(), Some("ApiFunction"));
    assert_eq!(role.arn, "${ApiFunctionRole.Arn}");
    assert_eq!(known(&api.role), role.arn);

    assert_eq!(trusted_services(&known(&role.assume_role_policy_document)), vec!["lambda.amazonaws.com"]);
    assert_eq!(
        known(&role.managed_policy_arns),
        vec![
            "arn:${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
            "arn:${AWS::Partition}:iam::aws:policy/AWSXrayWriteOnlyAccess",
            "arn:${AWS::Partition}:iam::aws:policy/AmazonSSMReadOnlyAccess",
        ]
    );

    let s3_read = known(inline(role, "ApiFunctionRolePolicy0"));
    assert!(actions(&s3_read).contains(&"s3:GetObject".to_string()));
    assert_eq!(resources(&s3_read), vec!["arn:aws:s3:::${Uploads}", "arn:aws:s3:::${Uploads}/*"]);
    let crud = known(inline(role, "ApiFunctionRolePolicy1"));
    assert_eq!(
        resources(&crud),
        vec![
            "arn:aws:dynamodb:${AWS.Region}:${AWS.AccountId}:table/${Orders}",
            "arn:aws:dynamodb:${AWS.Region}:${AWS.AccountId}:table/${Orders}/index/*",
        ]
    );
    let statement = known(inline(role, "ApiFunctionRolePolicy3"));
    assert_eq!(resources(&statement), vec!["${Jobs.Arn}"]);
    match inline(role, "ApiFunctionRolePolicy4") {
        Setting::Unknown(why) => assert_eq!(why, "SAM policy template SomeFuturePolicy is not known to sensei"),
        other => panic!("expected unknown, got {other:?}"),
    }
    assert!(read.diagnostics.is_empty(), "{:?}", read.diagnostics);
}

#[test]
fn event_sources_add_their_managed_policies_and_a_dead_letter_policy() {
    let read = fixture("orders.yaml");
    let role = role(&read.inventory, "WorkerRole");
    assert_eq!(
        known(&role.managed_policy_arns),
        vec![
            "arn:${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
            "arn:${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole",
            "arn:${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaSQSQueueExecutionRole",
        ]
    );
    let dlq = known(inline(role, "DeadLetterQueuePolicy"));
    assert_eq!(actions(&dlq), vec!["sqs:SendMessage"]);
    assert_eq!(resources(&dlq), vec!["${JobsDlq.Arn}"]);
}

#[test]
fn api_events_create_the_implicit_apis_and_their_routes() {
    let read = fixture("orders.yaml");
    let inv = &read.inventory;
    let rest: Vec<_> = inv.apis.iter().filter(|a| a.resource.id == "ServerlessRestApi").collect();
    assert_eq!(rest.len(), 1);
    assert_eq!(rest[0].kind, ApiKind::Rest);
    assert_eq!(rest[0].resource.generated_from.as_deref(), Some("ApiFunction"));
    assert!(known(&rest[0].tracing_enabled));
    assert!(is_globals(&rest[0].tracing_enabled));
    let http = inv.apis.iter().find(|a| a.resource.id == "ServerlessHttpApi").unwrap();
    assert_eq!(http.kind, ApiKind::Http);

    let route = |method: &str, path: &str| {
        inv.routes.iter().find(|r| r.method == method && r.path == path).unwrap_or_else(|| panic!("no {method} {path}"))
    };
    let list = route("GET", "/orders");
    assert_eq!(list.api, "ServerlessRestApi");
    assert_eq!(list.function.as_deref(), Some("ApiFunction"));
    assert_eq!(known(&list.authorization_type).as_deref(), Some("NONE"));
    let create = route("POST", "/orders");
    assert_eq!(known(&create.authorization_type).as_deref(), Some("AWS_IAM"));
    assert!(is_declared(&create.authorization_type));
    let health = route("GET", "/health");
    assert_eq!(health.api, "ServerlessHttpApi");
    assert_eq!(known(&health.authorization_type).as_deref(), Some("NONE"));

    // `${ServerlessRestApi}` resolves because SAM generates it.
    let permission = inv.permissions.iter().find(|p| p.resource.id == "ApiInvokePermission").unwrap();
    assert_eq!(
        known(&permission.source_arn).as_deref(),
        Some("arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${ServerlessRestApi}/*")
    );
    let generated = inv.permissions.iter().find(|p| p.resource.id == "ApiFunctionListOrdersPermissionProd").unwrap();
    assert_eq!(known(&generated.principal), "apigateway.amazonaws.com");
    assert_eq!(
        known(&generated.source_arn).as_deref(),
        Some("arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${ServerlessRestApi}/*/GET/orders")
    );
}

#[test]
fn sqs_event_gives_an_event_source_with_the_queue_arn() {
    let read = fixture("orders.yaml");
    let inv = &read.inventory;
    let jobs = inv.event_sources.iter().find(|e| e.resource.id == "WorkerJobs").unwrap();
    assert_eq!(jobs.kind, EventSourceKind::Sqs);
    assert_eq!(jobs.function.as_deref(), Some("Worker"));
    assert_eq!(known(&jobs.event_source_arn).as_deref(), Some("${Jobs.Arn}"));
    assert_eq!(known(&jobs.batch_size), Some(5));
    assert_eq!(jobs.resource.resource_type.as_str(), "AWS::Lambda::EventSourceMapping");
    let nightly = inv.event_sources.iter().find(|e| e.resource.id == "WorkerNightly").unwrap();
    assert_eq!(nightly.kind, EventSourceKind::Schedule);

    let queue = inv.queues.iter().find(|q| q.resource.id == "Jobs").unwrap();
    assert_eq!(known(&queue.visibility_timeout), 60);
    assert_eq!(known(&queue.dead_letter_target_arn).as_deref(), Some("${JobsDlq.Arn}"));
    let dlq = inv.queues.iter().find(|q| q.resource.id == "JobsDlq").unwrap();
    assert_eq!(dlq.visibility_timeout, Setting::Known(30, Provenance::Default));
}

#[test]
fn simple_tables_bill_per_request_unless_provisioned() {
    let read = fixture("orders.yaml");
    let inv = &read.inventory;
    let orders = inv.tables.iter().find(|t| t.resource.id == "Orders").unwrap();
    assert_eq!(orders.billing_mode, Setting::Known(BillingMode::PayPerRequest, Provenance::Default));
    assert!(known(&orders.sse_enabled));
    assert!(is_globals(&orders.sse_enabled));
    let archive = inv.tables.iter().find(|t| t.resource.id == "Archive").unwrap();
    assert_eq!(known(&archive.billing_mode), BillingMode::Provisioned);
    assert_eq!(inv.layers.len(), 1);
    assert_eq!(known(&inv.layers[0].compatible_runtimes), vec!["python3.12"]);
}

#[test]
fn state_machine_gets_a_generated_role() {
    let read = fixture("orders.yaml");
    let inv = &read.inventory;
    let flow = inv.state_machines.iter().find(|s| s.resource.id == "Flow").unwrap();
    assert_eq!(known(&flow.state_machine_type), "EXPRESS");
    assert_eq!(known(&flow.logging_level).as_deref(), Some("ERROR"));
    assert!(known(&flow.tracing_enabled));
    assert_eq!(known(&flow.role), "${FlowRole.Arn}");
    let role = role(inv, "FlowRole");
    assert_eq!(trusted_services(&known(&role.assume_role_policy_document)), vec!["states.amazonaws.com"]);
    assert_eq!(known(&role.managed_policy_arns), vec!["arn:${AWS::Partition}:iam::aws:policy/AWSXrayWriteOnlyAccess"]);
    let invoke = known(inline(role, "FlowRolePolicy0"));
    assert_eq!(actions(&invoke), vec!["lambda:InvokeFunction"]);
    assert_eq!(resources(&invoke), vec!["arn:aws:lambda:${AWS.Region}:${AWS.AccountId}:function:${Worker}*"]);
    let logs = inv.log_groups.iter().find(|l| l.resource.id == "FlowLogs").unwrap();
    assert_eq!(known(&logs.retention_in_days), Some(14));
}

#[test]
fn sam_and_cloudformation_give_the_same_function() {
    let sam = fixture("handler-sam.yaml");
    let cfn = fixture("handler-cfn.yaml");
    assert_eq!(sam.kind, TemplateKind::Sam);
    assert_eq!(cfn.kind, TemplateKind::CloudFormation);
    let (s, c) = (function(&sam.inventory, "Handler"), function(&cfn.inventory, "Handler"));
    assert_eq!(known(&s.function_name), known(&c.function_name));
    assert_eq!(known(&s.runtime), known(&c.runtime));
    assert_eq!(known(&s.handler), known(&c.handler));
    assert_eq!(known(&s.package_type), known(&c.package_type));
    assert_eq!(known(&s.memory_size), known(&c.memory_size));
    assert_eq!(known(&s.timeout), known(&c.timeout));
    assert!(is_globals(&s.timeout) && is_declared(&c.timeout));
    assert_eq!(known(&s.architectures), known(&c.architectures));
    assert_eq!(known(&s.role), known(&c.role));
    assert_eq!(known(&s.tracing_mode), known(&c.tracing_mode));
    assert_eq!(known(&s.dead_letter_target_arn), known(&c.dead_letter_target_arn));
    assert_eq!(known(&s.reserved_concurrent_executions), known(&c.reserved_concurrent_executions));
    assert_eq!(known(&s.layers), known(&c.layers));
    assert_eq!(known(&s.in_vpc), known(&c.in_vpc));

    let (sr, cr) = (role(&sam.inventory, "HandlerRole"), role(&cfn.inventory, "HandlerRole"));
    assert_eq!(sr.arn, cr.arn);
    assert_eq!(known(&sr.managed_policy_arns), known(&cr.managed_policy_arns));
    assert_eq!(known(&sr.assume_role_policy_document), known(&cr.assume_role_policy_document));
    assert_eq!(known(inline(sr, "DeadLetterQueuePolicy")), known(inline(cr, "DeadLetterQueuePolicy")));

    let (se, ce) = (&sam.inventory.event_sources[0], &cfn.inventory.event_sources[0]);
    assert_eq!((&se.kind, &se.function), (&ce.kind, &ce.function));
    assert_eq!(known(&se.event_source_arn), known(&ce.event_source_arn));
    assert_eq!(known(&se.batch_size), known(&ce.batch_size));
}

#[test]
fn cloudformation_apis_queues_tables_and_state_machines() {
    let read = fixture("services-cfn.yaml");
    let inv = &read.inventory;
    assert!(read.diagnostics.is_empty(), "{:?}", read.diagnostics);

    let route = |method: &str, path: &str| {
        inv.routes.iter().find(|r| r.method == method && r.path == path).unwrap_or_else(|| panic!("no {method} {path}"))
    };
    let get = route("GET", "/items/{id}");
    assert_eq!(get.api, "Api");
    assert_eq!(known(&get.authorization_type).as_deref(), Some("AWS_IAM"));
    assert_eq!(get.function.as_deref(), Some("Fn"));
    let root = route("ANY", "/");
    assert_eq!(root.authorization_type, Setting::Known(Some("NONE".to_string()), Provenance::Default));
    assert_eq!(root.function, None);
    let post = route("POST", "/orders");
    assert_eq!(post.api, "Http");
    assert_eq!(known(&post.authorization_type).as_deref(), Some("JWT"));
    assert_eq!(known(&post.authorizer).as_deref(), Some("${HttpAuthorizer}"));
    assert_eq!(post.function.as_deref(), Some("Fn"));
    let connect = route("$connect", "");
    assert_eq!(connect.api, "Socket");

    let kind = |id: &str| inv.apis.iter().find(|a| a.resource.id == id).unwrap().kind;
    assert_eq!((kind("Api"), kind("Http"), kind("Socket")), (ApiKind::Rest, ApiKind::Http, ApiKind::WebSocket));
    let api = inv.apis.iter().find(|a| a.resource.id == "Api").unwrap();
    assert_eq!(known(&api.minimum_compression_size), Some(1024));
    assert_eq!(known(&api.name).as_deref(), Some("orders"));

    let queue = inv.queues.iter().find(|q| q.resource.id == "Queue").unwrap();
    assert!(known(&queue.fifo_queue));
    assert_eq!(known(&queue.kms_master_key_id).as_deref(), Some("alias/aws/sqs"));
    assert_eq!(known(&queue.dead_letter_target_arn).as_deref(), Some("arn:aws:sqs:us-east-1:123456789012:dlq.fifo"));
    let plain = inv.queues.iter().find(|q| q.resource.id == "PlainQueue").unwrap();
    assert_eq!(known(&plain.sqs_managed_sse_enabled), Some(false));
    assert_eq!(known(&plain.dead_letter_target_arn), None);

    let mapping = inv.event_sources.iter().find(|e| e.resource.id == "Mapping").unwrap();
    assert_eq!((mapping.kind.clone(), mapping.function.as_deref()), (EventSourceKind::Sqs, Some("Fn")));
    let stream = inv.event_sources.iter().find(|e| e.resource.id == "StreamMapping").unwrap();
    assert_eq!((stream.kind.clone(), stream.function.as_deref()), (EventSourceKind::Kinesis, None));
    assert_eq!(known(&stream.batch_size), Some(100));

    assert_eq!(known(&inv.topics[0].kms_master_key_id).as_deref(), Some("alias/aws/sns"));
    let table = inv.tables.iter().find(|t| t.resource.id == "Table").unwrap();
    assert_eq!(known(&table.billing_mode), BillingMode::PayPerRequest);
    assert!(known(&table.point_in_time_recovery_enabled));
    assert!(known(&table.deletion_protection_enabled));
    assert!(known(&table.sse_enabled));
    let provisioned = inv.tables.iter().find(|t| t.resource.id == "ProvisionedTable").unwrap();
    assert_eq!(provisioned.billing_mode, Setting::Known(BillingMode::Provisioned, Provenance::Default));
    assert_eq!(provisioned.point_in_time_recovery_enabled, Setting::Known(false, Provenance::Default));

    let machine = &inv.state_machines[0];
    assert_eq!(machine.state_machine_type, Setting::Known("STANDARD".to_string(), Provenance::Default));
    assert_eq!(known(&machine.logging_level).as_deref(), Some("ALL"));
    assert!(known(&machine.tracing_enabled));
    assert_eq!(known(&machine.role), "${FnRole.Arn}");

    let retention = |id: &str| known(&inv.log_groups.iter().find(|l| l.resource.id == id).unwrap().retention_in_days);
    assert_eq!((retention("ApiLogs"), retention("ForeverLogs")), (Some(30), None));
    assert_eq!(known(&inv.layers[0].compatible_runtimes), vec!["python3.12"]);
    let invoke = &inv.permissions[0];
    assert_eq!(known(&invoke.function), "${Fn}");
    assert_eq!(known(&invoke.source_account).as_deref(), Some("${AWS::AccountId}"));

    let f = function(inv, "Fn");
    assert_eq!(known(&f.role), role(inv, "FnRole").arn);
    assert_eq!(f.memory_size, Setting::Known(128, Provenance::Default));
    assert_eq!(f.timeout, Setting::Known(3, Provenance::Default));
    assert_eq!(known(&f.function_name), "${Fn}");
}

/// Needs `resources::finish`, which `read` runs after mapping every resource.
#[test]
fn policies_and_stages_attach_after_mapping() {
    let read = fixture("services-cfn.yaml");
    let inv = &read.inventory;
    let names: Vec<&str> = role(inv, "FnRole").policies.iter().map(|p| p.policy_name.as_str()).collect();
    assert_eq!(names, vec!["logs", "ReadTables", "queue"]);
    let api = inv.apis.iter().find(|a| a.resource.id == "Api").unwrap();
    assert!(known(&api.tracing_enabled));
    assert_eq!(known(&api.access_log_destination).as_deref(), Some("${ApiLogs.Arn}"));

    let sam = fixture("orders.yaml");
    let worker = role(&sam.inventory, "WorkerRole");
    assert_eq!(actions(&known(inline(worker, "worker-extra"))), vec!["s3:PutObject"]);
}

/// Every template of the public corpus reads without a panic; SAM templates give resources.
#[test]
fn reads_the_public_corpus() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/public");
    if !root.is_dir() {
        eprintln!("no corpus at {}", root.display());
        return;
    }
    let mut files = Vec::new();
    collect(&root, &mut files);
    files.sort();
    let (mut read_ok, mut errors, mut sam, mut resources) = (0, 0, 0, 0);
    for path in &files {
        let Ok(text) = std::fs::read_to_string(path) else { continue };
        let name = path.strip_prefix(&root).unwrap_or(path).display().to_string();
        match std::panic::catch_unwind(|| read(&name, &text, &Options::default())) {
            Err(_) => panic!("reading {name} panicked"),
            Ok(Err(_)) => errors += 1,
            Ok(Ok(r)) => {
                read_ok += 1;
                resources += r.inventory.len();
                if r.kind == TemplateKind::Sam && declares_serverless(&text) {
                    sam += 1;
                    assert!(!r.inventory.is_empty(), "{name}: a SAM template gave no resources");
                }
            }
        }
    }
    println!("corpus: {} files, {read_ok} read, {errors} errors, {sam} SAM, {resources} model resources", files.len());
    assert!(read_ok > 0);
}

/// Whether a template declares a SAM resource that the model covers.
fn declares_serverless(text: &str) -> bool {
    ["Function", "Api", "HttpApi", "SimpleTable", "StateMachine", "LayerVersion"]
        .iter()
        .any(|t| text.contains(&format!("AWS::Serverless::{t}\"")) || text.contains(&format!("AWS::Serverless::{t}\n")))
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().to_string();
        if path.is_dir() {
            if name != "LICENSES" {
                collect(&path, out);
            }
        } else if name != "MANIFEST.tsv"
            && [".yaml", ".yml", ".json", ".template"].iter().any(|ext| name.ends_with(ext))
        {
            out.push(path);
        }
    }
}
