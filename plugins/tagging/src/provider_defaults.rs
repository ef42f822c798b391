//! Tags that provider blocks add to every resource (`default_tags` on aws,
//! `default_labels` on google), read from the plan's configuration.
//!
//! They matter only when a merged attribute such as `tags_all` is unknown until
//! apply: many AWS provider versions plan `tags_all` as unknown even when no
//! defaults exist, and without this every untagged AWS resource would be
//! indeterminate instead of a plain failure.

use std::cell::OnceCell;

use tfwarden_sdk::prelude::*;

use crate::cloud::{Cloud, KeyMatch};

/// What the provider blocks of one cloud add to every resource.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProviderDefaults {
    /// The plan has no configuration section, so nothing is known.
    Unavailable,
    /// One entry per provider block of this cloud.
    Blocks(Vec<BlockDefaults>),
}

/// The defaults of one provider block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BlockDefaults {
    /// Constant keys and values (empty when the block sets none).
    Constant(Vec<(String, String)>),
    /// Set from variables or other expressions: any key may be there.
    Dynamic,
}

impl ProviderDefaults {
    /// Reads the provider blocks of `cloud` from a plan's `configuration` section.
    pub fn read(configuration: Value<'_>, cloud: Cloud) -> Self {
        let Some((provider_names, argument)) = cloud.default_tags_source() else {
            return ProviderDefaults::Blocks(Vec::new());
        };
        // A configuration without a root module is a trimmed plan, not one without providers.
        if !configuration.has("root_module") {
            return ProviderDefaults::Unavailable;
        }
        let blocks = configuration
            .get("provider_config")
            .entries()
            .known()
            .unwrap_or_default()
            .into_iter()
            .filter(|(_, block)| {
                block
                    .get("name")
                    .str()
                    .known()
                    .is_some_and(|name| provider_names.contains(&name.as_ref()))
            })
            .map(|(_, block)| block_defaults(block.get("expressions").get(argument), cloud))
            .collect();
        ProviderDefaults::Blocks(blocks)
    }

    /// The value every resource of this cloud gets for `key` from its provider:
    /// `Known` when every provider block sets it to the same constant, `Absent`
    /// when none can, `Unknown` otherwise.
    pub fn lookup(&self, key: &str, keys: KeyMatch) -> Attr<&str> {
        let ProviderDefaults::Blocks(blocks) = self else {
            return Attr::Unknown;
        };
        let mut values = Vec::with_capacity(blocks.len());
        for block in blocks {
            match block {
                BlockDefaults::Dynamic => return Attr::Unknown,
                BlockDefaults::Constant(tags) => {
                    values.push(
                        tags.iter()
                            .find(|(k, _)| keys.same(k, key))
                            .map(|(_, v)| v.as_str()),
                    );
                }
            }
        }
        match values.split_first() {
            None => Attr::Absent,
            Some((first, rest)) if rest.iter().all(|v| v == first) => match first {
                Some(value) => Attr::Known(value),
                None => Attr::Absent,
            },
            // Blocks disagree, and which one a resource uses is not worth resolving here.
            Some(_) => Attr::Unknown,
        }
    }
}

/// Reads the expression of `default_tags` (a block holding `tags`) or
/// `default_labels` (a map).
fn block_defaults(expression: Value<'_>, cloud: Cloud) -> BlockDefaults {
    let map_expression = match cloud {
        Cloud::Aws => match expression.items() {
            Attr::Absent => return BlockDefaults::Constant(Vec::new()),
            Attr::Unknown => return BlockDefaults::Dynamic,
            Attr::Known(blocks) => match blocks.as_slice() {
                [] => return BlockDefaults::Constant(Vec::new()),
                [block] => block.get("tags"),
                _ => return BlockDefaults::Dynamic,
            },
        },
        _ => expression,
    };
    if map_expression.is_absent() {
        return BlockDefaults::Constant(Vec::new());
    }
    let Attr::Known(entries) = map_expression.get("constant_value").entries() else {
        return BlockDefaults::Dynamic;
    };
    let mut tags = Vec::with_capacity(entries.len());
    for (key, value) in entries {
        match value.str() {
            Attr::Known(value) => tags.push((key.into_owned(), value.into_owned())),
            Attr::Absent => {}
            Attr::Unknown => return BlockDefaults::Dynamic,
        }
    }
    BlockDefaults::Constant(tags)
}

/// Provider defaults per cloud, read at most once per check and only when a
/// resource needs them.
pub struct DefaultsCache<'a> {
    plan: Plan<'a>,
    aws: OnceCell<ProviderDefaults>,
    google: OnceCell<ProviderDefaults>,
}

impl<'a> DefaultsCache<'a> {
    pub fn new(plan: Plan<'a>) -> Self {
        DefaultsCache {
            plan,
            aws: OnceCell::new(),
            google: OnceCell::new(),
        }
    }

    pub fn for_cloud(&self, cloud: Cloud) -> &ProviderDefaults {
        static NONE: ProviderDefaults = ProviderDefaults::Blocks(Vec::new());
        let cell = match cloud {
            Cloud::Aws => &self.aws,
            Cloud::Google => &self.google,
            Cloud::Azure => return &NONE,
        };
        cell.get_or_init(|| {
            let configuration = self.plan.configuration();
            if configuration.is_absent() {
                ProviderDefaults::Unavailable
            } else {
                ProviderDefaults::read(configuration, cloud)
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(configuration: &str, cloud: Cloud) -> ProviderDefaults {
        ProviderDefaults::read(Value::new(Some(configuration), None), cloud)
    }

    const AWS_WITH_DEFAULTS: &str = r#"{"root_module":{},"provider_config":{
        "aws":{"name":"aws","expressions":{"region":{"constant_value":"eu-west-1"},
               "default_tags":[{"tags":{"constant_value":{"owner":"platform","env":"prod"}}}]}},
        "google":{"name":"google","expressions":{"default_labels":{"references":["local.labels"]}}}}}"#;

    #[test]
    fn constant_default_tags_are_known() {
        let aws = read(AWS_WITH_DEFAULTS, Cloud::Aws);
        assert_eq!(
            aws.lookup("owner", KeyMatch::Exact),
            Attr::Known("platform")
        );
        assert_eq!(aws.lookup("Owner", KeyMatch::Exact), Attr::Absent);
        assert_eq!(aws.lookup("team", KeyMatch::Exact), Attr::Absent);
        let google = read(AWS_WITH_DEFAULTS, Cloud::Google);
        assert_eq!(google.lookup("owner", KeyMatch::IgnoreCase), Attr::Unknown);
    }

    #[test]
    fn no_provider_block_means_no_defaults() {
        let none = read(r#"{"root_module":{"resources":[]}}"#, Cloud::Aws);
        assert_eq!(none.lookup("owner", KeyMatch::Exact), Attr::Absent);
        let plain = read(
            r#"{"root_module":{},"provider_config":{"aws":{"name":"aws"}}}"#,
            Cloud::Aws,
        );
        assert_eq!(plain.lookup("owner", KeyMatch::Exact), Attr::Absent);
    }

    #[test]
    fn trimmed_or_missing_configuration_is_unknown() {
        assert_eq!(
            read(r#"{"provider_config":{}}"#, Cloud::Aws),
            ProviderDefaults::Unavailable
        );
        assert_eq!(
            ProviderDefaults::Unavailable.lookup("owner", KeyMatch::Exact),
            Attr::Unknown
        );
    }

    #[test]
    fn blocks_that_disagree_are_unknown() {
        let aliased = r#"{"root_module":{},"provider_config":{
            "aws":{"name":"aws","expressions":{"default_tags":[{"tags":{"constant_value":{"owner":"a"}}}]}},
            "aws.east":{"name":"aws","alias":"east","expressions":{}}}}"#;
        assert_eq!(
            read(aliased, Cloud::Aws).lookup("owner", KeyMatch::Exact),
            Attr::Unknown
        );
        assert_eq!(
            read(aliased, Cloud::Aws).lookup("env", KeyMatch::Exact),
            Attr::Absent
        );
    }
}
