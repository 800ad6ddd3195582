//! `Principal` and `NotPrincipal`: who a statement is about, and whether a caller is one of them.

use crate::Caller;

/// `Principal` (the statement is about these callers) or `NotPrincipal` (about every caller except these).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PrincipalElement {
    Principal(PrincipalSet),
    NotPrincipal(PrincipalSet),
}

/// The value of a principal element.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PrincipalSet {
    /// `"*"`: every caller, anonymous ones included.
    Everyone,
    /// A map such as `{"AWS": [...], "Service": "..."}`, flattened; any entry may match.
    Entries(Vec<PrincipalEntry>),
}

/// One principal named in a map: `{"AWS": "123456789012"}` gives kind `Aws`, value `123456789012`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrincipalEntry {
    pub kind: PrincipalKind,
    pub value: String,
}

/// The key of a principal map.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PrincipalKind {
    /// `AWS`: `*`, an account id, an account root ARN, or a user, role or session ARN.
    Aws,
    /// `Service`: an AWS service principal such as `cloudtrail.amazonaws.com`.
    Service,
    /// `Federated`: a web identity or SAML provider.
    Federated,
    /// `CanonicalUser`: an S3 canonical user id.
    CanonicalUser,
}

impl PrincipalKind {
    pub fn name(self) -> &'static str {
        match self {
            PrincipalKind::Aws => "AWS",
            PrincipalKind::Service => "Service",
            PrincipalKind::Federated => "Federated",
            PrincipalKind::CanonicalUser => "CanonicalUser",
        }
    }
}

impl PrincipalElement {
    /// Whether the statement is about `caller`.
    pub fn matches(&self, caller: &Caller) -> bool {
        match self {
            PrincipalElement::Principal(set) => set.matches(caller),
            PrincipalElement::NotPrincipal(set) => !set.matches(caller),
        }
    }

    /// The entries named, whichever the element.
    pub fn entries(&self) -> &[PrincipalEntry] {
        match self {
            PrincipalElement::Principal(set) | PrincipalElement::NotPrincipal(set) => set.entries(),
        }
    }
}

impl PrincipalSet {
    pub fn matches(&self, caller: &Caller) -> bool {
        match self {
            PrincipalSet::Everyone => true,
            PrincipalSet::Entries(entries) => entries.iter().any(|e| e.matches(caller)),
        }
    }

    /// `"*"` or an `{"AWS": "*"}` entry: every caller, anonymous ones included.
    pub fn is_everyone(&self) -> bool {
        match self {
            PrincipalSet::Everyone => true,
            PrincipalSet::Entries(entries) => entries.iter().any(|e| e.kind == PrincipalKind::Aws && e.value == "*"),
        }
    }

    pub fn entries(&self) -> &[PrincipalEntry] {
        match self {
            PrincipalSet::Everyone => &[],
            PrincipalSet::Entries(entries) => entries,
        }
    }
}

impl PrincipalEntry {
    /// Whether this entry names `caller`:
    /// - `{"AWS": "*"}` names every caller, anonymous ones included; `"*"` under another key names every
    ///   caller of that kind;
    /// - an account id or `arn:<partition>:iam::<account>:root` names every AWS caller of that account;
    /// - any other AWS value names that exact ARN, and a role ARN also names the role's sessions
    ///   (`arn:aws:sts::<account>:assumed-role/<role>/<session>`). IAM allows no other wildcards in
    ///   principals, so other `*` and `?` are literal;
    /// - Service, Federated and CanonicalUser values name the caller with exactly that name.
    pub fn matches(&self, caller: &Caller) -> bool {
        match (self.kind, caller) {
            (PrincipalKind::Aws, _) if self.value == "*" => true,
            (PrincipalKind::Aws, Caller::Aws { arn, account }) => {
                self.account().is_some_and(|a| a == account) || self.value == *arn || is_session_of(arn, &self.value)
            }
            (PrincipalKind::Service, Caller::Service(name))
            | (PrincipalKind::Federated, Caller::Federated(name))
            | (PrincipalKind::CanonicalUser, Caller::CanonicalUser(name)) => self.value == "*" || self.value == *name,
            _ => false,
        }
    }

    /// The account this AWS entry delegates to as a whole: a 12-digit id or an account root ARN.
    pub fn account(&self) -> Option<&str> {
        if self.kind != PrincipalKind::Aws {
            return None;
        }
        if is_account_id(&self.value) {
            return Some(&self.value);
        }
        let parts = arn_parts(&self.value)?;
        match parts {
            ["arn", _, "iam", "", account, "root"] if is_account_id(account) => Some(account),
            _ => None,
        }
    }
}

pub(crate) fn is_account_id(text: &str) -> bool {
    text.len() == 12 && text.chars().all(|c| c.is_ascii_digit())
}

/// The six colon-separated parts of an ARN (the last one keeps any further colons).
pub(crate) fn arn_parts(arn: &str) -> Option<[&str; 6]> {
    let mut it = arn.splitn(6, ':');
    Some([it.next()?, it.next()?, it.next()?, it.next()?, it.next()?, it.next()?])
}

/// Whether `session` (`arn:P:sts::A:assumed-role/R/S`) is a session of `role` (`arn:P:iam::A:role/path/R`).
fn is_session_of(session: &str, role: &str) -> bool {
    let (Some(s), Some(r)) = (arn_parts(session), arn_parts(role)) else {
        return false;
    };
    let (Some(role_path), Some(session_path)) = (r[5].strip_prefix("role/"), s[5].strip_prefix("assumed-role/")) else {
        return false;
    };
    let role_name = role_path.rsplit('/').next().unwrap_or(role_path);
    let session_role = session_path.split('/').next().unwrap_or("");
    s[0] == "arn"
        && r[0] == "arn"
        && s[1] == r[1]
        && s[2] == "sts"
        && r[2] == "iam"
        && s[4] == r[4]
        && session_role == role_name
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]
mod tests {
    use super::*;

    fn aws(value: &str) -> PrincipalEntry {
        PrincipalEntry { kind: PrincipalKind::Aws, value: value.to_owned() }
    }

    fn caller(arn: &str, account: &str) -> Caller {
        Caller::Aws { arn: arn.to_owned(), account: account.to_owned() }
    }

    #[test]
    fn aws_entries() {
        let user = caller("arn:aws:iam::111122223333:user/alice", "111122223333");
        assert!(aws("*").matches(&user));
        assert!(aws("*").matches(&Caller::Anonymous));
        assert!(aws("*").matches(&Caller::Service("s3.amazonaws.com".into())));
        assert!(aws("111122223333").matches(&user));
        assert!(aws("arn:aws:iam::111122223333:root").matches(&user));
        assert!(aws("arn:aws-cn:iam::111122223333:root").matches(&user));
        assert!(!aws("444455556666").matches(&user));
        assert!(aws("arn:aws:iam::111122223333:user/alice").matches(&user));
        assert!(!aws("arn:aws:iam::111122223333:user/*").matches(&user));
        assert!(!aws("111122223333").matches(&Caller::Anonymous));
        let session = caller("arn:aws:sts::111122223333:assumed-role/Deployer/ci", "111122223333");
        assert!(aws("arn:aws:iam::111122223333:role/Deployer").matches(&session));
        assert!(aws("arn:aws:iam::111122223333:role/team/Deployer").matches(&session));
        assert!(!aws("arn:aws:iam::111122223333:role/Other").matches(&session));
    }

    #[test]
    fn other_kinds() {
        let s = PrincipalEntry { kind: PrincipalKind::Service, value: "s3.amazonaws.com".into() };
        assert!(s.matches(&Caller::Service("s3.amazonaws.com".into())));
        assert!(!s.matches(&Caller::Service("sns.amazonaws.com".into())));
        assert!(!s.matches(&Caller::Anonymous));
        let any_service = PrincipalEntry { kind: PrincipalKind::Service, value: "*".into() };
        assert!(any_service.matches(&Caller::Service("sns.amazonaws.com".into())));
        assert!(!any_service.matches(&Caller::Anonymous));
    }
}
