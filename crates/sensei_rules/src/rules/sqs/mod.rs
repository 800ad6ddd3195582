//! Amazon SQS rules.
//!
//! [`common`] holds what the rules of SQS, SNS, DynamoDB, EventBridge, Step Functions, Backup and
//! KMS share: snippets, public-policy questions, ARN patterns with deploy-time tokens.

pub mod queue_not_encrypted;
pub mod queue_policy_grants_public_access;
pub mod queue_uses_short_polling;
pub mod queue_without_dead_letter_queue;

/// The rules of this service, sorted by id.
pub static RULES: &[&crate::Rule] = &[
    &queue_not_encrypted::RULE,
    &queue_without_dead_letter_queue::RULE,
    &queue_policy_grants_public_access::RULE,
    &queue_uses_short_polling::RULE,
];

/// Helpers shared by the rules of SQS, SNS, DynamoDB, EventBridge, Step Functions, Backup and KMS.
pub(crate) mod common {
    use sensei_model::{Expr, Inventory, Setting, Syntax};
    use sensei_policy::{Effect, Policy, Request, RequestSpace, ResourceElement, ResourceScope};

    use crate::Snippet;
    use crate::fix::Code;

    pub(crate) use crate::fix::resource_snippet;

    /// A resource policy attached to a queue or a topic.
    pub(crate) struct Attached<'a> {
        pub resource: &'a sensei_model::ResourceRef,
        pub document: &'a Setting<Policy>,
    }

    /// What a queue or a topic is, for the public-policy rules (SQS-003, SNS-003).
    pub(crate) struct PolicyTarget<'a> {
        pub resource: &'a sensei_model::ResourceRef,
        /// `queue` or `topic`.
        pub noun: &'static str,
        /// `sqs` or `sns`.
        pub service: &'static str,
        pub name: Option<&'a str>,
        pub arns: Vec<String>,
        /// What the pass message says when no policy is attached.
        pub without_policy: &'static str,
    }

    /// Reports whether the policies attached to `target` grant anything to principals outside the
    /// account (CallerScope::Outsiders), naming the policy that does.
    pub(crate) fn check_public_policies(
        out: &mut crate::Findings<'_>,
        target: &PolicyTarget<'_>,
        policies: &Setting<Vec<Attached<'_>>>,
    ) {
        let PolicyTarget { resource, noun, service, .. } = *target;
        let policies = match policies {
            Setting::Unknown(why) => return out.unknown(resource, None, why.clone()),
            Setting::Known(policies, _) => policies,
        };
        if policies.is_empty() {
            return out.pass(resource, target.without_policy);
        }
        let mut unknown = None;
        let mut public = None;
        for policy in policies {
            match policy.document {
                Setting::Unknown(why) => unknown = Some(format!("{noun} policy `{}`: {why}", policy.resource.id)),
                Setting::Known(document, _) => {
                    let space = RequestSpace {
                        service: service.to_string(),
                        resources: resources_for(document, &target.arns, service, target.name),
                        fixed: Vec::new(),
                        callers: sensei_policy::CallerScope::Outsiders,
                    };
                    if let Some(grant) = public_grant(document, &space) {
                        public = Some((policy, grant));
                        break;
                    }
                }
            }
        }
        match (public, unknown) {
            (Some((policy, grant)), _) => {
                let fix = crate::Fix {
                    summary: format!(
                        "In `{}`, name the principals that need the {noun} instead of everyone, or keep the service principal and add a condition on aws:SourceArn or aws:SourceAccount.",
                        policy.resource.id
                    ),
                    snippet: Some(account_principal(resource.syntax).snippet(resource.syntax)),
                };
                let at = policy.resource.location.as_ref();
                out.fail(resource, at, format!("{noun} policy `{}` {grant}", policy.resource.id), fix);
            }
            (None, Some(why)) => out.unknown(resource, None, why),
            (None, None) => {
                out.pass(resource, format!("the {noun} policy grants nothing to principals outside the account"))
            }
        }
    }

    /// Several resources or properties, one after the other.
    pub(crate) fn join(parts: Vec<Snippet>) -> Snippet {
        let language = parts.first().map_or("yaml", |s| s.language);
        let separator = if language == "json" { ",\n" } else { "\n" };
        let code = parts.into_iter().map(|s| s.code).collect::<Vec<_>>().join(separator);
        Snippet { language, code }
    }

    /// The resources a policy evaluation covers for a queue or topic attached to it: its ARNs,
    /// and each exact ARN of the policy's own `Resource` lists that ends with the resource's
    /// declared name (the policy is attached to it, so such an ARN can only mean it).
    pub(crate) fn resources_for(
        policy: &Policy,
        arns: &[String],
        service: &str,
        name: Option<&str>,
    ) -> Vec<ResourceScope> {
        let mut out: Vec<ResourceScope> = arns.iter().map(|a| ResourceScope::Exact(a.clone())).collect();
        let Some(name) = name.filter(|n| !n.contains("${")) else { return out };
        for statement in &policy.statements {
            let Some(ResourceElement::Resource(patterns)) = &statement.resource else { continue };
            for pattern in patterns {
                let text = pattern.as_str();
                let parts: Vec<&str> = text.split(':').collect();
                let ours = matches!(parts.as_slice(), ["arn", _, s, _, _, last] if *s == service && *last == name);
                if ours && !pattern.has_wildcards() && !out.contains(&ResourceScope::Exact(text.to_string())) {
                    out.push(ResourceScope::Exact(text.to_string()));
                }
            }
        }
        out
    }

    /// Text as the user writes it: deploy-time tokens that policies see as `${AWS.Region}` (see
    /// [`sensei_model::symbolic_for_policy`]) back to `${AWS::Region}`.
    pub(crate) fn shown(text: &str) -> String {
        text.replace("${AWS.", "${AWS::")
    }

    /// Why a property is unknown, named once: the mapping often names it already.
    pub(crate) fn unknown_property(name: &str, why: &str) -> String {
        if let Some(rest) = why.strip_prefix(&format!("`{name}`: ")) {
            return format!("`{name}` is unknown: {rest}");
        }
        if why.starts_with(&format!("`{name}` ")) {
            return why.to_string();
        }
        format!("`{name}` is unknown: {why}")
    }

    /// What a public grant of `policy` in `space` is, in the user's words, or `None` when it grants
    /// nothing to outsiders.
    pub(crate) fn public_grant(policy: &Policy, space: &RequestSpace) -> Option<String> {
        let grants = policy.allowed(space);
        let mut first: Request = grants.first()?.clone();
        // The keys the space fixes are the same in every request: not worth showing.
        first.context.retain(|(key, _)| !space.fixed.iter().any(|(fixed, _)| fixed.eq_ignore_ascii_case(key)));
        let statements: Vec<String> = policy
            .statements
            .iter()
            .enumerate()
            .filter(|(_, s)| s.effect == Effect::Allow)
            .filter(|(_, s)| !policy.only(s).allowed(space).is_empty())
            .map(|(i, s)| s.sid.clone().map_or_else(|| format!("statement {}", i + 1), |sid| format!("`{sid}`")))
            .collect();
        let by = if statements.is_empty() { String::new() } else { format!(" through {}", statements.join(", ")) };
        Some(shown(&format!("grants access to principals outside the account{by}: {first} is allowed")))
    }

    /// The principal that names this account, as a fix writes it.
    pub(crate) fn account_root(syntax: Syntax) -> Expr {
        match syntax {
            Syntax::Live => Expr::Literal("arn:aws:iam::ACCOUNT_ID:root".to_string()),
            _ => Expr::Sub("arn:${AWS::Partition}:iam::${AWS::AccountId}:root".to_string()),
        }
    }

    /// `Principal: {AWS: <this account>}`, the fix for a public grant.
    pub(crate) fn account_principal(syntax: Syntax) -> Code {
        Code::map(vec![("Principal", Code::map(vec![("AWS", Code::Expr(account_root(syntax)))]))])
    }

    /// The ARNs used as dead-letter queues anywhere in the inventory, with who uses each.
    pub(crate) fn dead_letter_targets(inventory: &Inventory) -> Vec<(String, String)> {
        let mut out = Vec::new();
        let mut add = |setting: &Setting<Option<String>>, user: String| {
            if let Setting::Known(Some(arn), _) = setting {
                out.push((arn.clone(), user));
            }
        };
        for queue in &inventory.queues {
            add(&queue.dead_letter_target_arn, format!("queue `{}`", queue.resource.id));
        }
        for function in &inventory.functions {
            add(&function.dead_letter_target_arn, format!("function `{}`", function.resource.id));
        }
        for topic in &inventory.topics {
            for subscription in &topic.subscriptions {
                add(&subscription.dead_letter_target_arn, format!("subscription `{}`", subscription.resource.id));
            }
        }
        for rule in &inventory.event_rules {
            if let Setting::Known(targets, _) = &rule.targets {
                for target in targets {
                    add(&target.dead_letter_arn, format!("rule `{}`", rule.resource.id));
                }
            }
        }
        out
    }

    /// Matches `text` against a pattern where `*` stands for any run of characters: yes, no, or
    /// "it depends" when `text` holds deploy-time tokens (`${...}`: a region, an account, a
    /// generated name, none of which holds `:` or `/`) that the pattern's literal characters would
    /// have to match. `${AWS::Partition}` counts as `aws` on both sides.
    pub(crate) fn glob_match(pattern: &str, text: &str) -> Tri {
        let pattern = sensei_model::symbolic_for_policy(pattern);
        let text = sensei_model::symbolic_for_policy(text);
        let p: Vec<Part> = pattern.chars().map(|c| if c == '*' { Part::Any } else { Part::Char(c) }).collect();
        let t: Vec<Part> = text.chars().map(Part::Char).collect();
        if intersects(&p, &t) {
            return Tri::Yes;
        }
        if !text.contains("${") {
            return Tri::No;
        }
        let mut tokens = Vec::new();
        let mut rest = text.as_str();
        while let Some(start) = rest.find("${") {
            let Some(end) = rest.get(start..).and_then(|r| r.find('}')) else { break };
            tokens.extend(rest.get(..start).unwrap_or_default().chars().map(Part::Char));
            tokens.push(Part::Segment);
            rest = rest.get(start + end + 1..).unwrap_or_default();
        }
        tokens.extend(rest.chars().map(Part::Char));
        if intersects(&p, &tokens) { Tri::Depends(shown(&text)) } else { Tri::No }
    }

    /// Yes, no, or it depends on a deploy-time value (the text that holds it).
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub(crate) enum Tri {
        Yes,
        No,
        Depends(String),
    }

    #[derive(Clone, Copy, PartialEq, Eq)]
    enum Part {
        Char(char),
        /// `*`: any run of characters.
        Any,
        /// A deploy-time token: any run of characters other than `:` and `/`.
        Segment,
    }

    impl Part {
        /// Whether this part stands for a run of characters (possibly empty).
        fn is_run(self) -> bool {
            !matches!(self, Part::Char(_))
        }

        /// Whether a run part takes the character `c`.
        fn takes(self, c: char) -> bool {
            match self {
                Part::Any => true,
                Part::Segment => c != ':' && c != '/',
                Part::Char(x) => x == c,
            }
        }
    }

    /// Whether some string matches both sequences.
    fn intersects(a: &[Part], b: &[Part]) -> bool {
        let (n, m) = (a.len(), b.len());
        // reach[i][j]: a[i..] and b[j..] can match a common rest.
        let mut reach = vec![vec![false; m + 1]; n + 1];
        for i in (0..=n).rev() {
            for j in (0..=m).rev() {
                let at = |x: usize, y: usize| reach.get(x).and_then(|r| r.get(y)).copied().unwrap_or(false);
                let value = match (a.get(i).copied(), b.get(j).copied()) {
                    (None, None) => true,
                    (x, y) => {
                        // A run may end here; or both sides take one common character.
                        let end_a = x.is_some_and(Part::is_run) && at(i + 1, j);
                        let end_b = y.is_some_and(Part::is_run) && at(i, j + 1);
                        let step = match (x, y) {
                            (Some(Part::Char(c)), Some(Part::Char(d))) => c == d && at(i + 1, j + 1),
                            (Some(Part::Char(c)), Some(run)) => run.takes(c) && at(i + 1, j),
                            (Some(run), Some(Part::Char(d))) => run.takes(d) && at(i, j + 1),
                            _ => false,
                        };
                        end_a || end_b || step
                    }
                };
                if let Some(cell) = reach.get_mut(i).and_then(|r| r.get_mut(j)) {
                    *cell = value;
                }
            }
        }
        reach.first().and_then(|r| r.first()).copied().unwrap_or(false)
    }

    #[cfg(test)]
    mod tests {
        use super::{Tri, glob_match};

        #[test]
        fn globs_with_deploy_time_tokens() {
            let table = "arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/${Orders}";
            assert_eq!(glob_match("arn:aws:dynamodb:*:*:table/*", table), Tri::Yes);
            assert_eq!(glob_match("*", table), Tri::Yes);
            assert_eq!(glob_match(table, table), Tri::Yes);
            assert_eq!(glob_match("arn:aws:s3:::*", table), Tri::No);
            assert!(matches!(glob_match("arn:aws:dynamodb:eu-west-1:*:table/*", table), Tri::Depends(_)));
            assert!(matches!(glob_match("arn:aws:dynamodb:*:*:table/orders-*", table), Tri::Depends(_)));
            assert_eq!(glob_match("arn:aws:dynamodb:*:*:table/orders", "arn:aws:dynamodb:x:1:table/orders"), Tri::Yes);
            assert_eq!(glob_match("prod*", "production"), Tri::Yes);
            assert_eq!(glob_match("prod*", "dev"), Tri::No);
            let named = "arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/orders";
            assert_eq!(glob_match("arn:aws:dynamodb:*:*:table/tmp-*", named), Tri::No);
            assert_eq!(glob_match("arn:aws:dynamodb:*:*:table/orders", named), Tri::Yes);
        }
    }
}
