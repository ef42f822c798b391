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
