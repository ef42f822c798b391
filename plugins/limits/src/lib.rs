//! The built-in `limits` plugin: cloud quotas that would stop an apply halfway,
//! and the blast radius of a plan, checked before anything is applied.
//!
//! Quotas are counted over the whole plan: resources that already exist
//! (`no-op`, `update`) count as much as new ones, and resources being deleted
//! do not count. Links between resources (a listener's load balancer, a
//! rule's security group) are followed through known values first and the
//! configuration's references second; see [`links`].

pub mod address;
pub mod checks;
pub mod config;
pub mod fields;
pub mod links;
pub mod measure;
pub mod settings;
pub mod summary;
pub mod tally;

use tfwarden_sdk::prelude::*;

use checks::Context;
use links::Links;
use settings::{Resolved, Settings};
use summary::Largest;

/// The plugin: resolved settings, ready to check plans.
#[derive(Debug)]
pub struct Limits {
    settings: Resolved,
}

const QUOTA: &str = "limits";
const BLAST_RADIUS: &str = "blast-radius";

impl Policy for Limits {
    const RULES: &'static [Rule] = &[
        Rule::new(
            "LIM001",
            Severity::High,
            QUOTA,
            "too many target groups on one Application Load Balancer",
        )
        .help(include_str!("../../../docs/rules/LIM001.md")),
        Rule::new(
            "LIM002",
            Severity::High,
            QUOTA,
            "too many listener rules on one Application Load Balancer",
        )
        .help(include_str!("../../../docs/rules/LIM002.md")),
        Rule::new(
            "LIM003",
            Severity::High,
            QUOTA,
            "IAM managed policy document is too large",
        )
        .help(include_str!("../../../docs/rules/LIM003.md")),
        Rule::new(
            "LIM004",
            Severity::High,
            QUOTA,
            "inline policies of one IAM role, user or group are too large",
        )
        .help(include_str!("../../../docs/rules/LIM004.md")),
        Rule::new(
            "LIM005",
            Severity::High,
            QUOTA,
            "too many rules in one security group",
        )
        .help(include_str!("../../../docs/rules/LIM005.md")),
        Rule::new(
            "LIM006",
            Severity::High,
            QUOTA,
            "S3 bucket policy is too large",
        )
        .help(include_str!("../../../docs/rules/LIM006.md")),
        Rule::new(
            "LIM007",
            Severity::High,
            QUOTA,
            "too many tags on one resource",
        )
        .help(include_str!("../../../docs/rules/LIM007.md")),
        Rule::new(
            "LIM008",
            Severity::High,
            QUOTA,
            "Lambda environment variables are too large",
        )
        .help(include_str!("../../../docs/rules/LIM008.md")),
        Rule::new(
            "LIM009",
            Severity::Medium,
            BLAST_RADIUS,
            "plan deletes or replaces many resources",
        )
        .help(include_str!("../../../docs/rules/LIM009.md")),
        Rule::new(
            "LIM010",
            Severity::High,
            BLAST_RADIUS,
            "plan deletes or replaces a stateful resource",
        )
        .help(include_str!("../../../docs/rules/LIM010.md")),
        Rule::new(
            "LIM011",
            Severity::Medium,
            BLAST_RADIUS,
            "plan creates many monitoring alerts",
        )
        .help(include_str!("../../../docs/rules/LIM011.md")),
    ];
    // Tag counts and blast radius concern every resource type, so this plugin
    // takes them all and dispatches on the type in one pass per check.
    const RESOURCE_TYPES: &'static [&'static str] = &["*"];
    const NEEDS_CONFIGURATION: bool = true;
    type Settings = Settings;

    fn from_settings(settings: Settings) -> Result<Self, String> {
        Ok(Limits {
            settings: settings::resolve(settings)?,
        })
    }

    fn check(&self, plan: &Plan, out: &mut Findings) {
        let links = Links::new(plan);
        let mut largest = Largest::default();
        let mut ctx = Context {
            links: &links,
            settings: &self.settings,
            out,
            largest: &mut largest,
        };
        checks::load_balancers::check(&mut ctx);
        checks::iam_managed::check(&mut ctx);
        checks::iam_inline::check(&mut ctx);
        checks::security_groups::check(&mut ctx);
        checks::bucket_policy::check(&mut ctx);
        checks::tags::check(&mut ctx);
        checks::lambda_environment::check(&mut ctx);
        checks::destroys::check(&mut ctx);
        checks::stateful::check(&mut ctx);
        checks::alerts::check(&mut ctx);
        if let Some(table) = largest.markdown() {
            out.summary(table);
        }
    }
}

/// The `'static` id of a rule this plugin declares.
pub fn rule_id(id: &str) -> Option<&'static str> {
    Limits::RULES.iter().map(|r| r.id).find(|r| *r == id)
}

export_policy!(Limits);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rule_page_matches_its_rule() {
        let sections = [
            "## What it checks",
            "## Why it matters",
            "## Example",
            "## How to fix",
        ];
        for rule in Limits::RULES {
            let heading = format!("# {}: {}\n", rule.id, rule.title);
            assert!(
                rule.help.starts_with(&heading),
                "{}: the page must start with `{heading}`",
                rule.id
            );
            let mut at = 0;
            for section in sections {
                let found = rule.help[at..]
                    .find(section)
                    .unwrap_or_else(|| panic!("{}: `{section}` missing or out of order", rule.id));
                at += found + section.len();
            }
            assert_eq!(
                rule.help.matches("\n## ").count(),
                sections.len(),
                "{}: only the four sections",
                rule.id
            );
            assert!(
                rule.help.matches("```hcl").count() >= 2,
                "{}: a failing and a passing example",
                rule.id
            );
        }
    }

    #[test]
    fn rule_ids_are_unique_and_numbered() {
        let ids: Vec<&str> = Limits::RULES.iter().map(|r| r.id).collect();
        let expected: Vec<String> = (1..=ids.len()).map(|n| format!("LIM{n:03}")).collect();
        assert_eq!(ids, expected);
    }
}
