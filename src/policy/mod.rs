//! The policy layer: turns plugin output into a report. It decides each
//! finding's severity and status (enforcement, overrides, waivers, pre-existing,
//! indeterminate), scrubs secrets, sorts everything, and reaches the verdict.

pub mod config;
pub mod scrub;
pub mod waivers;

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use serde::Serialize;
use tfwarden_sdk::findings::Finding;
use tfwarden_sdk::policy::{RuleInfo, Severity};

use crate::engine::{self, PluginRun};
use crate::report::{
    Counts, PlanInfo, PluginFailure, PluginInfo, PluginSummary, Report, ReportFinding, ReportRule,
    SCHEMA_VERSION, Status, Tool, Verdict,
};
use crate::runtime::PluginError;
use config::{Config, Enforcement, RuleConfig, Waiver};
use scrub::Scrubber;
use waivers::Waivers;

/// Who overrode `soft` rules for this run, and how.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Override {
    pub by: String,
    /// `flag` (`--override`) or `label <name>`.
    pub via: String,
}

/// An override as the report records it: who, how, and the rules it released.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OverrideRecord {
    pub by: String,
    pub via: String,
    pub rules: Vec<String>,
}

/// What the run is judged by.
#[derive(Debug, Clone)]
pub struct Judgement {
    pub target: String,
    pub fail_on: Severity,
    pub rules: BTreeMap<String, RuleConfig>,
    pub block_pre_existing: bool,
    pub block_indeterminate: bool,
    pub override_by: Option<Override>,
    pub waivers: Vec<Waiver>,
    /// `YYYY-MM-DD`, for waiver expiry.
    pub today: String,
}

impl Judgement {
    /// Defaults: blocking from `fail_on`, soft enforcement, no waivers.
    pub fn new(target: impl Into<String>, fail_on: Severity) -> Self {
        Judgement {
            target: target.into(),
            fail_on,
            rules: BTreeMap::new(),
            block_pre_existing: false,
            block_indeterminate: false,
            override_by: None,
            waivers: Vec::new(),
            today: waivers::today(),
        }
    }

    /// The judgement a configuration asks for; `fail_on` from the command line wins.
    pub fn from_config(target: String, fail_on: Option<Severity>, config: &Config) -> Self {
        let fail_on = fail_on.or(config.fail_on).unwrap_or(Severity::High);
        Judgement {
            rules: config
                .rules
                .iter()
                .map(|(id, r)| (id.clone(), r.config))
                .collect(),
            block_pre_existing: config.block_pre_existing,
            block_indeterminate: config.block_indeterminate,
            waivers: config.waivers.clone(),
            ..Judgement::new(target, fail_on)
        }
    }

    /// The status of one finding, and whether an override released it.
    fn status(
        &self,
        f: &Finding,
        severity: Severity,
        enforcement: Enforcement,
        pre_existing: bool,
    ) -> (Status, bool) {
        let would_block = severity >= self.fail_on && enforcement != Enforcement::Advisory;
        let (status, may_block) = if f.indeterminate {
            (Status::Indeterminate, self.block_indeterminate)
        } else if pre_existing {
            (Status::PreExisting, self.block_pre_existing)
        } else {
            (Status::Advisory, true)
        };
        if !(would_block && may_block) {
            return (status, false);
        }
        match (enforcement, &self.override_by) {
            (Enforcement::Soft, Some(_)) => (status, true),
            _ => (Status::Blocking, false),
        }
    }
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
    let mut waivers = Waivers::new(&judgement.waivers, &judgement.today);
    let mut overridden = BTreeSet::new();

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
            let configured = judgement.rules.get(&f.rule_id).copied().unwrap_or_default();
            let severity = configured.severity.or(f.severity).unwrap_or(rule.severity);
            let enforcement = configured.enforcement.unwrap_or(Enforcement::Soft);
            let pre_existing = run.before.contains(&engine::key(&f));
            let waiver = waivers.waive(&f.rule_id, &f.address);
            let (status, released) = match &waiver {
                Some(_) => (Status::Waived, false),
                None => judgement.status(&f, severity, enforcement, pre_existing),
            };
            if released {
                overridden.insert(f.rule_id.clone());
            }
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
                enforcement,
                status,
                address: f.address,
                path: f.path,
                message,
                fix,
                waiver,
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
    let overrides = match (&judgement.override_by, overridden.is_empty()) {
        (Some(o), false) => {
            vec![OverrideRecord {
                by: o.by.clone(),
                via: o.via.clone(),
                rules: overridden.into_iter().collect(),
            }]
        }
        _ => Vec::new(),
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
        overrides,
        waivers: waivers.report(),
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

    fn finding(indeterminate: bool) -> Finding {
        Finding {
            rule_id: "R1".into(),
            address: "a.b".into(),
            path: String::new(),
            message: String::new(),
            severity: None,
            fix: None,
            indeterminate,
        }
    }

    #[test]
    fn enforcement_levels_and_overrides() {
        use Enforcement::*;
        use Severity::*;
        let j = Judgement::new("t", High);
        let f = finding(false);
        assert_eq!(j.status(&f, High, Hard, false), (Status::Blocking, false));
        assert_eq!(
            j.status(&f, Critical, Soft, false),
            (Status::Blocking, false)
        );
        assert_eq!(
            j.status(&f, Critical, Advisory, false),
            (Status::Advisory, false)
        );
        assert_eq!(
            j.status(&f, Medium, Hard, false),
            (Status::Advisory, false),
            "below fail-on"
        );

        let overridden = Judgement {
            override_by: Some(Override {
                by: "ana".into(),
                via: "flag".into(),
            }),
            ..j.clone()
        };
        assert_eq!(
            overridden.status(&f, High, Soft, false),
            (Status::Advisory, true)
        );
        assert_eq!(
            overridden.status(&f, High, Hard, false),
            (Status::Blocking, false),
            "hard ignores overrides"
        );
        assert_eq!(
            overridden.status(&f, Low, Soft, false),
            (Status::Advisory, false),
            "nothing to release"
        );
    }

    #[test]
    fn pre_existing_and_indeterminate_do_not_block_by_default() {
        use Severity::*;
        let j = Judgement::new("t", High);
        assert_eq!(
            j.status(&finding(false), High, Enforcement::Hard, true),
            (Status::PreExisting, false)
        );
        assert_eq!(
            j.status(&finding(true), High, Enforcement::Hard, false),
            (Status::Indeterminate, false)
        );
        let strict = Judgement {
            block_pre_existing: true,
            block_indeterminate: true,
            ..j
        };
        assert_eq!(
            strict.status(&finding(false), High, Enforcement::Hard, true),
            (Status::Blocking, false)
        );
        assert_eq!(
            strict.status(&finding(true), High, Enforcement::Hard, false),
            (Status::Blocking, false)
        );
        assert_eq!(
            strict.status(&finding(true), Low, Enforcement::Hard, false),
            (Status::Indeterminate, false)
        );
    }
}
