//! The wasm glue behind `export_policy!`: converts between the WIT bindings and
//! the SDK's types. Plugin authors never touch it.

use crate::__guest::tfwarden::policy::types as wit;
use crate::findings::Findings;
use crate::input::{Change, CheckInput, PlanContext};
use crate::plan::Action;
use crate::policy::{Metadata, Policy, Severity};
use crate::view::Plan;

fn severity(s: Severity) -> wit::Severity {
    match s {
        Severity::Info => wit::Severity::Info,
        Severity::Low => wit::Severity::Low,
        Severity::Medium => wit::Severity::Medium,
        Severity::High => wit::Severity::High,
        Severity::Critical => wit::Severity::Critical,
    }
}

fn action(a: wit::Action) -> Action {
    match a {
        wit::Action::NoOp => Action::NoOp,
        wit::Action::Create => Action::Create,
        wit::Action::Read => Action::Read,
        wit::Action::Update => Action::Update,
        wit::Action::Delete => Action::Delete,
        wit::Action::Forget => Action::Forget,
    }
}

/// The WIT metadata of policy `P`.
pub fn metadata<P: Policy>(name: &str, version: &str) -> wit::Metadata {
    let m = Metadata::of::<P>(name, version);
    wit::Metadata {
        name: m.name,
        version: m.version,
        rules: m
            .rules
            .into_iter()
            .map(|r| wit::Rule {
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

/// Converts the WIT input into the SDK's, moving every string.
pub fn input(i: wit::CheckInput) -> CheckInput {
    CheckInput {
        context: PlanContext {
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
                actions: c.actions.into_iter().map(action).collect(),
                before: c.before,
                after: c.after,
                after_unknown: c.after_unknown,
                action_reason: c.action_reason,
            })
            .collect(),
    }
}

/// Runs the check and converts the findings into WIT types.
pub fn check<P: Policy>(policy: &P, input: &CheckInput) -> wit::Output {
    let mut out = Findings::default();
    policy.check(&Plan::new(input), &mut out);
    let (findings, summary) = out.into_parts();
    wit::Output {
        findings: findings
            .into_iter()
            .map(|f| wit::Finding {
                rule_id: f.rule_id,
                address: f.address,
                path: f.path,
                message: f.message,
                severity: f.severity.map(severity),
                fix: f.fix.map(|x| wit::Fix {
                    path: x.path,
                    value: x.value,
                }),
                indeterminate: f.indeterminate,
            })
            .collect(),
        summary: summary.map(|s| wit::Summary {
            markdown: s.markdown,
            metrics: s
                .metrics
                .into_iter()
                .map(|m| wit::Metric {
                    name: m.name,
                    value: m.value,
                })
                .collect(),
        }),
    }
}
