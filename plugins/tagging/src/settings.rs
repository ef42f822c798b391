//! The plugin's settings as users write them in `tfwarden.toml`, and their
//! validation into a [`Config`] the rules can use without further checks.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::Value as Json;

use crate::allowed::AllowedValues;
use crate::glob::Glob;
use crate::style::KeyStyle;
use crate::type_filter::TypeFilter;

/// Settings as written by the user; every field is optional.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Settings {
    /// Tag keys every taggable resource must have.
    pub required: Vec<String>,
    /// Allowed values per tag key: a list of values or `{ regex = "..." }`.
    /// Kept as JSON here so errors can name the exact key at fault.
    pub allowed: BTreeMap<String, Json>,
    /// The naming style every tag key must follow, or `none`.
    pub key_style: String,
    /// Tag keys (wildcards allowed) that `key_style` does not apply to.
    pub key_style_exempt: Vec<String>,
    /// Resource types to check (wildcards allowed); empty means all.
    pub include_types: Vec<String>,
    /// Resource types never to check.
    pub exclude_types: Vec<String>,
    /// Compare AWS tag keys ignoring case (Azure and Google always do).
    pub case_insensitive_keys: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            required: vec!["owner".into()],
            allowed: BTreeMap::new(),
            key_style: "none".into(),
            // AWS shows `Name` in its console, and Kubernetes requires its own keys.
            key_style_exempt: [
                "Name",
                "kubernetes.io/*",
                "*.kubernetes.io/*",
                "k8s.io/*",
                "*.k8s.io/*",
            ]
            .map(String::from)
            .to_vec(),
            include_types: Vec::new(),
            exclude_types: Vec::new(),
            case_insensitive_keys: false,
        }
    }
}

/// Validated settings.
#[derive(Debug, Clone)]
pub struct Config {
    pub required: Vec<String>,
    pub allowed: Vec<(String, AllowedValues)>,
    pub key_style: Option<KeyStyle>,
    pub key_style_exempt: Vec<Glob>,
    pub types: TypeFilter,
    pub case_insensitive_keys: bool,
}

impl Config {
    pub fn new(settings: Settings) -> Result<Self, String> {
        check_keys("required", settings.required.iter())?;
        if let Some(twice) = settings
            .required
            .iter()
            .enumerate()
            .find_map(|(i, k)| settings.required[..i].contains(k).then_some(k))
        {
            return Err(format!("required: `{twice}` is listed twice"));
        }
        check_keys("allowed", settings.allowed.keys())?;
        let allowed = settings
            .allowed
            .iter()
            .map(|(key, values)| Ok((key.clone(), AllowedValues::from_setting(key, values)?)))
            .collect::<Result<Vec<_>, String>>()?;
        let key_style = KeyStyle::parse(&settings.key_style)?;
        check_keys("key_style_exempt", settings.key_style_exempt.iter())?;
        let config = Config {
            key_style_exempt: settings
                .key_style_exempt
                .iter()
                .map(|p| Glob::new(p))
                .collect(),
            types: TypeFilter::new(&settings.include_types, &settings.exclude_types)?,
            required: settings.required,
            allowed,
            key_style,
            case_insensitive_keys: settings.case_insensitive_keys,
        };
        config.check_keys_follow_style()?;
        Ok(config)
    }

    /// Asking for a key that TAG003 would then flag helps no one, so say so at load.
    fn check_keys_follow_style(&self) -> Result<(), String> {
        let Some(style) = self.key_style else {
            return Ok(());
        };
        let configured = self
            .required
            .iter()
            .map(|k| ("required", k))
            .chain(self.allowed.iter().map(|(k, _)| ("allowed", k)));
        for (setting, key) in configured {
            if !style.accepts(key) && !self.is_style_exempt(key) {
                let hint = style
                    .suggest(key)
                    .map(|s| format!("use `{s}` or "))
                    .unwrap_or_default();
                return Err(format!(
                    "{setting}: `{key}` does not follow key_style `{}`; {hint}add it to key_style_exempt",
                    style.name()
                ));
            }
        }
        Ok(())
    }

    pub fn is_required(&self, key: &str) -> bool {
        self.required.iter().any(|k| k == key)
    }

    pub fn allowed_values(&self, key: &str) -> Option<&AllowedValues> {
        self.allowed.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    pub fn is_style_exempt(&self, key: &str) -> bool {
        self.key_style_exempt.iter().any(|g| g.matches(key))
    }
}

fn check_keys<'k>(setting: &str, keys: impl Iterator<Item = &'k String>) -> Result<(), String> {
    for key in keys {
        if key.trim().is_empty() {
            return Err(format!("{setting}: tag keys cannot be empty"));
        }
        if key.trim() != key {
            return Err(format!(
                "{setting}: `{key}` has spaces around it; write `{}`",
                key.trim()
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn config(settings: Json) -> Result<Config, String> {
        let settings: Settings = serde_json::from_value(settings).map_err(|e| e.to_string())?;
        Config::new(settings)
    }

    #[test]
    fn defaults_require_owner_only() {
        let config = Config::new(Settings::default()).unwrap();
        assert_eq!(config.required, ["owner"]);
        assert!(config.allowed.is_empty() && config.key_style.is_none());
        assert!(
            config.is_style_exempt("Name") && config.is_style_exempt("kubernetes.io/cluster/prod")
        );
        assert!(
            config.is_style_exempt("node.kubernetes.io/role") && !config.is_style_exempt("name")
        );
    }

    #[test]
    fn full_settings_validate() {
        let config = config(json!({
            "required": ["owner", "env"],
            "allowed": {"env": ["dev", "prod"], "owner": {"regex": "team-[a-z]+"}},
            "key_style": "snake_case",
            "include_types": ["aws_*"],
            "exclude_types": ["aws_iam_*"],
            "case_insensitive_keys": true
        }))
        .unwrap();
        assert!(config.is_required("env") && !config.is_required("team"));
        assert!(config.allowed_values("env").unwrap().permits("dev"));
        assert!(config.types.admits("aws_s3_bucket") && !config.types.admits("aws_iam_role"));
    }

    #[test]
    fn bad_settings_are_rejected_with_the_setting_named() {
        let cases = [
            (
                json!({"required": [""]}),
                "required: tag keys cannot be empty",
            ),
            (
                json!({"required": [" owner"]}),
                "required: ` owner` has spaces",
            ),
            (
                json!({"required": ["owner", "owner"]}),
                "required: `owner` is listed twice",
            ),
            (
                json!({"allowed": {"env": {"regex": "(("}}}),
                "allowed.env: `((` is not a valid regex",
            ),
            (
                json!({"key_style": "snake"}),
                "key_style: unknown style `snake`",
            ),
            (
                json!({"key_style": "snake_case", "required": ["Owner"]}),
                "required: `Owner` does not follow key_style `snake_case`; use `owner`",
            ),
            (
                json!({"key_style": "kebab-case", "required": [], "allowed": {"cost_center": ["a"]}}),
                "allowed: `cost_center` does not follow",
            ),
            (
                json!({"include_types": ["aws_*"], "exclude_types": ["aws_*"]}),
                "`aws_*` is in both",
            ),
            (
                json!({"include_types": ["AWS_*"]}),
                "include_types: `AWS_*`",
            ),
            (
                json!({"key_style_exempt": [""]}),
                "key_style_exempt: tag keys cannot be empty",
            ),
            (json!({"requried": ["owner"]}), "unknown field `requried`"),
        ];
        for (settings, fragment) in cases {
            let err = config(settings.clone()).unwrap_err();
            assert!(err.contains(fragment), "{settings}: {err}");
        }
    }

    #[test]
    fn exempt_keys_may_break_the_style() {
        let ok = config(json!({"key_style": "snake_case", "required": ["Name"]}));
        assert!(ok.is_ok(), "{ok:?}");
    }
}
