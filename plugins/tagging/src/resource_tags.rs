//! The tags of one planned resource, read in a single pass over its values, and
//! the one question every rule asks of them: will this key be set?

use serde::{Deserialize, Deserializer};
use serde_json::value::RawValue;
use tfwarden_sdk::prelude::Attr;

use crate::cloud::{Cloud, KeyMatch};
use crate::provider_defaults::DefaultsCache;
use crate::tag_map::{TagMap, TagValue};

/// Every attribute any supported cloud keeps tags in. Serde skips all other
/// attributes without building them, so one scan reads what every rule needs.
#[derive(Debug, Default, Deserialize)]
struct TagFields<'a> {
    #[serde(borrow, default, deserialize_with = "present")]
    tags: Option<&'a RawValue>,
    #[serde(borrow, default, deserialize_with = "present")]
    tags_all: Option<&'a RawValue>,
    #[serde(borrow, default, deserialize_with = "present")]
    labels: Option<&'a RawValue>,
    #[serde(borrow, default, deserialize_with = "present")]
    user_labels: Option<&'a RawValue>,
    #[serde(borrow, default, deserialize_with = "present")]
    resource_labels: Option<&'a RawValue>,
    #[serde(borrow, default, deserialize_with = "present")]
    terraform_labels: Option<&'a RawValue>,
    #[serde(borrow, default, deserialize_with = "present")]
    effective_labels: Option<&'a RawValue>,
}

/// Keeps a JSON `null` as `Some("null")`: a null `tags` still means the type is taggable.
fn present<'de, D: Deserializer<'de>>(d: D) -> Result<Option<&'de RawValue>, D::Error> {
    <&RawValue>::deserialize(d).map(Some)
}

impl<'a> TagFields<'a> {
    fn parse(json: Option<&'a str>) -> Self {
        json.and_then(|j| serde_json::from_str(j).ok())
            .unwrap_or_default()
    }

    fn field(&self, name: &str) -> Option<&'a RawValue> {
        match name {
            "tags" => self.tags,
            "tags_all" => self.tags_all,
            "labels" => self.labels,
            "user_labels" => self.user_labels,
            "resource_labels" => self.resource_labels,
            "terraform_labels" => self.terraform_labels,
            "effective_labels" => self.effective_labels,
            _ => None,
        }
    }
}

/// Where a key's value comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// The resource's own tags (`tags`, `labels`, ...): what its block sets.
    Own,
    /// A merged attribute (`tags_all`, `terraform_labels`, ...): set by the provider's defaults.
    Merged,
    /// The provider block's defaults, read from the configuration because the
    /// merged attribute is unknown until apply.
    ProviderDefaults,
}

/// The answer to "will `key` be set on this resource?".
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Lookup<'m> {
    Found {
        attribute: &'static str,
        source: Source,
        value: TagValue<'m>,
    },
    /// It depends on `attribute`, which is unknown until apply or sensitive.
    Unknown {
        attribute: &'static str,
    },
    Absent,
}

/// The tag attributes of one resource that can carry tags.
#[derive(Debug)]
pub struct ResourceTags<'a> {
    pub cloud: Cloud,
    /// Where the resource's own tags live, and where a fix adds a missing one.
    pub own_attribute: &'static str,
    pub own: TagMap<'a>,
    merged: Vec<(&'static str, TagMap<'a>)>,
}

impl<'a> ResourceTags<'a> {
    /// Reads the tags from a planned value and its `after_unknown` mask;
    /// `None` when the resource cannot carry key/value tags.
    pub fn read(cloud: Cloud, after: Option<&'a str>, unknown: Option<&'a str>) -> Option<Self> {
        let marker = cloud.marker();
        let might_have_tags = |json: Option<&str>| json.is_some_and(|j| j.contains(marker));
        if !might_have_tags(after) && !might_have_tags(unknown) {
            return None;
        }
        let values = TagFields::parse(after);
        let masks = TagFields::parse(unknown);
        let read = |name: &str| TagMap::read(values.field(name), masks.field(name));

        let own_attributes = cloud.own_attributes();
        let (own_attribute, own) = own_attributes
            .iter()
            .map(|name| (*name, read(name)))
            .find(|(_, map)| *map != TagMap::Missing)
            .unwrap_or((own_attributes[own_attributes.len() - 1], TagMap::Missing));
        let merged: Vec<_> = cloud
            .merged_attributes()
            .iter()
            .map(|name| (*name, read(name)))
            .filter(|(_, map)| *map != TagMap::Missing)
            .collect();
        // List-valued `tags` (the old aws_autoscaling_group form) are not key/value tags.
        if own == TagMap::NotAMap || (own == TagMap::Missing && merged.is_empty()) {
            return None;
        }
        Some(ResourceTags {
            cloud,
            own_attribute,
            own,
            merged,
        })
    }

    /// Whether `key` will be set, and to what. The resource's own tags come
    /// first; then the first known merged attribute decides, since it already
    /// includes the provider defaults; when those are all unknown, the
    /// provider blocks in the configuration decide.
    pub fn lookup<'m>(
        &'m self,
        key: &str,
        keys: KeyMatch,
        defaults: &'m DefaultsCache<'_>,
    ) -> Lookup<'m> {
        if let Some(value) = self.own.get(key, keys) {
            return Lookup::Found {
                attribute: self.own_attribute,
                source: Source::Own,
                value: value.reborrow(),
            };
        }
        let mut unknown_merged = None;
        for (attribute, map) in &self.merged {
            if map.is_known() {
                return match map.get(key, keys) {
                    Some(value) => Lookup::Found {
                        attribute,
                        source: Source::Merged,
                        value: value.reborrow(),
                    },
                    None => Lookup::Absent,
                };
            }
            if map.is_opaque() && unknown_merged.is_none() {
                unknown_merged = Some(*attribute);
            }
        }
        if self.own.is_opaque() {
            return Lookup::Unknown {
                attribute: self.own_attribute,
            };
        }
        let Some(attribute) = unknown_merged else {
            return Lookup::Absent;
        };
        match defaults.for_cloud(self.cloud).lookup(key, keys) {
            Attr::Known(value) => Lookup::Found {
                attribute,
                source: Source::ProviderDefaults,
                value: TagValue::Known(value.into()),
            },
            Attr::Unknown => Lookup::Unknown { attribute },
            Attr::Absent => Lookup::Absent,
        }
    }
}
