//! Questions about every request in a space ("is every plain-HTTP request denied?", "is anything granted
//! to outsiders?"), answered exactly with finitely many witness requests.
//!
//! A policy can only tell requests apart through the literals and patterns it contains, so the space
//! splits into finitely many classes per dimension:
//!
//! - **callers**: anonymous, an AWS principal of an account the policy never names, each principal it names
//!   (for [`CallerScope::Everyone`]), a fresh service principal (and a fresh federated or canonical user when
//!   the policy names that kind);
//! - **actions**: one action of the service per class of the policy's Action and NotAction patterns,
//!   found by running the patterns' automata together (`s3:Get*` and `s3:*Object` give `s3:GetObject`,
//!   `s3:GetSenseiWitness`, `s3:SenseiWitnessObject` and a fresh action no pattern names);
//! - **resources**: each exact ARN, and under each prefix one ARN per class of the Resource and
//!   NotResource patterns (`b/public/*` gives `b/public/x` and `b/x`);
//! - **context**: for each condition key that is not fixed, the key absent and one value per class of
//!   the values its conditions compare with (strings by the same automaton search, numbers and dates at,
//!   between and around the constants, IP addresses at and around range ends), and for keys used with
//!   `ForAllValues`/`ForAnyValue`, sets of those values. Values are kept only if they change the truth of
//!   some condition.
//!
//! Rather than evaluating the whole product, for each (caller, action, resource) the statements whose
//! principal, action and resource match are collected, and a small search picks context values that
//! make every applying Deny's condition false (and, for [`Policy::allowed`], one Allow's condition true):
//! it branches over which condition entry to falsify and narrows that key's values. This is exact, and
//! the answer is one witness per (caller, action, resource) that has one.
//!
//! Where it is not exact (documented so rule authors can judge):
//! - keys are typed by the operators that test them, as IAM's keys are: a key tested only by `Bool` takes
//!   `true` or `false`, one tested only by `Numeric*` takes numbers, by `Date*` dates, by `IpAddress`
//!   addresses. A request giving such a key a value of another type (TLS version `"abc"`) is not modelled;
//! - policy variables (`${aws:username}`) take the values absent, a fresh value, or a value the policy
//!   compares that key with; with many variable keys only some combinations are tried;
//! - a key compared by several families (a string and a number test on one key) gets the union of each
//!   family's values, not their cross classes; multi-valued keys try every set of up to eight classes,
//!   then singles, pairs and all together;
//! - context keys are independent of the caller (a witness may pair `aws:PrincipalAccount` with a caller
//!   of another account), which only adds requests, so "nothing escapes" answers stay sound;
//! - the search has a step budget; when it runs out, the request is reported as a witness (towards a
//!   finding, never towards a silent pass). The automaton search stops after 200,000 states, far beyond
//!   what policies of IAM's size limits reach.

use rustc_hash::FxHashMap;

use crate::condition::{Condition, Constant, Family};
use crate::eval::{action_matches, resource_matches, same_key};
use crate::explore::one_per_class;
use crate::pattern::{Glob, Mode, Pattern};
use crate::principal::{PrincipalKind, arn_parts, is_account_id};
use crate::values;
use crate::{ActionElement, Caller, Effect, Policy, Request, ResourceElement};

/// A set of requests to ask a question about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestSpace {
    /// The service whose actions are in scope, e.g. "s3": every action `s3:*`, including ones the policy
    /// never names.
    pub service: String,
    /// Resources in scope: exact ARNs and "every ARN that starts with this prefix" (e.g. every object
    /// `arn:aws:s3:::b/` + any key of at least one character).
    pub resources: Vec<ResourceScope>,
    /// Context keys fixed for every request in the space, e.g. ("aws:SecureTransport", ["false"]). Every
    /// other key the policy tests may be absent or take any value.
    pub fixed: Vec<(String, Vec<String>)>,
    /// Who may be the caller.
    pub callers: CallerScope,
}

/// Resources in a [`RequestSpace`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ResourceScope {
    /// This ARN.
    Exact(String),
    /// Every ARN that is this prefix followed by at least one more character.
    AnyUnder(String),
}

/// Callers in a [`RequestSpace`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CallerScope {
    /// Every caller, anonymous ones and ones the policy never names included ("denies every request").
    Everyone,
    /// Only callers from outside: anonymous, and any principal of an account the policy never names
    /// ("is public"). Their identity-bound context keys (source VPC and endpoint, organization, principal
    /// and source account and ARN, user name and id, source IP) are absent or take a fresh value that
    /// meets no condition it can avoid: a source IP lies outside every range the policy names unless
    /// ranges cover every address, such as `0.0.0.0/0`.
    Outsiders,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Goal {
    NotDenied,
    Allowed,
}

/// Keys whose value an outsider cannot choose: absent or fresh only.
const IDENTITY_KEYS: [&str; 14] = [
    "aws:sourcevpc",
    "aws:sourcevpce",
    "aws:principalorgid",
    "aws:principalorgpaths",
    "aws:principalaccount",
    "aws:principalarn",
    "aws:sourceaccount",
    "aws:sourcearn",
    "aws:sourceowner",
    "aws:sourceorgid",
    "aws:userid",
    "aws:username",
    "aws:vpcsourceip",
    "aws:sourceip",
];

/// Present only when an AWS service calls: absent for outsiders.
const SERVICE_KEYS: [&str; 2] = ["aws:principalservicename", "aws:principalservicenameslist"];

/// `aws:PrincipalIsAWSService` is `false` for outsiders.
const IS_SERVICE_KEY: &str = "aws:principalisawsservice";

/// A readable value that stands for "anything else".
const FRESH: &str = "sensei-witness";

/// Steps the context search may take over one whole question.
const SEARCH_BUDGET: usize = 2_000_000;

/// Above this many combinations of policy-variable values, only some are tried.
const MAX_ASSIGNMENTS: usize = 64;

/// Multi-valued keys try every set of classes up to this many classes.
const MAX_SET_CLASSES: usize = 8;

/// Solved context searches by (assignment, applying denies, applying allows).
type Memo = FxHashMap<(usize, Vec<usize>, Vec<usize>), Option<Vec<usize>>>;

pub(crate) fn search(policy: &Policy, space: &RequestSpace, goal: Goal) -> Vec<Request> {
    let question = Question::new(policy, space);
    let assignments = var_assignments(&question.var_keys, &question.atoms, question.outsiders);
    let callers = caller_witnesses(policy, space.callers);
    let actions = action_witnesses(policy, &space.service);

    // Resources depend on the variables' values: gather them over every assignment, then match each.
    let mut resources: Vec<String> = Vec::new();
    for assignment in &assignments {
        let known = question.known(assignment);
        for r in resource_witnesses(policy, &space.resources, &|key| known.single(key)) {
            if !resources.contains(&r) {
                resources.push(r);
            }
        }
    }
    let views: Vec<View> = assignments.iter().map(|a| question.view(a, &resources)).collect();
    let principal_match = matrix(policy, &callers, |st, c| st.principal.as_ref().is_none_or(|p| p.matches(c)));
    let action_match = matrix(policy, &actions, |st, a| action_matches(&st.action, a));

    let mut memo = Memo::default();
    let mut budget = SEARCH_BUDGET;
    let mut key: (usize, Vec<usize>, Vec<usize>) = (0, Vec::new(), Vec::new());
    let mut out = Vec::new();
    for (ci, caller) in callers.iter().enumerate() {
        for (ai, action) in actions.iter().enumerate() {
            for (ri, resource) in resources.iter().enumerate() {
                for ((vi, view), assignment) in views.iter().enumerate().zip(&assignments) {
                    // The statements that apply but for their conditions, in a key reused from one
                    // request to the next (most are answered by the memo).
                    key.0 = vi;
                    key.1.clear();
                    key.2.clear();
                    for (s, st) in policy.statements.iter().enumerate() {
                        let hit =
                            |m: &[Vec<bool>], i: usize| m.get(s).and_then(|row| row.get(i)).copied() == Some(true);
                        if hit(&principal_match, ci) && hit(&action_match, ai) && hit(&view.resource_match, ri) {
                            match st.effect {
                                Effect::Deny => key.1.push(s),
                                Effect::Allow => key.2.push(s),
                            }
                        }
                    }
                    let choice = match memo.get(&key) {
                        Some(found) => found.clone(),
                        None => {
                            let found = view.solve(&key.1, &key.2, goal, &mut budget);
                            memo.insert(key.clone(), found.clone());
                            found
                        }
                    };
                    if let Some(choice) = choice {
                        let context = question.context(assignment, view, &choice);
                        out.push(Request {
                            caller: caller.clone(),
                            action: action.clone(),
                            resource: resource.clone(),
                            context,
                        });
                        break;
                    }
                }
            }
        }
    }
    out
}

/// `matrix[statement][i]`: whether `test` holds for each statement and item.
fn matrix<T>(policy: &Policy, items: &[T], test: impl Fn(&crate::Statement, &T) -> bool) -> Vec<Vec<bool>> {
    policy.statements.iter().map(|st| items.iter().map(|item| test(st, item)).collect()).collect()
}

/// What a question needs from the policy: its condition entries and where each entry's key lives.
struct Question<'a> {
    policy: &'a Policy,
    space: &'a RequestSpace,
    outsiders: bool,
    /// Keys read as policy variables (and not fixed): assigned before the context search.
    var_keys: Vec<String>,
    /// The other condition keys not fixed: chosen by the context search.
    free_keys: Vec<String>,
    /// Every condition entry with its statement.
    atoms: Vec<(usize, &'a Condition)>,
    /// For each entry: its free key and its index among that key's entries, or `None` if fixed or a variable.
    slots: Vec<Option<(usize, usize)>>,
    /// For each free key: the entries that test it.
    per_key: Vec<Vec<usize>>,
}

impl<'a> Question<'a> {
    fn new(policy: &'a Policy, space: &'a RequestSpace) -> Question<'a> {
        let is_fixed = |key: &str| space.fixed.iter().any(|(k, _)| same_key(k, key));
        let mut var_keys: Vec<String> = Vec::new();
        for pattern in variable_patterns(policy) {
            for key in pattern.variables().filter(|k| !is_fixed(k)) {
                push_key(&mut var_keys, key);
            }
        }
        let atoms: Vec<(usize, &Condition)> =
            policy.statements.iter().enumerate().flat_map(|(s, st)| st.condition.iter().map(move |c| (s, c))).collect();
        let mut free_keys: Vec<String> = Vec::new();
        for (_, c) in &atoms {
            if !is_fixed(&c.key) && !var_keys.iter().any(|k| same_key(k, &c.key)) {
                push_key(&mut free_keys, &c.key);
            }
        }
        let mut per_key: Vec<Vec<usize>> = vec![Vec::new(); free_keys.len()];
        let slots = atoms
            .iter()
            .enumerate()
            .map(|(i, (_, c))| {
                let k = free_keys.iter().position(|k| same_key(k, &c.key))?;
                let list = per_key.get_mut(k)?;
                list.push(i);
                Some((k, list.len() - 1))
            })
            .collect();
        let outsiders = space.callers == CallerScope::Outsiders;
        Question { policy, space, outsiders, var_keys, free_keys, atoms, slots, per_key }
    }

    fn known<'k>(&'k self, assignment: &'k [Option<String>]) -> Known<'k> {
        Known { fixed: &self.space.fixed, keys: &self.var_keys, values: assignment }
    }

    /// The domains, statement facts and resource matches under one assignment of the variables.
    fn view(&self, assignment: &[Option<String>], resources: &[String]) -> View {
        let known = self.known(assignment);
        let vars = |key: &str| known.single(key);
        let domains = self
            .free_keys
            .iter()
            .zip(&self.per_key)
            .map(|(key, ids)| {
                let conds: Vec<&Condition> = ids.iter().filter_map(|&i| self.atoms.get(i).map(|(_, c)| *c)).collect();
                Domain::new(key, &conds, &vars, self.outsiders)
            })
            .collect();
        let mut facts: Vec<Facts> = self.policy.statements.iter().map(|_| Facts::default()).collect();
        for ((s, c), slot) in self.atoms.iter().zip(&self.slots) {
            let Some(f) = facts.get_mut(*s) else { continue };
            match slot {
                Some(free) => f.free.push(*free),
                None => {
                    let values = known.values(&c.key);
                    let refs: Vec<&str> = values.iter().map(String::as_str).collect();
                    f.never |= !c.holds(&refs, &vars);
                }
            }
        }
        let resource_match = matrix(self.policy, resources, |st, r| resource_matches(st.resource.as_ref(), r, &vars));
        View { domains, facts, resource_match }
    }

    /// The request context of a witness: the fixed keys, the variables, then the chosen free keys.
    fn context(&self, assignment: &[Option<String>], view: &View, choice: &[usize]) -> Vec<(String, Vec<String>)> {
        let mut context = self.space.fixed.clone();
        for (key, value) in self.var_keys.iter().zip(assignment) {
            if let Some(v) = value {
                context.push((key.clone(), vec![v.clone()]));
            }
        }
        for ((key, domain), &pick) in self.free_keys.iter().zip(&view.domains).zip(choice) {
            match domain.lists.get(pick) {
                Some(list) if !list.is_empty() => context.push((key.clone(), list.clone())),
                _ => {}
            }
        }
        context
    }
}

/// Adds `key` unless a case variant is already there (the first spelling wins).
fn push_key(keys: &mut Vec<String>, key: &str) {
    if !keys.iter().any(|k| same_key(k, key)) {
        keys.push(key.to_owned());
    }
}

fn is_in(list: &[&str], key: &str) -> bool {
    list.iter().any(|k| same_key(k, key))
}

/// Patterns that may hold policy variables: resources and string or ARN condition values.
fn variable_patterns(policy: &Policy) -> Vec<&Pattern> {
    let mut out = Vec::new();
    for st in &policy.statements {
        if let Some(ResourceElement::Resource(list) | ResourceElement::NotResource(list)) = &st.resource {
            out.extend(list);
        }
        for c in &st.condition {
            out.extend(c.constants().iter().filter_map(|k| match k {
                Constant::Text(p) => Some(p),
                _ => None,
            }));
        }
    }
    out
}

/// Values known before the context search: the fixed keys and one assignment of the variable keys.
struct Known<'a> {
    fixed: &'a [(String, Vec<String>)],
    keys: &'a [String],
    values: &'a [Option<String>],
}

impl Known<'_> {
    fn values(&self, key: &str) -> Vec<String> {
        if let Some((_, v)) = self.fixed.iter().find(|(k, _)| same_key(k, key)) {
            return v.clone();
        }
        self.keys
            .iter()
            .zip(self.values)
            .find(|(k, _)| same_key(k, key))
            .and_then(|(_, v)| v.clone())
            .into_iter()
            .collect()
    }

    /// A policy variable's value: the key's only value.
    fn single(&self, key: &str) -> Option<String> {
        match self.values(key).as_slice() {
            [one] => Some(one.clone()),
            _ => None,
        }
    }
}

/// Values tried for each policy variable key, combined.
fn var_assignments(keys: &[String], atoms: &[(usize, &Condition)], outsiders: bool) -> Vec<Vec<Option<String>>> {
    let options: Vec<Vec<Option<String>>> = keys
        .iter()
        .map(|key| {
            let mut opts = vec![None, Some(FRESH.to_owned())];
            if !(outsiders && (is_in(&IDENTITY_KEYS, key) || is_in(&SERVICE_KEYS, key))) {
                for (_, c) in atoms.iter().filter(|(_, c)| same_key(&c.key, key)) {
                    for (text, constant) in c.values.iter().zip(c.constants()) {
                        let plain = match constant {
                            Constant::Text(p) => !p.has_wildcards() && p.variables().next().is_none(),
                            _ => true,
                        };
                        if plain && !opts.contains(&Some(text.clone())) {
                            opts.push(Some(text.clone()));
                        }
                    }
                }
            }
            opts
        })
        .collect();
    let total = options.iter().try_fold(1usize, |n, o| n.checked_mul(o.len()));
    if total.is_some_and(|n| n <= MAX_ASSIGNMENTS) {
        let mut all: Vec<Vec<Option<String>>> = vec![Vec::new()];
        for opts in &options {
            all = all
                .iter()
                .flat_map(|prefix| opts.iter().map(move |o| [prefix.clone(), vec![o.clone()]].concat()))
                .collect();
        }
        return all;
    }
    // Too many: every key absent, every key fresh, and each other value with the rest fresh.
    let fresh: Vec<Option<String>> = keys.iter().map(|_| Some(FRESH.to_owned())).collect();
    let mut some = vec![keys.iter().map(|_| None).collect(), fresh.clone()];
    for (i, opts) in options.iter().enumerate() {
        for o in opts.iter().skip(2) {
            let mut one = fresh.clone();
            if let Some(slot) = one.get_mut(i) {
                *slot = o.clone();
            }
            some.push(one);
        }
    }
    some
}

/// An account id that appears nowhere in the policy.
fn fresh_account(policy: &Policy) -> String {
    let mut texts: Vec<&str> = Vec::new();
    for st in &policy.statements {
        if let Some(p) = &st.principal {
            texts.extend(p.entries().iter().map(|e| e.value.as_str()));
        }
        if let Some(ResourceElement::Resource(list) | ResourceElement::NotResource(list)) = &st.resource {
            texts.extend(list.iter().map(Pattern::as_str));
        }
        for c in &st.condition {
            texts.extend(c.values.iter().map(String::as_str));
        }
    }
    (0u64..)
        .map(|n| format!("{:012}", 999_988_887_777u64.saturating_sub(n.saturating_mul(1_111_111))))
        .find(|acct| !texts.iter().any(|t| t.contains(acct.as_str())))
        .unwrap_or_else(|| "999988887777".to_owned())
}

fn caller_witnesses(policy: &Policy, scope: CallerScope) -> Vec<Caller> {
    let fresh = fresh_account(policy);
    let user = |account: &str| Caller::Aws {
        arn: format!("arn:aws:iam::{account}:user/{FRESH}"),
        account: account.to_owned(),
    };
    let mut out = vec![Caller::Anonymous, user(&fresh)];
    if scope == CallerScope::Outsiders {
        return out;
    }
    let entries: Vec<_> =
        policy.statements.iter().filter_map(|st| st.principal.as_ref()).flat_map(|p| p.entries()).collect();
    let named = |kind: PrincipalKind| entries.iter().any(|e| e.kind == kind);
    let (federated, canonical) = (named(PrincipalKind::Federated), named(PrincipalKind::CanonicalUser));
    for e in &entries {
        let caller = match e.kind {
            _ if e.value == "*" => continue,
            PrincipalKind::Aws => match e.account() {
                Some(account) => user(account),
                None => {
                    let account =
                        arn_parts(&e.value).map(|p| p[4]).filter(|a| is_account_id(a)).unwrap_or(fresh.as_str());
                    Caller::Aws { arn: e.value.clone(), account: account.to_owned() }
                }
            },
            PrincipalKind::Service => Caller::Service(e.value.clone()),
            PrincipalKind::Federated => Caller::Federated(e.value.clone()),
            PrincipalKind::CanonicalUser => Caller::CanonicalUser(e.value.clone()),
        };
        out.push(caller);
    }
    // Fresh names of the other kinds, unless the policy happens to name them.
    let unnamed = |name: &str| {
        if entries.iter().any(|e| e.value == name) { format!("{name}-2") } else { name.to_owned() }
    };
    out.push(Caller::Service(unnamed("sensei-witness.amazonaws.com")));
    if federated {
        out.push(Caller::Federated(unnamed("sensei-witness.example.com")));
    }
    if canonical {
        out.push(Caller::CanonicalUser(unnamed(FRESH)));
    }
    let mut unique = Vec::with_capacity(out.len());
    for c in out {
        if !unique.contains(&c) {
            unique.push(c);
        }
    }
    unique
}

/// A few real action names per service, so witnesses read like `s3:GetObject` where the class allows.
fn well_known_actions(service: &str) -> &'static [&'static str] {
    match service.to_ascii_lowercase().as_str() {
        "s3" => &["GetObject", "PutObject", "ListBucket", "DeleteObject"],
        "sqs" => &["SendMessage", "ReceiveMessage"],
        "sns" => &["Publish", "Subscribe"],
        "lambda" => &["InvokeFunction"],
        "kms" => &["Decrypt", "Encrypt"],
        "dynamodb" => &["GetItem", "PutItem"],
        "sts" => &["AssumeRole"],
        "execute-api" => &["Invoke"],
        "events" => &["PutEvents"],
        "logs" => &["PutLogEvents"],
        _ => &[],
    }
}

fn action_witnesses(policy: &Policy, service: &str) -> Vec<String> {
    let patterns: Vec<&Pattern> = policy
        .statements
        .iter()
        .flat_map(|st| match &st.action {
            ActionElement::Action(list) | ActionElement::NotAction(list) => list.iter(),
        })
        .collect();
    let globs: Vec<Glob> = patterns.iter().filter_map(|p| p.resolve(&|_| None).map(|g| g.into_owned())).collect();
    let mut readable: Vec<String> = well_known_actions(service).iter().map(|a| format!("{service}:{a}")).collect();
    readable.extend(patterns.iter().filter(|p| !p.has_wildcards()).map(|p| p.as_str().to_owned()));
    readable.extend(globs.iter().map(|g| g.instance('X', "SenseiWitness")));
    readable.push(format!("{service}:SenseiWitnessAction"));
    let within = Glob::prefix_and_more(&format!("{service}:"), true);
    one_per_class(&within, &globs.iter().collect::<Vec<_>>(), &readable)
}

fn resource_witnesses(policy: &Policy, scopes: &[ResourceScope], vars: &dyn Fn(&str) -> Option<String>) -> Vec<String> {
    let patterns: Vec<&Pattern> = policy
        .statements
        .iter()
        .filter_map(|st| match &st.resource {
            Some(ResourceElement::Resource(list) | ResourceElement::NotResource(list)) => Some(list.iter()),
            None => None,
        })
        .flatten()
        .collect();
    let globs: Vec<Glob> = patterns.iter().filter_map(|p| p.resolve(vars).map(|g| g.into_owned())).collect();
    let refs: Vec<&Glob> = globs.iter().collect();
    let mut out = Vec::new();
    for scope in scopes {
        match scope {
            ResourceScope::Exact(arn) => out.push(arn.clone()),
            ResourceScope::AnyUnder(prefix) => {
                let mut readable = vec![format!("{prefix}x")];
                readable.extend(globs.iter().map(|g| g.instance('x', "x")));
                let within = Glob::prefix_and_more(prefix, false);
                out.extend(one_per_class(&within, &refs, &readable));
            }
        }
    }
    out
}

/// The values one free context key takes: `lists[0]` is absent (empty), then sets of values, one per
/// distinct truth of the key's condition entries (`truths[candidate][entry]`).
struct Domain {
    lists: Vec<Vec<String>>,
    truths: Vec<Vec<bool>>,
}

impl Domain {
    fn new(key: &str, conds: &[&Condition], vars: &dyn Fn(&str) -> Option<String>, outsiders: bool) -> Domain {
        let mut singles = single_values(conds, vars);
        if outsiders && is_in(&SERVICE_KEYS, key) {
            singles.clear();
        } else if outsiders && same_key(key, IS_SERVICE_KEY) {
            singles = vec!["false".to_owned()];
        } else if outsiders && is_in(&IDENTITY_KEYS, key) {
            singles = least_matching(singles, conds, vars);
        }
        // One value per class of what the entries' values see.
        let signature = |v: &str| -> Vec<bool> { conds.iter().flat_map(|c| c.base_matches(v, vars)).collect() };
        let mut classes: Vec<(String, Vec<bool>)> = Vec::new();
        for v in singles {
            let sig = signature(&v);
            if !classes.iter().any(|(_, s)| *s == sig) {
                classes.push((v, sig));
            }
        }
        let values: Vec<String> = classes.into_iter().map(|(v, _)| v).collect();
        let multi = conds.iter().any(|c| c.operator.qualifier.is_some());
        let mut lists: Vec<Vec<String>> = vec![Vec::new()];
        lists.extend(values.iter().map(|v| vec![v.clone()]));
        if multi {
            lists.extend(value_sets(&values));
        }
        let mut domain = Domain { lists: Vec::new(), truths: Vec::new() };
        for list in lists {
            let refs: Vec<&str> = list.iter().map(String::as_str).collect();
            let truth: Vec<bool> = conds.iter().map(|c| c.holds(&refs, vars)).collect();
            if !domain.truths.contains(&truth) {
                domain.truths.push(truth);
                domain.lists.push(list);
            }
        }
        domain
    }
}

/// Sets of two or more values: all of them for up to eight classes, else pairs and the whole set.
fn value_sets(values: &[String]) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    if values.len() <= MAX_SET_CLASSES {
        let mut masks: Vec<u32> = (1u32..(1 << values.len())).filter(|m| m.count_ones() >= 2).collect();
        masks.sort_by_key(|m| m.count_ones());
        for m in masks {
            out.push(values.iter().enumerate().filter(|(i, _)| m & (1 << i) != 0).map(|(_, v)| v.clone()).collect());
        }
    } else {
        for (i, a) in values.iter().enumerate() {
            for b in values.iter().skip(i + 1) {
                out.push(vec![a.clone(), b.clone()]);
            }
        }
        out.push(values.to_vec());
    }
    out
}

/// Candidate single values for a key: one per class of each family of values its entries compare with.
fn single_values(conds: &[&Condition], vars: &dyn Fn(&str) -> Option<String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let families: Vec<Family> = conds.iter().map(|c| c.family()).collect();
    let globs: Vec<Glob> = conds
        .iter()
        .flat_map(|c| c.constants().iter())
        .filter_map(|k| match k {
            Constant::Text(p) => p.resolve(vars).map(|g| g.into_owned()),
            Constant::Binary(b) => Pattern::new(b, Mode::default()).resolve(vars).map(|g| g.into_owned()),
            _ => None,
        })
        .collect();
    if !globs.is_empty() {
        let mut readable: Vec<String> = globs.iter().map(|g| g.instance('x', "")).collect();
        readable.push(FRESH.to_owned());
        out.extend(one_per_class(&Glob::everything(), &globs.iter().collect::<Vec<_>>(), &readable));
    }
    if families.contains(&Family::Bool) {
        out.extend(["true".to_owned(), "false".to_owned()]);
        for c in conds.iter().filter(|c| c.family() == Family::Bool) {
            out.extend(c.values.iter().map(|v| v.trim().to_ascii_lowercase()));
        }
    }
    let of_family = |f: Family| conds.iter().filter(move |c| c.family() == f).flat_map(|c| c.values.iter());
    if families.contains(&Family::Numeric) {
        let texts: Vec<&str> = of_family(Family::Numeric).map(String::as_str).collect();
        out.extend(values::number_candidates(&texts));
    }
    if families.contains(&Family::Date) {
        let dates: Vec<i64> = of_family(Family::Date).filter_map(|t| values::parse_date(t)).collect();
        out.extend(values::date_candidates(&dates));
    }
    if families.contains(&Family::Ip) {
        let cidrs: Vec<_> = of_family(Family::Ip).filter_map(|t| values::parse_cidr(t)).collect();
        out.extend(values::ip_candidates(&cidrs));
    }
    if out.is_empty() {
        out.push(FRESH.to_owned());
    }
    let mut unique = Vec::with_capacity(out.len());
    for v in out {
        if !unique.contains(&v) {
            unique.push(v);
        }
    }
    unique
}

/// The values that meet as few of the policy's values as can be avoided: those whose set of matched
/// policy values has no strict subset among the other candidates of the same kind. Kinds are IPv4, IPv6
/// and other text, since an outsider may come over either address family: `0.0.0.0/0` holds every IPv4
/// outsider even though an IPv6 one escapes it.
fn least_matching(values: Vec<String>, conds: &[&Condition], vars: &dyn Fn(&str) -> Option<String>) -> Vec<String> {
    let kind = |v: &str| values::parse_ip(v).map(|(v6, _)| v6);
    let sigs: Vec<(Option<bool>, Vec<bool>)> =
        values.iter().map(|v| (kind(v), conds.iter().flat_map(|c| c.base_matches(v, vars)).collect())).collect();
    let below = |a: &[bool], b: &[bool]| a != b && a.iter().zip(b).all(|(x, y)| !*x || *y);
    values
        .into_iter()
        .zip(&sigs)
        .filter(|(_, (k, sig))| !sigs.iter().any(|(ok, other)| ok == k && below(other, sig)))
        .map(|(v, _)| v)
        .collect()
}

/// What a statement's condition needs, under one assignment of the known keys.
#[derive(Debug, Default)]
struct Facts {
    /// An entry on a fixed or variable key is false: the statement never applies.
    never: bool,
    /// The entries on free keys: (key, entry index within that key's domain).
    free: Vec<(usize, usize)>,
}

/// Everything the context search needs under one assignment of the policy-variable keys.
struct View {
    domains: Vec<Domain>,
    facts: Vec<Facts>,
    /// `resource_match[statement][resource]`.
    resource_match: Vec<Vec<bool>>,
}

impl View {
    /// Picks one value set per free key so that no statement in `denies` applies (and, for `Allowed`,
    /// some statement in `allows` does), or `None` when there is no such choice.
    fn solve(&self, denies: &[usize], allows: &[usize], goal: Goal, budget: &mut usize) -> Option<Vec<usize>> {
        let all_alive = || self.domains.iter().map(|d| vec![true; d.lists.len()]).collect::<Vec<_>>();
        match goal {
            Goal::NotDenied => {
                let mut alive = all_alive();
                self.falsify(&mut alive, denies, budget).then(|| first_alive(&alive))
            }
            Goal::Allowed => {
                for &a in allows {
                    let Some(facts) = self.facts.get(a) else {
                        continue;
                    };
                    if facts.never {
                        continue;
                    }
                    let mut alive = all_alive();
                    for &(k, j) in &facts.free {
                        self.narrow(&mut alive, k, j, true);
                    }
                    if alive.iter().any(|d| !d.iter().any(|&x| x)) {
                        continue;
                    }
                    if self.falsify(&mut alive, denies, budget) {
                        return Some(first_alive(&alive));
                    }
                }
                None
            }
        }
    }

    /// Narrows the domains until each statement in `denies` has a false entry; false if impossible.
    fn falsify(&self, alive: &mut Vec<Vec<bool>>, denies: &[usize], budget: &mut usize) -> bool {
        let Some((&d, rest)) = denies.split_first() else {
            return true;
        };
        let Some(facts) = self.facts.get(d) else {
            return self.falsify(alive, rest, budget);
        };
        if facts.never || facts.free.iter().any(|&(k, j)| self.surely(alive, k, j, false)) {
            return self.falsify(alive, rest, budget);
        }
        for &(k, j) in &facts.free {
            if *budget == 0 {
                // Out of budget: report the request rather than claim it is denied.
                return true;
            }
            *budget -= 1;
            let saved = alive.clone();
            self.narrow(alive, k, j, false);
            let possible = alive.get(k).is_some_and(|d| d.iter().any(|&x| x));
            if possible && self.falsify(alive, rest, budget) {
                return true;
            }
            *alive = saved;
        }
        false
    }

    /// Keeps only the values of key `k` for which entry `j` is `truth`.
    fn narrow(&self, alive: &mut [Vec<bool>], k: usize, j: usize, truth: bool) {
        let (Some(domain), Some(flags)) = (self.domains.get(k), alive.get_mut(k)) else {
            return;
        };
        for (flag, row) in flags.iter_mut().zip(&domain.truths) {
            if row.get(j).copied() != Some(truth) {
                *flag = false;
            }
        }
    }

    /// Whether entry `j` of key `k` is `truth` for every value still allowed.
    fn surely(&self, alive: &[Vec<bool>], k: usize, j: usize, truth: bool) -> bool {
        let (Some(domain), Some(flags)) = (self.domains.get(k), alive.get(k)) else {
            return false;
        };
        flags.iter().zip(&domain.truths).all(|(&on, row)| !on || row.get(j).copied() == Some(truth))
    }
}

fn first_alive(alive: &[Vec<bool>]) -> Vec<usize> {
    alive.iter().map(|d| d.iter().position(|&x| x).unwrap_or(0)).collect()
}
