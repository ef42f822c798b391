//! The trait a policy implements, and the rules and metadata it declares.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::findings::Findings;
use crate::view::Plan;

/// How bad a finding is, from least to most severe.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Default,
)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Low,
    #[default]
    Medium,
    High,
    Critical,
}

impl Severity {
    pub const ALL: [Severity; 5] = [
        Severity::Info,
        Severity::Low,
        Severity::Medium,
        Severity::High,
        Severity::Critical,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }
}

impl std::fmt::Display for Severity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A rule a policy can report, declared once as a constant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rule {
    pub id: &'static str,
    pub severity: Severity,
    pub category: &'static str,
    pub title: &'static str,
    /// The rule's page: what it checks, why, an example, how to fix.
    pub help: &'static str,
}

impl Rule {
    pub const fn new(
        id: &'static str,
        severity: Severity,
        category: &'static str,
        title: &'static str,
    ) -> Self {
        Rule {
            id,
            severity,
            category,
            title,
            help: "",
        }
    }

    /// Attaches the rule's documentation page, usually `include_str!("../docs/ID.md")`.
    pub const fn help(mut self, help: &'static str) -> Self {
        self.help = help;
        self
    }
}

/// A rule as it crosses the plugin boundary (owned).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleInfo {
    pub id: String,
    pub title: String,
    pub severity: Severity,
    pub category: String,
    pub help: String,
}

impl From<&Rule> for RuleInfo {
    fn from(r: &Rule) -> Self {
        RuleInfo {
            id: r.id.into(),
            title: r.title.into(),
            severity: r.severity,
            category: r.category.into(),
            help: r.help.into(),
        }
    }
}

/// What a plugin is and which changes it wants.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Metadata {
    pub name: String,
    pub version: String,
    pub rules: Vec<RuleInfo>,
    pub resource_types: Vec<String>,
    pub needs_configuration: bool,
}

impl Metadata {
    /// The metadata of policy `P`, named `name` at `version`.
    pub fn of<P: Policy>(name: &str, version: &str) -> Self {
        Metadata {
            name: name.into(),
            version: version.into(),
            rules: P::RULES.iter().map(RuleInfo::from).collect(),
            resource_types: P::RESOURCE_TYPES.iter().map(|t| t.to_string()).collect(),
            needs_configuration: P::NEEDS_CONFIGURATION,
        }
    }
}

/// A policy plugin. Implement it, then call [`export_policy!`](crate::export_policy).
pub trait Policy: Sized {
    /// Every rule the policy may report.
    const RULES: &'static [Rule];
    /// The resource types whose changes it receives; `"*"` for all.
    const RESOURCE_TYPES: &'static [&'static str] = &["*"];
    /// Whether it needs the plan's `configuration` section (references, provider config).
    const NEEDS_CONFIGURATION: bool = false;

    /// The settings users give in `tfwarden.toml`. Use `()` for none. Prefer
    /// `#[serde(deny_unknown_fields)]` so typos are caught at load.
    type Settings: DeserializeOwned + Default;

    /// Builds the policy from validated settings. Return a clear message for
    /// settings that parse but make no sense.
    fn from_settings(settings: Self::Settings) -> Result<Self, String>;

    /// Looks at the plan and reports findings.
    fn check(&self, plan: &Plan, out: &mut Findings);
}

/// Parses settings JSON (`null` or empty means defaults) and builds the policy.
pub fn configure<P: Policy>(settings_json: &str) -> Result<P, String> {
    let trimmed = settings_json.trim();
    let settings = if trimmed.is_empty() || trimmed == "null" {
        P::Settings::default()
    } else {
        serde_json::from_str(trimmed).map_err(|e| format!("invalid settings: {e}"))?
    };
    P::from_settings(settings)
}
