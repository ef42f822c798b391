//! The policy layer: turns plugin output into a report. It decides each
//! finding's severity and status, scrubs secrets, sorts everything, and
//! reaches the verdict.

pub mod config;
pub mod scrub;

use std::collections::{HashMap, HashSet};

use tfwarden_sdk::policy::{RuleInfo, Severity};

use crate::engine::PluginRun;
use crate::report::{
    Counts, PlanInfo, PluginFailure, PluginInfo, PluginSummary, Report, ReportFinding, ReportRule,
    SCHEMA_VERSION, Status, Tool, Verdict,
};
use crate::runtime::PluginError;
use scrub::Scrubber;

/// What the run was asked to judge by.
#[derive(Debug, Clone)]
pub struct Judgement {
    pub target: String,
    pub fail_on: Severity,
}

/// Builds the report from the plugin runs and any plugins that failed to load.
pub fn evaluate(
    judgement: &Judgement,
    plan: PlanInfo,
    runs: Vec<PluginRun>,
    load_errors: Vec<PluginError>,
    scrubber: &Scrubber,
) -> Report {
    let mut findings = Vec::new();
    let mut rules_used: Vec<ReportRule> = Vec::new();
    let mut summaries = Vec::new();
    let mut plugins = Vec::new();
    let mut errors: Vec<PluginFailure> = load_errors.iter().map(failure).collect();

    for run in runs {
        let rules: HashMap<&str, &RuleInfo> = run
            .metadata
            .rules
            .iter()
            .map(|r| (r.id.as_str(), r))
            .collect();
        let plugin = &run.metadata.name;
        plugins.push(PluginInfo {
            name: plugin.clone(),
            version: run.metadata.version.clone(),
            rules: run.metadata.rules.len(),
            changes_checked: run.changes_checked,
            duration_ms: run.duration.as_millis() as u64,
            ok: run.result.is_ok(),
        });
        let output = match run.result {
            Ok(output) => output,
            Err(e) => {
                errors.push(failure(&e));
                continue;
            }
        };
        if output.dropped > 0 {
            errors.push(PluginFailure {
                plugin: plugin.clone(),
                message: format!(
                    "plugin `{plugin}` reported more than {} findings; {} were dropped",
                    crate::runtime::MAX_FINDINGS,
                    output.dropped
                ),
            });
        }
        let mut used = HashSet::new();
        for f in output.findings {
            let Some(rule) = rules.get(f.rule_id.as_str()) else {
                errors.push(PluginFailure {
                    plugin: plugin.clone(),
                    message: format!(
                        "plugin `{plugin}` reported rule `{}`, which its metadata does not declare",
                        f.rule_id
                    ),
                });
                continue;
            };
            used.insert(rule.id.as_str());
            let severity = f.severity.unwrap_or(rule.severity);
            let status = if f.indeterminate {
                Status::Indeterminate
            } else if severity >= judgement.fail_on {
                Status::Blocking
            } else {
                Status::Advisory
            };
            let mut message = f.message;
            scrubber.scrub(&mut message);
            let fix = f.fix.map(|mut fix| {
                scrubber.scrub(&mut fix.value);
                fix
            });
            findings.push(ReportFinding {
                resource_type: resource_type(&f.address).to_owned(),
                rule_id: f.rule_id,
                rule_title: rule.title.clone(),
                plugin: plugin.clone(),
                severity,
                status,
                address: f.address,
                path: f.path,
                message,
                fix,
                location: None,
            });
        }
        rules_used.extend(
            run.metadata
                .rules
                .iter()
                .filter(|r| used.contains(r.id.as_str()))
                .map(|r| ReportRule {
                    id: r.id.clone(),
                    plugin: plugin.clone(),
                    title: r.title.clone(),
                    severity: r.severity,
                    category: r.category.clone(),
                    help: r.help.clone(),
                }),
        );
        if let Some(mut summary) = output.summary {
            scrubber.scrub(&mut summary.markdown);
            summaries.push(PluginSummary {
                plugin: plugin.clone(),
                markdown: summary.markdown,
                metrics: summary.metrics,
            });
        }
    }

    findings.sort_by(|a, b| {
        (&a.address, &a.rule_id, &a.path, &a.message)
            .cmp(&(&b.address, &b.rule_id, &b.path, &b.message))
    });
    findings.dedup();
    rules_used.sort_by(|a, b| (&a.id, &a.plugin).cmp(&(&b.id, &b.plugin)));
    summaries.sort_by(|a, b| a.plugin.cmp(&b.plugin));
    plugins.sort_by(|a, b| a.name.cmp(&b.name));
    errors.sort_by(|a, b| (&a.plugin, &a.message).cmp(&(&b.plugin, &b.message)));
    for e in &mut errors {
        scrubber.scrub(&mut e.message);
    }

    let counts = count(&findings);
    let verdict = if !errors.is_empty() {
        Verdict::Error
    } else if counts.blocking > 0 {
        Verdict::Fail
    } else {
        Verdict::Pass
    };
    Report {
        schema_version: SCHEMA_VERSION,
        tool: Tool {
            name: "tfwarden",
            version: env!("CARGO_PKG_VERSION"),
        },
        target: judgement.target.clone(),
        plan,
        verdict,
        fail_on: judgement.fail_on,
        counts,
        findings,
        rules: rules_used,
        summaries,
        plugins,
        errors,
    }
}

fn failure(e: &PluginError) -> PluginFailure {
    PluginFailure {
        plugin: e.plugin().to_owned(),
        message: e.to_string(),
    }
}

fn count(findings: &[ReportFinding]) -> Counts {
    let mut c = Counts::default();
    for f in findings {
        *match f.status {
            Status::Blocking => &mut c.blocking,
            Status::Advisory => &mut c.advisory,
            Status::Indeterminate => &mut c.indeterminate,
            Status::PreExisting => &mut c.pre_existing,
            Status::Waived => &mut c.waived,
        } += 1;
    }
    c
}

/// The resource type of an address such as `module.a["x"].aws_s3_bucket.b[0]`.
pub fn resource_type(address: &str) -> &str {
    let mut rest = address;
    loop {
        rest = rest.strip_prefix("data.").unwrap_or(rest);
        let Some(after_module) = rest.strip_prefix("module.") else {
            return rest.split('.').next().unwrap_or_default();
        };
        // Skip the module name and its index, which may contain dots inside quotes.
        let mut in_quotes = false;
        let end = after_module
            .char_indices()
            .find(|&(_, c)| {
                if c == '"' {
                    in_quotes = !in_quotes;
                }
                c == '.' && !in_quotes
            })
            .map_or(after_module.len(), |(i, _)| i + 1);
        rest = &after_module[end..];
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resource_types_of_addresses() {
        assert_eq!(resource_type("aws_s3_bucket.b"), "aws_s3_bucket");
        assert_eq!(
            resource_type("module.a[\"x.y\"].module.b.aws_s3_bucket.b[0]"),
            "aws_s3_bucket"
        );
        assert_eq!(
            resource_type("data.aws_iam_policy_document.p"),
            "aws_iam_policy_document"
        );
        assert_eq!(resource_type("module.m.data.aws_ami.x"), "aws_ami");
        assert_eq!(resource_type(""), "");
    }
}
