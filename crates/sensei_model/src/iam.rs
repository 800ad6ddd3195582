//! AWS IAM: roles and the policies attached to them.

use crate::{Policy, ResourceRef, Setting};

/// `AWS::IAM::Role`, including the roles SAM generates for functions and state machines.
#[derive(Debug, Clone)]
pub struct Role {
    pub resource: ResourceRef,
    /// The role's ARN as a function's `Role` names it: `${MyRole.Arn}` in a template.
    pub arn: String,
    pub assume_role_policy_document: Setting<Policy>,
    /// Inline policies (`Policies`) and `AWS::IAM::Policy` resources that name this role.
    pub policies: Vec<InlinePolicy>,
    pub managed_policy_arns: Setting<Vec<String>>,
}

/// One policy document of a role: an inline policy, or an `AWS::IAM::Policy` or
/// `AWS::IAM::ManagedPolicy` of the same template attached to it.
#[derive(Debug, Clone)]
pub struct InlinePolicy {
    pub policy_name: String,
    pub policy_document: Setting<Policy>,
}
