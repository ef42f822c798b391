//! Findings: what a policy reports, and the builder it reports them through.

use serde::{Deserialize, Serialize};

use crate::policy::Severity;
use crate::view::ResourceChange;

/// A mechanical fix: set `path` to the JSON `value`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fix {
    pub path: String,
    pub value: String,
}

/// One thing a policy found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    pub rule_id: String,
    /// The resource address; empty for findings about the plan as a whole.
    pub address: String,
    /// The attribute path such as `tags.owner`; empty for the whole resource.
    pub path: String,
    pub message: String,
    pub severity: Option<Severity>,
    pub fix: Option<Fix>,
    /// The verdict depends on a value known only after apply.
    pub indeterminate: bool,
}

impl Finding {
    /// Overrides the rule's default severity for this finding.
    pub fn severity(&mut self, severity: Severity) -> &mut Self {
        self.severity = Some(severity);
        self
    }

    /// Replaces the message, for example to say why an indeterminate finding
    /// could not be decided when the reason is not an unknown value.
    pub fn message(&mut self, message: impl Into<String>) -> &mut Self {
        self.message = message.into();
        self
    }

    /// Suggests setting `path` to `value`, rendered as a GitHub suggestion where possible.
    pub fn fix(&mut self, path: &str, value: impl Serialize) -> &mut Self {
        if let Ok(value) = serde_json::to_string(&value) {
            self.fix = Some(Fix {
                path: path.into(),
                value,
            });
        }
        self
    }
}

/// A named number for the report, such as a monthly cost.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Metric {
    pub name: String,
    pub value: f64,
}

/// Free-form results for the report.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    pub markdown: String,
    pub metrics: Vec<Metric>,
}

/// Collects the findings and summary of one check.
#[derive(Debug, Default)]
pub struct Findings {
    pub(crate) items: Vec<Finding>,
    pub(crate) summary: Option<Summary>,
}

impl Findings {
    /// Reports `rule` on `rc` at attribute `path` (empty for the whole resource).
    pub fn report(
        &mut self,
        rule: &str,
        rc: &ResourceChange,
        path: &str,
        message: impl Into<String>,
    ) -> &mut Finding {
        self.push(rule, rc.address(), path, message.into(), false)
    }

    /// Reports that `rule` cannot be decided for `rc` because `path` is known only after apply.
    pub fn indeterminate(&mut self, rule: &str, rc: &ResourceChange, path: &str) -> &mut Finding {
        let message = format!("`{path}` is known only after apply, so this cannot be checked yet");
        self.push(rule, rc.address(), path, message, true)
    }

    /// Reports `rule` about the plan as a whole (counts, totals).
    pub fn report_plan(&mut self, rule: &str, message: impl Into<String>) -> &mut Finding {
        self.push(rule, "", "", message.into(), false)
    }

    fn push(
        &mut self,
        rule: &str,
        address: &str,
        path: &str,
        message: String,
        indeterminate: bool,
    ) -> &mut Finding {
        self.items.push(Finding {
            rule_id: rule.into(),
            address: address.into(),
            path: path.into(),
            message,
            severity: None,
            fix: None,
            indeterminate,
        });
        self.items.last_mut().expect("just pushed")
    }

    /// Sets the markdown summary shown in every report.
    pub fn summary(&mut self, markdown: impl Into<String>) {
        self.summary.get_or_insert_with(Summary::default).markdown = markdown.into();
    }

    /// Adds a named number to the summary.
    pub fn metric(&mut self, name: impl Into<String>, value: f64) {
        let summary = self.summary.get_or_insert_with(Summary::default);
        summary.metrics.push(Metric {
            name: name.into(),
            value,
        });
    }

    /// The findings so far.
    pub fn items(&self) -> &[Finding] {
        &self.items
    }

    /// Splits into findings and summary.
    pub fn into_parts(self) -> (Vec<Finding>, Option<Summary>) {
        (self.items, self.summary)
    }
}
