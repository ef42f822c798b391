//! tfwarden's built-in tagging policy: required tags (TAG001), allowed tag
//! values (TAG002) and tag key style (TAG003) on AWS `tags`/`tags_all`, Google
//! `labels` and Azure `tags`, for resources being created or updated.
//!
//! The host embeds it as the default plugin and feeds it every resource of
//! plans with tens of thousands of them, so each resource is dismissed as
//! early and as cheaply as possible: by type prefix, by action, by the type
//! filter, by a substring test, and only then by one parse of its values.

mod allowed;
mod cloud;
mod glob;
mod provider_defaults;
mod resource_tags;
mod rules;
mod settings;
mod style;
mod tag_map;
mod type_filter;

use tfwarden_sdk::prelude::*;

use crate::cloud::Cloud;
use crate::provider_defaults::DefaultsCache;
use crate::resource_tags::ResourceTags;
use crate::rules::Subject;
use crate::settings::Config;
pub use crate::settings::Settings;

/// The tagging policy, configured.
pub struct Tagging {
    config: Config,
}

impl Policy for Tagging {
    const RULES: &'static [Rule] = rules::ALL;
    /// Tags exist on hundreds of types across three providers.
    const RESOURCE_TYPES: &'static [&'static str] = &["*"];
    /// For provider `default_tags`, read only when `tags_all` is unknown.
    const NEEDS_CONFIGURATION: bool = true;

    type Settings = Settings;

    fn from_settings(settings: Settings) -> Result<Self, String> {
        Ok(Tagging {
            config: Config::new(settings)?,
        })
    }

    fn check(&self, plan: &Plan, out: &mut Findings) {
        let defaults = DefaultsCache::new(*plan);
        for rc in plan.changes() {
            let Some(cloud) = Cloud::of_type(rc.type_()) else {
                continue;
            };
            if !rc.creates_or_updates() || !self.config.types.admits(rc.type_()) {
                continue;
            }
            let change = rc.raw();
            let Some(tags) = ResourceTags::read(
                cloud,
                change.after.as_deref(),
                change.after_unknown.as_deref(),
            ) else {
                continue;
            };
            let subject = Subject {
                rc: &rc,
                tags: &tags,
                keys: cloud.key_match(self.config.case_insensitive_keys),
                defaults: &defaults,
            };
            rules::required_tag::check(&self.config, &subject, out);
            rules::allowed_value::check(&self.config, &subject, out);
            rules::key_style::check(&self.config, &subject, out);
        }
    }
}

export_policy!(Tagging);

#[cfg(test)]
mod tests {
    use super::*;
    use tfwarden_sdk::policy::configure;
    use tfwarden_sdk::testing::{plan_with, run_json};

    #[test]
    fn every_rule_has_its_documentation_page() {
        for rule in Tagging::RULES {
            let heading = format!("# {}: {}\n", rule.id, rule.title);
            assert!(
                rule.help.starts_with(&heading),
                "{} page must start with {heading:?}",
                rule.id
            );
            let sections: Vec<&str> = rule.help.lines().filter(|l| l.starts_with("## ")).collect();
            assert_eq!(
                sections,
                [
                    "## What it checks",
                    "## Why it matters",
                    "## Example",
                    "## How to fix"
                ],
                "{} page sections",
                rule.id
            );
            assert!(
                rule.help.matches("```hcl").count() >= 2,
                "{} needs a failing and a passing example",
                rule.id
            );
        }
    }

    #[test]
    fn settings_load_through_the_plugin_entry_point() {
        assert!(configure::<Tagging>("null").is_ok());
        assert!(
            configure::<Tagging>(r#"{"required":["owner"],"allowed":{"env":["dev"]}}"#).is_ok()
        );
        let err = configure::<Tagging>(r#"{"requird":["owner"]}"#)
            .err()
            .unwrap();
        assert!(err.contains("unknown field `requird`"), "{err}");
        let err = configure::<Tagging>(r#"{"allowed":{"env":{"regex":"["}}}"#)
            .err()
            .unwrap();
        assert!(err.starts_with("allowed.env: "), "{err}");
    }

    #[test]
    fn sensitive_values_are_never_echoed() {
        let after = r#"{"tags":{"owner":"ops","env":"s3cr3t-env"}}"#;
        let mut plan = plan_with("aws_s3_bucket", &["create"], after, "{}");
        plan = plan.replace(
            r#""after_unknown":{}"#,
            r#""after_unknown":{},"after_sensitive":{"tags":{"env":true}}"#,
        );
        let out = run_json::<Tagging>(
            r#"{"allowed":{"env":["dev"]},"key_style":"snake_case"}"#,
            &plan,
        )
        .unwrap();
        assert_eq!(
            out.indeterminates(),
            [("TAG002".to_string(), "aws_s3_bucket.this".to_string())]
        );
        assert!(out.failures().is_empty());
        assert!(
            out.findings.iter().all(|f| !f.message.contains("s3cr3t")),
            "{:?}",
            out.findings
        );
    }

    #[test]
    fn unknown_tags_are_indeterminate_not_failures() {
        let plan = plan_with(
            "azurerm_resource_group",
            &["create"],
            r#"{"name":"rg"}"#,
            r#"{"tags":true}"#,
        );
        let out = run_json::<Tagging>("null", &plan).unwrap();
        assert!(out.failures().is_empty());
        assert_eq!(
            out.indeterminates(),
            [(
                "TAG001".to_string(),
                "azurerm_resource_group.this".to_string()
            )]
        );
    }

    #[test]
    fn missing_tag_suggests_a_fix_at_the_right_attribute() {
        let plan = plan_with(
            "google_storage_bucket",
            &["create"],
            r#"{"labels":{"env":"dev"}}"#,
            "{}",
        );
        let out = run_json::<Tagging>(r#"{"required":["CostCenter"]}"#, &plan).unwrap();
        let fix = out.findings[0].fix.as_ref().unwrap();
        assert_eq!(
            (fix.path.as_str(), fix.value.as_str()),
            ("labels.costcenter", r#""<costcenter>""#)
        );
    }
}
