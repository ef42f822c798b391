//! The rules, one per file, and what each is handed about one resource.

pub mod allowed_value;
pub mod key_style;
pub mod required_tag;

use tfwarden_sdk::prelude::*;

use crate::cloud::KeyMatch;
use crate::provider_defaults::DefaultsCache;
use crate::resource_tags::{Lookup, ResourceTags};
use crate::tag_map::TagMap;

/// Every rule this plugin may report.
pub const ALL: &[Rule] = &[required_tag::RULE, allowed_value::RULE, key_style::RULE];

/// One taggable resource being created or updated, as the rules see it.
pub struct Subject<'s, 'a> {
    pub rc: &'s ResourceChange<'a>,
    pub tags: &'s ResourceTags<'a>,
    pub keys: KeyMatch,
    pub defaults: &'s DefaultsCache<'a>,
}

impl<'s> Subject<'s, '_> {
    /// Whether `key` (as configured) will be set on the resource.
    pub fn lookup(&self, key: &str) -> Lookup<'s> {
        self.tags
            .lookup(&self.tags.cloud.spell_key(key), self.keys, self.defaults)
    }

    /// The attribute path of `key` under `attribute`, spelled as the cloud wants it.
    pub fn path(&self, attribute: &str, key: &str) -> String {
        format!("{attribute}.{}", self.tags.cloud.spell_key(key))
    }

    /// Why `key` cannot be judged when [`Lookup::Unknown`] names `attribute`.
    pub fn unknown_reason(&self, attribute: &str, key: &str) -> String {
        let own = self.tags.own_attribute;
        if attribute != own {
            return format!(
                "`{key}` is not in `{own}`, and `{attribute}`, which adds the provider's default {noun}s, is known only after apply, so this cannot be checked yet",
                noun = self.tags.cloud.noun()
            );
        }
        let hidden = if self.tags.own == TagMap::Sensitive {
            "sensitive"
        } else {
            "known only after apply"
        };
        format!("`{own}` is {hidden}, so whether it sets `{key}` cannot be checked")
    }
}
