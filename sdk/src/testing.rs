//! Runs a policy natively on fixture plans, for plain `cargo test`.
//!
//! The input is built by the same code the host uses, so redaction and
//! subscriptions behave exactly as they do in the wasm plugin.

use std::path::Path;

use crate::findings::{Finding, Findings, Summary};
use crate::input::{CheckInput, Subscription};
use crate::plan::PlanFile;
use crate::policy::{Metadata, Policy, configure};
use crate::view::Plan;

/// The result of running a policy on one plan.
#[derive(Debug, Clone, Default)]
pub struct Outcome {
    pub findings: Vec<Finding>,
    pub summary: Option<Summary>,
}

impl Outcome {
    /// The findings of one rule.
    pub fn of_rule<'a>(&'a self, rule: &'a str) -> impl Iterator<Item = &'a Finding> + 'a {
        self.findings.iter().filter(move |f| f.rule_id == rule)
    }

    /// `(rule, address)` of every definite finding, sorted: the usual thing to assert on.
    pub fn failures(&self) -> Vec<(String, String)> {
        let mut out: Vec<_> = self
            .findings
            .iter()
            .filter(|f| !f.indeterminate)
            .map(|f| (f.rule_id.clone(), f.address.clone()))
            .collect();
        out.sort();
        out
    }

    /// `(rule, address)` of every indeterminate finding, sorted.
    pub fn indeterminates(&self) -> Vec<(String, String)> {
        let mut out: Vec<_> = self
            .findings
            .iter()
            .filter(|f| f.indeterminate)
            .map(|f| (f.rule_id.clone(), f.address.clone()))
            .collect();
        out.sort();
        out
    }
}

/// Runs `P` with `settings` (JSON; `"null"` for defaults) on the plan JSON `plan`.
pub fn run_json<P: Policy>(settings: &str, plan: &str) -> Result<Outcome, String> {
    let policy: P = configure(settings)?;
    let plan_file: PlanFile =
        serde_json::from_str(plan).map_err(|e| format!("fixture is not a plan: {e}"))?;
    let meta = Metadata::of::<P>("test", "0");
    let input = CheckInput::for_plugin(
        &plan_file,
        "test",
        Subscription {
            resource_types: &meta.resource_types,
            needs_configuration: meta.needs_configuration,
        },
    );
    Ok(check(&policy, &input))
}

/// Runs `P` with `settings` on the plan file at `path`.
pub fn run_file<P: Policy>(settings: &str, path: impl AsRef<Path>) -> Result<Outcome, String> {
    let path = path.as_ref();
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    run_json::<P>(settings, &text)
}

/// Runs an already configured policy on an input.
pub fn check<P: Policy>(policy: &P, input: &CheckInput) -> Outcome {
    let mut out = Findings::default();
    policy.check(&Plan::new(input), &mut out);
    let (findings, summary) = out.into_parts();
    Outcome { findings, summary }
}

/// A minimal plan with one resource change, for small unit tests.
///
/// `after` is the planned value as JSON; `unknown` is its `after_unknown` mask.
pub fn plan_with(type_: &str, actions: &[&str], after: &str, unknown: &str) -> String {
    let actions = serde_json::to_string(actions).expect("strings serialize");
    let provider = type_.split('_').next().unwrap_or(type_);
    format!(
        r#"{{"format_version":"1.2","terraform_version":"1.11.0","resource_changes":[{{"address":"{type_}.this","mode":"managed","type":"{type_}","name":"this","provider_name":"registry.terraform.io/hashicorp/{provider}","change":{{"actions":{actions},"before":null,"after":{after},"after_unknown":{unknown}}}}}]}}"#
    )
}

/// The part of a finding a fixture case pins down: messages may be reworded freely.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
pub struct ExpectedFinding {
    pub rule_id: String,
    pub address: String,
    pub path: String,
    #[serde(default)]
    pub indeterminate: bool,
}

impl From<&Finding> for ExpectedFinding {
    fn from(f: &Finding) -> Self {
        ExpectedFinding {
            rule_id: f.rule_id.clone(),
            address: f.address.clone(),
            path: f.path.clone(),
            indeterminate: f.indeterminate,
        }
    }
}

/// The expected findings of a case, sorted.
pub fn expected_of(outcome: &Outcome) -> Vec<ExpectedFinding> {
    let mut out: Vec<_> = outcome.findings.iter().map(ExpectedFinding::from).collect();
    out.sort();
    out
}

/// Runs every fixture case in `dir` and compares it with its expectation.
///
/// A case is `NAME.json` (a plan), with `NAME.expected.json` (a sorted list of
/// [`ExpectedFinding`]) and optionally `NAME.settings.json`. With the
/// environment variable `TFWARDEN_UPDATE=1` the expectations are rewritten
/// from the actual results instead. Panics with a readable diff on mismatch.
pub fn assert_cases<P: Policy>(dir: impl AsRef<Path>) {
    let dir = dir.as_ref();
    let update = std::env::var_os("TFWARDEN_UPDATE").is_some_and(|v| v == "1");
    let mut failures = Vec::new();
    let mut cases = 0;
    for (plan, expected_path, settings_path) in cases_in(dir) {
        cases += 1;
        let settings = std::fs::read_to_string(&settings_path).unwrap_or_else(|_| "null".into());
        let actual = match run_file::<P>(&settings, &plan) {
            Ok(outcome) => expected_of(&outcome),
            Err(e) => {
                failures.push(format!("{}: {e}", plan.display()));
                continue;
            }
        };
        if update {
            let text = serde_json::to_string_pretty(&actual).expect("serializes") + "\n";
            std::fs::write(&expected_path, text).expect("expectation is writable");
            continue;
        }
        let expected: Vec<ExpectedFinding> = match std::fs::read_to_string(&expected_path) {
            Ok(text) => serde_json::from_str(&text)
                .unwrap_or_else(|e| panic!("{}: {e}", expected_path.display())),
            Err(_) => {
                failures.push(format!(
                    "{}: no expectation; run with TFWARDEN_UPDATE=1 to write it",
                    expected_path.display()
                ));
                continue;
            }
        };
        if expected != actual {
            failures.push(format!("{}:\n{}", plan.display(), diff(&expected, &actual)));
        }
    }
    assert!(cases > 0, "no cases in {}", dir.display());
    assert!(
        failures.is_empty(),
        "{} of {cases} cases failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// `(plan, expectation, settings)` paths of every case in `dir`, sorted.
pub fn cases_in(dir: &Path) -> Vec<(std::path::PathBuf, std::path::PathBuf, std::path::PathBuf)> {
    let mut out: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter_map(|p| {
            let name = p.file_name()?.to_str()?;
            let stem = name.strip_suffix(".json")?;
            if stem.ends_with(".expected") || stem.ends_with(".settings") {
                return None;
            }
            Some((
                p.clone(),
                dir.join(format!("{stem}.expected.json")),
                dir.join(format!("{stem}.settings.json")),
            ))
        })
        .collect();
    out.sort();
    out
}

/// A line diff of two expectation lists: `-` missing, `+` unexpected.
pub fn diff(expected: &[ExpectedFinding], actual: &[ExpectedFinding]) -> String {
    let show = |f: &ExpectedFinding| {
        let ind = if f.indeterminate {
            " (indeterminate)"
        } else {
            ""
        };
        format!("{} {} {}{ind}", f.rule_id, f.address, f.path)
    };
    let mut out = String::new();
    for f in expected.iter().filter(|f| !actual.contains(f)) {
        out += &format!("  - {}\n", show(f));
    }
    for f in actual.iter().filter(|f| !expected.contains(f)) {
        out += &format!("  + {}\n", show(f));
    }
    out
}
