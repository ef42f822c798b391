//! The one report model every renderer draws from. Its JSON form is versioned
//! (`schema_version`) and documented in `docs/report-schema.md`.

pub mod json;
pub mod junit;
pub mod terminal;

use serde::Serialize;
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
