//! The clouds this plugin understands and where each keeps a resource's tags,
//! so the rules can stay provider-agnostic.

use std::borrow::Cow;

/// A cloud whose resources carry key/value tags (or labels).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cloud {
    Aws,
    Google,
    Azure,
}

/// How two tag keys are compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyMatch {
    Exact,
    IgnoreCase,
}

impl KeyMatch {
    pub fn same(self, a: &str, b: &str) -> bool {
        match self {
            KeyMatch::Exact => a == b,
            KeyMatch::IgnoreCase if a.is_ascii() && b.is_ascii() => a.eq_ignore_ascii_case(b),
            KeyMatch::IgnoreCase => a
                .chars()
                .flat_map(char::to_lowercase)
                .eq(b.chars().flat_map(char::to_lowercase)),
        }
    }
}

impl Cloud {
    /// The resource type prefixes this plugin knows, for validating type patterns.
    pub const TYPE_PREFIXES: [&'static str; 3] = ["aws_", "google_", "azurerm_"];

    /// The cloud of a resource type. The type's prefix names the provider, which
    /// also covers `google-beta` and forks published under other namespaces.
    pub fn of_type(type_: &str) -> Option<Cloud> {
        if type_.starts_with("aws_") {
            Some(Cloud::Aws)
        } else if type_.starts_with("google_") {
            Some(Cloud::Google)
        } else if type_.starts_with("azurerm_") {
            Some(Cloud::Azure)
        } else {
            None
        }
    }

    /// Attributes holding the tags set on the resource itself, most specific
    /// first. Google's `user_labels` wins over `labels` because on monitoring
    /// notification channels `labels` holds channel settings, and
    /// `resource_labels` is what GKE clusters use. Google's list-valued `tags`
    /// are network tags, never key/value labels.
    pub fn own_attributes(self) -> &'static [&'static str] {
        match self {
            Cloud::Aws | Cloud::Azure => &["tags"],
            Cloud::Google => &["user_labels", "resource_labels", "labels"],
        }
    }

    /// Attributes the provider fills with the resource's tags merged with the
    /// provider-level defaults (`default_tags`, `default_labels`).
    pub fn merged_attributes(self) -> &'static [&'static str] {
        match self {
            Cloud::Aws => &["tags_all"],
            Cloud::Google => &["terraform_labels", "effective_labels"],
            Cloud::Azure => &[],
        }
    }

    /// Text every planned value that has a tag attribute contains: a substring
    /// test that lets most untaggable resources skip JSON parsing altogether.
    pub fn marker(self) -> &'static str {
        match self {
            Cloud::Aws | Cloud::Azure => "\"tags",
            Cloud::Google => "labels\"",
        }
    }

    /// How keys compare. Azure tag names are case-insensitive in Azure itself
    /// (and in Azure Policy), so they compare ignoring case. AWS keys are
    /// case-sensitive unless `case_insensitive_keys` is set. Google label keys
    /// can only be lower-case, so they compare exactly with the lower-case
    /// spelling of the configured key: a label `Owner` would fail at apply.
    pub fn key_match(self, case_insensitive_keys: bool) -> KeyMatch {
        match self {
            Cloud::Aws if case_insensitive_keys => KeyMatch::IgnoreCase,
            Cloud::Aws | Cloud::Google => KeyMatch::Exact,
            Cloud::Azure => KeyMatch::IgnoreCase,
        }
    }

    /// A configured key as this cloud spells it, for lookups and suggested fixes.
    pub fn spell_key(self, key: &str) -> Cow<'_, str> {
        match self {
            Cloud::Google if key.chars().any(char::is_uppercase) => Cow::Owned(key.to_lowercase()),
            _ => Cow::Borrowed(key),
        }
    }

    /// Why a key that differs only in case does not count.
    pub fn case_rule(self) -> &'static str {
        match self {
            Cloud::Google => "Google label keys must be lower-case",
            Cloud::Aws | Cloud::Azure => "AWS tag keys are case-sensitive",
        }
    }

    /// "tag" or "label", as the cloud calls them.
    pub fn noun(self) -> &'static str {
        match self {
            Cloud::Google => "label",
            Cloud::Aws | Cloud::Azure => "tag",
        }
    }

    /// Provider names (`configuration.provider_config.*.name`) whose blocks
    /// can set default tags, and the argument that does it.
    pub fn default_tags_source(self) -> Option<(&'static [&'static str], &'static str)> {
        match self {
            Cloud::Aws => Some((&["aws"], "default_tags")),
            Cloud::Google => Some((&["google", "google-beta"], "default_labels")),
            Cloud::Azure => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clouds_come_from_type_prefixes() {
        assert_eq!(Cloud::of_type("aws_s3_bucket"), Some(Cloud::Aws));
        assert_eq!(Cloud::of_type("google_storage_bucket"), Some(Cloud::Google));
        assert_eq!(Cloud::of_type("azurerm_resource_group"), Some(Cloud::Azure));
        assert_eq!(Cloud::of_type("awscc_s3_bucket"), None);
        assert_eq!(Cloud::of_type("azuread_group"), None);
        assert_eq!(Cloud::of_type("datadog_monitor"), None);
    }

    #[test]
    fn keys_compare_per_cloud() {
        assert!(!Cloud::Aws.key_match(false).same("Owner", "owner"));
        assert!(Cloud::Aws.key_match(true).same("Owner", "owner"));
        assert!(Cloud::Azure.key_match(false).same("OWNER", "owner"));
        assert!(!Cloud::Google.key_match(false).same("Owner", "owner"));
        assert_eq!(Cloud::Google.spell_key("CostCenter"), "costcenter");
        assert_eq!(Cloud::Aws.spell_key("CostCenter"), "CostCenter");
        assert!(KeyMatch::IgnoreCase.same("Ämter", "ämter"));
        assert!(!KeyMatch::IgnoreCase.same("owner", "owners"));
    }
}
