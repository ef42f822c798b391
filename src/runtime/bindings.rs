//! The host side of the WIT contract, and conversions between its types and the SDK's.

use tfwarden_sdk::findings::{Finding, Fix, Metric, Summary};
use tfwarden_sdk::input::{Change, CheckInput};
use tfwarden_sdk::plan::Action;
use tfwarden_sdk::policy::{Metadata, RuleInfo, Severity};

use super::sandbox::HostState;

mod generated {
    wasmtime::component::bindgen!({
        world: "policy",
        path: "sdk/wit",
    });
}

use generated::tfwarden::policy::host::{Host, Level};
use generated::tfwarden::policy::types as wit;
pub use generated::{Policy, PolicyPre};

impl generated::tfwarden::policy::types::Host for HostState {}

impl Host for HostState {
    fn log(&mut self, level: Level, message: String) {
        let level = match level {
            Level::Debug => "debug",
            Level::Info => "info",
            Level::Warn => "warn",
            Level::Error => "error",
        };
        self.push_log(format!("{level}: {message}"));
    }
}

pub fn severity(s: wit::Severity) -> Severity {
    match s {
        wit::Severity::Info => Severity::Info,
        wit::Severity::Low => Severity::Low,
        wit::Severity::Medium => Severity::Medium,
        wit::Severity::High => Severity::High,
        wit::Severity::Critical => Severity::Critical,
    }
}

fn action(a: Action) -> wit::Action {
    match a {
        Action::NoOp => wit::Action::NoOp,
        Action::Create => wit::Action::Create,
        Action::Read => wit::Action::Read,
        Action::Update => wit::Action::Update,
        Action::Delete => wit::Action::Delete,
        Action::Forget => wit::Action::Forget,
    }
}

pub fn metadata(m: wit::Metadata) -> Metadata {
    Metadata {
        name: m.name,
        version: m.version,
        rules: m
            .rules
            .into_iter()
            .map(|r| RuleInfo {
                id: r.id,
                title: r.title,
                severity: severity(r.severity),
                category: r.category,
                help: r.help,
            })
            .collect(),
        resource_types: m.resource_types,
        needs_configuration: m.needs_configuration,
    }
}

/// Moves an SDK input into the WIT shape without copying the JSON text again.
pub fn check_input(i: CheckInput) -> wit::CheckInput {
    wit::CheckInput {
        context: wit::PlanContext {
            terraform_version: i.context.terraform_version,
            format_version: i.context.format_version,
            target: i.context.target,
            configuration: i.context.configuration,
        },
        changes: i.changes.into_iter().map(change).collect(),
    }
}

/// Moves a WIT input back into the SDK's shape after a call, so the host can
/// reuse its strings (for the before-view replay) instead of copying them.
pub fn check_input_back(i: wit::CheckInput) -> CheckInput {
    CheckInput {
        context: tfwarden_sdk::input::PlanContext {
            terraform_version: i.context.terraform_version,
            format_version: i.context.format_version,
            target: i.context.target,
            configuration: i.context.configuration,
        },
        changes: i
            .changes
            .into_iter()
            .map(|c| Change {
                address: c.address,
                module_address: c.module_address,
                mode: c.mode,
                type_: c.type_,
                name: c.name,
                index: c.index,
                provider_name: c.provider_name,
                actions: c.actions.into_iter().map(action_back).collect(),
                before: c.before,
                after: c.after,
                after_unknown: c.after_unknown,
                action_reason: c.action_reason,
            })
            .collect(),
    }
}

fn action_back(a: wit::Action) -> Action {
    match a {
        wit::Action::NoOp => Action::NoOp,
        wit::Action::Create => Action::Create,
        wit::Action::Read => Action::Read,
        wit::Action::Update => Action::Update,
        wit::Action::Delete => Action::Delete,
        wit::Action::Forget => Action::Forget,
    }
}

fn change(c: Change) -> wit::ResourceChange {
    wit::ResourceChange {
        address: c.address,
        module_address: c.module_address,
        mode: c.mode,
        type_: c.type_,
        name: c.name,
        index: c.index,
        provider_name: c.provider_name,
        actions: c.actions.into_iter().map(action).collect(),
        before: c.before,
        after: c.after,
        after_unknown: c.after_unknown,
        action_reason: c.action_reason,
    }
}

pub fn finding(f: wit::Finding) -> Finding {
    Finding {
        rule_id: f.rule_id,
        address: f.address,
        path: f.path,
        message: f.message,
        severity: f.severity.map(severity),
        fix: f.fix.map(|x| Fix {
            path: x.path,
            value: x.value,
        }),
        indeterminate: f.indeterminate,
    }
}

pub fn summary(s: wit::Summary) -> Summary {
    Summary {
        markdown: s.markdown,
        metrics: s
            .metrics
            .into_iter()
            .map(|m| Metric {
                name: m.name,
                value: m.value,
            })
            .collect(),
    }
}
