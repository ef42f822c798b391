//! The typed plan model a policy reads: the plan context and its resource changes.

use crate::input::{Change, CheckInput};
use crate::plan::{Action, ChangeKind};
use crate::value::Value;

/// The part of the plan a policy subscribed to.
#[derive(Debug, Clone, Copy)]
pub struct Plan<'a> {
    input: &'a CheckInput,
}

impl<'a> Plan<'a> {
    pub fn new(input: &'a CheckInput) -> Self {
        Plan { input }
    }

    /// Every subscribed resource change, in plan order.
    pub fn changes(&self) -> impl Iterator<Item = ResourceChange<'a>> + 'a {
        self.input.changes.iter().map(ResourceChange::new)
    }

    /// Subscribed changes of one resource type.
    pub fn changes_of(&self, type_: &'a str) -> impl Iterator<Item = ResourceChange<'a>> + 'a {
        self.changes().filter(move |rc| rc.type_() == type_)
    }

    pub fn terraform_version(&self) -> &'a str {
        &self.input.context.terraform_version
    }

    /// The name of the target being checked (usually its working directory).
    pub fn target(&self) -> &'a str {
        &self.input.context.target
    }

    /// The plan's `configuration` section, when the policy asked for it.
    pub fn configuration(&self) -> Value<'a> {
        Value::new(self.input.context.configuration.as_deref(), None)
    }
}

/// One resource change.
#[derive(Debug, Clone, Copy)]
pub struct ResourceChange<'a> {
    change: &'a Change,
}

impl<'a> ResourceChange<'a> {
    pub fn new(change: &'a Change) -> Self {
        ResourceChange { change }
    }

    /// The full address, such as `module.app.aws_s3_bucket.logs["a"]`.
    pub fn address(&self) -> &'a str {
        &self.change.address
    }

    pub fn type_(&self) -> &'a str {
        &self.change.type_
    }

    pub fn name(&self) -> &'a str {
        &self.change.name
    }

    /// The count or for_each key as JSON (`0`, `"eu-west-1"`), when there is one.
    pub fn index(&self) -> Option<&'a str> {
        self.change.index.as_deref()
    }

    pub fn module_address(&self) -> Option<&'a str> {
        self.change.module_address.as_deref()
    }

    /// The provider's short name, such as `aws` or `google`.
    pub fn provider(&self) -> &'a str {
        let full = self.change.provider_name.as_str();
        full.rsplit('/').next().unwrap_or(full)
    }

    /// True for managed resources, false for data sources.
    pub fn is_managed(&self) -> bool {
        self.change.mode == "managed"
    }

    pub fn actions(&self) -> &'a [Action] {
        &self.change.actions
    }

    pub fn kind(&self) -> ChangeKind {
        ChangeKind::of(&self.change.actions)
    }

    /// True for managed resources that will exist with new settings after apply.
    pub fn creates_or_updates(&self) -> bool {
        self.is_managed() && self.kind().creates_or_updates()
    }

    /// True when the existing object is destroyed (delete or replace).
    pub fn destroys(&self) -> bool {
        self.is_managed() && self.kind().destroys()
    }

    /// True when the resource is only being deleted.
    pub fn is_delete(&self) -> bool {
        self.kind() == ChangeKind::Delete
    }

    /// The planned values, aware of what is unknown until apply.
    pub fn after(&self) -> Value<'a> {
        Value::new(
            self.change.after.as_deref(),
            self.change.after_unknown.as_deref(),
        )
    }

    /// The prior values.
    pub fn before(&self) -> Value<'a> {
        Value::new(self.change.before.as_deref(), None)
    }

    /// Why Terraform plans this action, such as `replace_because_cannot_update`.
    pub fn action_reason(&self) -> Option<&'a str> {
        self.change.action_reason.as_deref()
    }

    /// The raw change, for what the typed accessors do not cover.
    pub fn raw(&self) -> &'a Change {
        self.change
    }
}
