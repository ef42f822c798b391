//! tfwarden's built-in security plugin: storage and databases open to the
//! internet, open ingress, missing encryption, over-broad IAM, long-lived
//! credentials, missing audit logs, key rotation, old TLS and IMDSv1, across
//! the aws, google and azurerm providers.
//!
//! Each rule lives in its own file under `rules/` with its page under
//! `docs/rules/`. Shared reasoning (policy documents, ports, references) lives
//! under `support/`.

pub mod context;
pub mod rules;
pub mod settings;
pub mod support;

use tfwarden_sdk::prelude::*;

use crate::context::Ctx;
use crate::settings::Settings;

pub struct Security {
    settings: Settings,
}

impl Policy for Security {
    const RULES: &'static [Rule] = &rules::RULES;
    const RESOURCE_TYPES: &'static [&'static str] = &rules::RESOURCE_TYPES;
    // Links such as "which bucket does this public access block protect?" are
    // only visible in the configuration's references.
    const NEEDS_CONFIGURATION: bool = true;
    type Settings = Settings;

    fn from_settings(settings: Settings) -> Result<Self, String> {
        settings.validate()?;
        Ok(Security { settings })
    }

    fn check(&self, plan: &Plan, out: &mut Findings) {
        let ctx = Ctx::new(plan, &self.settings);
        for check in rules::CHECKS {
            (check.run)(&ctx, out);
        }
    }
}

export_policy!(Security);

#[cfg(test)]
mod tests {
    use super::*;
    use tfwarden_sdk::policy::configure;

    #[test]
    fn settings_are_checked_at_load() {
        assert!(configure::<Security>("null").is_ok());
        assert!(
            configure::<Security>(r#"{"require_gcp_disk_cmek": true, "database_ports": [5432]}"#)
                .is_ok()
        );
        let typo = configure::<Security>(r#"{"database_port": [5432]}"#)
            .err()
            .unwrap();
        assert!(typo.contains("database_port"), "{typo}");
        let nonsense = configure::<Security>(r#"{"gcp_kms_max_rotation_days": 0}"#)
            .err()
            .unwrap();
        assert!(nonsense.contains("gcp_kms_max_rotation_days"), "{nonsense}");
    }

    #[test]
    fn metadata_asks_for_configuration_and_named_types_only() {
        let meta = tfwarden_sdk::policy::Metadata::of::<Security>("security", "0");
        assert!(meta.needs_configuration);
        assert!(!meta.resource_types.iter().any(|t| t == "*"));
        assert!(meta.rules.len() >= 40, "{} rules", meta.rules.len());
    }
}
