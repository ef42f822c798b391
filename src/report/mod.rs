//! The one report model every renderer draws from. Its JSON form is versioned
//! (`schema_version`) and documented in `docs/report-schema.md`.

pub mod diff;
pub mod github;
pub mod github_env;
pub mod json;
pub mod junit;
pub mod markdown;
pub mod review;
pub mod sarif;
pub mod terminal;

use serde::Serialize;
use sha2::{Digest, Sha256};
use tfwarden_sdk::findings::Fix;
use tfwarden_sdk::findings::Metric;
use tfwarden_sdk::policy::Severity;

use crate::policy::OverrideRecord;
use crate::policy::config::Enforcement;
use crate::policy::waivers::WaiverReport;

/// Bumped when a field changes meaning or disappears; additions keep it.
pub const SCHEMA_VERSION: u32 = 1;

/// Everything one `tfwarden check` found.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub schema_version: u32,
    pub tool: Tool,
    pub target: String,
    pub plan: PlanInfo,
    pub verdict: Verdict,
    pub fail_on: Severity,
    pub counts: Counts,
    pub findings: Vec<ReportFinding>,
    /// The rules the findings name, with their documentation, sorted by id.
    pub rules: Vec<ReportRule>,
    pub summaries: Vec<PluginSummary>,
    pub plugins: Vec<PluginInfo>,
    pub errors: Vec<PluginFailure>,
    /// Who released which `soft` rules in this run.
    pub overrides: Vec<OverrideRecord>,
    /// Every configured waiver and what it did: applied, expired or stale.
    pub waivers: Vec<WaiverReport>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Tool {
    pub name: &'static str,
    pub version: &'static str,
}

#[derive(Debug, Clone, Serialize)]
pub struct PlanInfo {
    pub path: String,
    pub terraform_version: String,
    pub format_version: String,
    pub resource_changes: usize,
    /// Changes Terraform deferred to a later plan; not checked.
    pub deferred_changes: usize,
}

/// The outcome, which decides the exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    /// Nothing blocks (exit 0).
    Pass,
    /// At least one finding blocks (exit 1).
    Fail,
    /// A plugin could not run, so the result is incomplete (exit 3).
    Error,
}

/// What a finding means for the merge.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    Blocking,
    Advisory,
    Indeterminate,
    PreExisting,
    Waived,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub blocking: usize,
    pub advisory: usize,
    pub indeterminate: usize,
    pub pre_existing: usize,
    pub waived: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReportFinding {
    pub rule_id: String,
    pub rule_title: String,
    pub plugin: String,
    pub severity: Severity,
    pub enforcement: Enforcement,
    pub status: Status,
    /// Empty for findings about the plan as a whole.
    pub address: String,
    pub resource_type: String,
    pub path: String,
    pub message: String,
    pub fix: Option<Fix>,
    /// The reason of the waiver that covers it, when waived.
    pub waiver: Option<String>,
    /// Where the resource is declared, when the `.tf` sources were found.
    pub location: Option<Location>,
}

/// A place in the Terraform sources: the resource's block and, within it,
/// the line of the finding's attribute (the block's first line when the
/// attribute is not written out).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Location {
    /// Relative to the repository root, `/`-separated.
    pub file: String,
    pub line: usize,
    /// The first and last line of the resource's block.
    pub start_line: usize,
    pub end_line: usize,
}

impl std::fmt::Display for Location {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.file, self.line)
    }
}

/// A rule's metadata as its plugin declares it, for renderers that describe
/// rules (SARIF) or link to their documentation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReportRule {
    pub id: String,
    pub plugin: String,
    pub title: String,
    /// The rule's default severity; a finding may override it.
    pub severity: Severity,
    pub category: String,
    /// The rule's documentation page, in Markdown.
    pub help: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct PluginSummary {
    pub plugin: String,
    pub markdown: String,
    pub metrics: Vec<Metric>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PluginInfo {
    pub name: String,
    pub version: String,
    pub rules: usize,
    pub changes_checked: usize,
    pub duration_ms: u64,
    pub ok: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct PluginFailure {
    pub plugin: String,
    pub message: String,
}

impl ReportFinding {
    /// Identifies a finding across runs and line moves: its rule, resource
    /// and attribute. SARIF fingerprints and pull-request comments use it.
    pub fn fingerprint(&self) -> String {
        digest_hex(&[&self.rule_id, &self.address, &self.path], 16)
    }
}

impl Status {
    /// Blocking, advisory and indeterminate findings ask something of the
    /// author; pre-existing and waived ones do not.
    pub fn asks_for_action(self) -> bool {
        matches!(
            self,
            Status::Blocking | Status::Advisory | Status::Indeterminate
        )
    }
}

/// The first `bytes` bytes of the sha256 of `parts` (each ended by a NUL),
/// in hex: short, stable identifiers for comments and fingerprints.
pub(crate) fn digest_hex(parts: &[&str], bytes: usize) -> String {
    let mut h = Sha256::new();
    for part in parts {
        h.update(part.as_bytes());
        h.update([0]);
    }
    h.finalize()[..bytes]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

impl Report {
    /// The process exit code the verdict stands for.
    pub fn exit_code(&self) -> u8 {
        match self.verdict {
            Verdict::Pass => 0,
            Verdict::Fail => 1,
            Verdict::Error => 3,
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A blocking finding on `address`, placed at line 12 of `main.tf`.
    pub fn finding(address: &str, status: Status) -> ReportFinding {
        ReportFinding {
            rule_id: "TAG001".into(),
            rule_title: "resource has no owner tag".into(),
            plugin: "tagging".into(),
            severity: Severity::High,
            enforcement: Enforcement::Soft,
            status,
            address: address.into(),
            resource_type: "aws_s3_bucket".into(),
            path: "tags.owner".into(),
            message: "add an `owner` tag".into(),
            fix: None,
            waiver: None,
            location: Some(Location {
                file: "main.tf".into(),
                line: 12,
                start_line: 10,
                end_line: 14,
            }),
        }
    }

    /// A report with nothing in it, for renderer tests to fill.
    pub fn empty_report() -> Report {
        Report {
            schema_version: SCHEMA_VERSION,
            tool: Tool {
                name: "tfwarden",
                version: "0.1.0",
            },
            target: "infra/prod".into(),
            plan: PlanInfo {
                path: "plan.json".into(),
                terraform_version: "1.11.0".into(),
                format_version: "1.2".into(),
                resource_changes: 3,
                deferred_changes: 0,
            },
            verdict: Verdict::Pass,
            fail_on: Severity::High,
            counts: Counts::default(),
            findings: Vec::new(),
            rules: Vec::new(),
            summaries: Vec::new(),
            plugins: Vec::new(),
            errors: Vec::new(),
            overrides: Vec::new(),
            waivers: Vec::new(),
        }
    }
}
