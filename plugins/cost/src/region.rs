//! Which region a resource is priced in, and where that answer came from.
//!
//! The order is: the resource's own attribute, the same attribute through a
//! reference the plan can follow, the provider configuration (aliases and
//! module-scoped ones included), then the documented default. The report says
//! which resources used a default, so a region is never silently wrong.

use std::collections::BTreeMap;

use crate::config::Setting;
use crate::estimate::NotPriced;
use crate::fields::Fields;
use crate::plan_index::{PlanIndex, Side};

/// A cloud whose prices the table holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Cloud {
    Aws,
    Google,
    Azure,
}

impl Cloud {
    /// The cloud of a provider short name such as `aws` or `google-beta`.
    pub fn of_provider(provider: &str) -> Option<Cloud> {
        match provider {
            "aws" => Some(Cloud::Aws),
            "google" | "google-beta" => Some(Cloud::Google),
            "azurerm" => Some(Cloud::Azure),
            _ => None,
        }
    }

    /// The cloud of a resource type, for settings keyed by type.
    pub fn of_type(type_: &str) -> Option<Cloud> {
        Cloud::of_provider(type_.split('_').next()?)
    }

    /// The provider name in the price table.
    pub fn table_name(self) -> &'static str {
        match self {
            Cloud::Aws => "aws",
            Cloud::Google => "google",
            Cloud::Azure => "azure",
        }
    }

    /// The provider name users write in `default_regions`.
    pub fn setting_name(self) -> &'static str {
        match self {
            Cloud::Aws => "aws",
            Cloud::Google => "google",
            Cloud::Azure => "azurerm",
        }
    }

    /// Resource attributes that name a location, most specific first.
    fn attributes(self) -> &'static [&'static str] {
        match self {
            Cloud::Aws => &["region", "availability_zone"],
            Cloud::Google => &["region", "zone", "location"],
            Cloud::Azure => &["location"],
        }
    }

    /// References to a parent resource whose location a child shares when it
    /// has none of its own, such as an AKS node pool's cluster.
    fn parents(self) -> &'static [(&'static str, &'static str)] {
        match self {
            Cloud::Aws => &[],
            Cloud::Google => &[("cluster", "google_container_cluster")],
            Cloud::Azure => &[("kubernetes_cluster_id", "azurerm_kubernetes_cluster")],
        }
    }

    /// Provider arguments that name a location.
    fn provider_arguments(self) -> &'static [&'static str] {
        match self {
            Cloud::Aws => &["region"],
            Cloud::Google => &["region", "zone"],
            Cloud::Azure => &[],
        }
    }

    /// The region of a location value: AWS zones lose their letter, GCP zones
    /// their suffix, Azure display names their spaces and capitals.
    pub fn normalise(self, location: &str) -> String {
        let lower = location.trim().to_ascii_lowercase();
        match self {
            Cloud::Aws => {
                let trimmed = lower.trim_end_matches(|c: char| c.is_ascii_lowercase());
                if trimmed.len() < lower.len() && trimmed.ends_with(|c: char| c.is_ascii_digit()) {
                    trimmed.to_string()
                } else {
                    lower
                }
            }
            Cloud::Google => {
                // Self-links end in the zone or region: `projects/p/zones/us-central1-a`.
                let last = lower.rsplit('/').next().unwrap_or(&lower);
                match last.rsplit_once('-') {
                    Some((region, zone))
                        if zone.len() == 1 && region.ends_with(|c: char| c.is_ascii_digit()) =>
                    {
                        region.to_string()
                    }
                    _ => last.to_string(),
                }
            }
            Cloud::Azure => lower.replace(' ', ""),
        }
    }
}

/// Where a region came from, for the report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    Attribute(&'static str),
    Reference(&'static str),
    Provider(String),
    /// The configured default, and why nothing better was found.
    Default(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Region {
    pub name: String,
    pub origin: Origin,
}

/// Resolves regions with the plan's configuration and the default settings.
pub struct RegionResolver<'p, 'a> {
    pub index: &'p PlanIndex<'a>,
    /// Default region per provider setting name (`aws`, `google`, `azurerm`).
    pub defaults: &'p BTreeMap<String, String>,
}

impl RegionResolver<'_, '_> {
    pub fn resolve(
        &self,
        cloud: Cloud,
        provider: &str,
        address: &str,
        fields: &Fields,
        side: Side,
    ) -> Result<Region, NotPriced> {
        let mut unknown_attribute = None;
        for &attribute in cloud.attributes() {
            let value = fields.get(attribute);
            if let tfwarden_sdk::prelude::Known(location) = value.str()
                && !location.is_empty()
            {
                return Ok(Region {
                    name: cloud.normalise(&location),
                    origin: Origin::Attribute(attribute),
                });
            }
            if value.is_unknown() {
                if let Some(location) = self.index.referenced_attribute(address, attribute, side) {
                    return Ok(Region {
                        name: cloud.normalise(&location),
                        origin: Origin::Reference(attribute),
                    });
                }
                unknown_attribute.get_or_insert(attribute);
            }
        }
        for (path, parent_type) in cloud.parents() {
            let Some(parent) = self.index.referenced(address, path, &[parent_type]) else {
                continue;
            };
            let parent = Fields::of(side.of(&parent));
            for &attribute in cloud.attributes() {
                if let tfwarden_sdk::prelude::Known(location) = parent.get(attribute).str()
                    && !location.is_empty()
                {
                    return Ok(Region {
                        name: cloud.normalise(&location),
                        origin: Origin::Reference(attribute),
                    });
                }
            }
        }
        let why = match self.provider_region(cloud, provider, address) {
            Ok(region) => return Ok(region),
            Err(why) => match unknown_attribute {
                Some(attribute) => format!("`{attribute}` is known only after apply and {why}"),
                None => why,
            },
        };
        match self.defaults.get(cloud.setting_name()) {
            Some(default) => Ok(Region {
                name: cloud.normalise(default),
                origin: Origin::Default(why),
            }),
            None => Err(NotPriced::UnknownRegion(why)),
        }
    }

    fn provider_region(
        &self,
        cloud: Cloud,
        provider: &str,
        address: &str,
    ) -> Result<Region, String> {
        if cloud.provider_arguments().is_empty() {
            return Err("the provider has no region setting".into());
        }
        let config = &self.index.config;
        let key = match config.provider_key(address) {
            Some(key) => key.to_string(),
            None => match config.provider_keys_named(provider).as_slice() {
                [only] => only.to_string(),
                [] => return Err("the plan has no provider configuration".into()),
                _ => {
                    return Err("the plan does not say which provider configuration it uses".into());
                }
            },
        };
        let mut reason = format!("provider `{key}` sets no region");
        for argument in cloud.provider_arguments() {
            match config.provider_setting(&key, argument) {
                Setting::Constant(location) => {
                    return Ok(Region {
                        name: cloud.normalise(&location),
                        origin: Origin::Provider(key),
                    });
                }
                Setting::Expression(expr) => {
                    reason = format!(
                        "provider `{key}` sets `{argument}` from {expr}, which the plan does not show"
                    );
                }
                Setting::NotSet => {}
            }
        }
        Err(reason)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_zones_and_display_names() {
        assert_eq!(Cloud::Aws.normalise("us-east-1a"), "us-east-1");
        assert_eq!(Cloud::Aws.normalise("eu-west-2"), "eu-west-2");
        assert_eq!(Cloud::Google.normalise("us-central1-a"), "us-central1");
        assert_eq!(Cloud::Google.normalise("europe-west4"), "europe-west4");
        assert_eq!(Cloud::Google.normalise("US"), "us");
        assert_eq!(
            Cloud::Google.normalise("projects/p/global/zones/us-central1-b"),
            "us-central1"
        );
        assert_eq!(Cloud::Azure.normalise("West Europe"), "westeurope");
    }

    #[test]
    fn maps_providers_and_types_to_clouds() {
        assert_eq!(Cloud::of_provider("google-beta"), Some(Cloud::Google));
        assert_eq!(Cloud::of_type("azurerm_public_ip"), Some(Cloud::Azure));
        assert_eq!(Cloud::of_type("random_id"), None);
    }
}
