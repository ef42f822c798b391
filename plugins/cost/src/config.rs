//! The plan's `configuration` section, indexed once per check.
//!
//! Two questions need it: which provider configuration (and so which region)
//! a resource uses, and which resource an expression refers to (an autoscaling
//! group's launch template, an Azure resource's resource-group location).

use std::cell::OnceCell;
use std::collections::HashMap;

use serde::Deserialize;
use serde_json::value::RawValue;
use tfwarden_sdk::prelude::*;

#[derive(Deserialize, Default)]
struct ConfigDoc<'a> {
    #[serde(default)]
    provider_config: HashMap<String, ProviderDoc<'a>>,
    #[serde(borrow, default)]
    root_module: ModuleDoc<'a>,
}

#[derive(Deserialize)]
struct ProviderDoc<'a> {
    #[serde(default)]
    name: String,
    #[serde(borrow, default)]
    expressions: Option<&'a RawValue>,
}

#[derive(Deserialize, Default)]
struct ModuleDoc<'a> {
    #[serde(borrow, default)]
    resources: Vec<ResourceDoc<'a>>,
    #[serde(borrow, default)]
    module_calls: HashMap<String, CallDoc<'a>>,
}

#[derive(Deserialize)]
struct CallDoc<'a> {
    #[serde(borrow, default)]
    module: Option<ModuleDoc<'a>>,
}

#[derive(Deserialize)]
struct ResourceDoc<'a> {
    address: String,
    #[serde(default)]
    provider_config_key: Option<String>,
    #[serde(borrow, default)]
    expressions: Option<&'a RawValue>,
}

/// How a provider configuration sets a location argument such as `region`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Setting {
    Constant(String),
    /// Set from an expression the plan does not evaluate, such as `var.region`.
    Expression(String),
    NotSet,
}

struct ResourceEntry<'a> {
    provider_config_key: Option<String>,
    expressions: Option<&'a RawValue>,
}

/// Provider configurations and resource expressions, by key and address.
#[derive(Default)]
pub struct ConfigIndex<'a> {
    providers: HashMap<String, (String, Option<&'a RawValue>)>,
    resources: HashMap<String, ResourceEntry<'a>>,
    /// Who refers to whom, by configuration address; built on first use.
    referrers: OnceCell<HashMap<String, Vec<String>>>,
}

impl<'a> ConfigIndex<'a> {
    /// Indexes the configuration section; an absent or unreadable one gives an
    /// empty index, so every lookup then falls back to defaults.
    pub fn new(configuration: Value<'a>) -> Self {
        let Some(raw) = configuration.raw() else {
            return ConfigIndex::default();
        };
        let Ok(doc) = serde_json::from_str::<ConfigDoc<'a>>(raw) else {
            return ConfigIndex::default();
        };
        let providers = doc
            .provider_config
            .into_iter()
            .map(|(key, p)| (key, (p.name, p.expressions)))
            .collect();
        let mut resources = HashMap::new();
        collect_resources(doc.root_module, String::new(), &mut resources);
        ConfigIndex {
            providers,
            resources,
            referrers: OnceCell::new(),
        }
    }

    /// The configuration addresses of resources whose expressions refer to
    /// `address` (any instance of it), such as the instances using an IP.
    pub fn referrers(&self, address: &str) -> &[String] {
        let map = self.referrers.get_or_init(|| {
            let mut map: HashMap<String, Vec<String>> = HashMap::new();
            for (from, entry) in &self.resources {
                let Some(expressions) = entry.expressions else {
                    continue;
                };
                let Ok(tree) = serde_json::from_str::<serde_json::Value>(expressions.get()) else {
                    continue;
                };
                let prefix = &from[..module_instance_prefix(from).len()];
                let mut targets = Vec::new();
                collect_references(&tree, &mut targets);
                targets.sort_unstable();
                targets.dedup();
                for target in targets {
                    let resource = match target.split('.').collect::<Vec<_>>().as_slice() {
                        [t, n, ..] if !t.starts_with("var") && !t.starts_with("local") => {
                            format!("{prefix}{t}.{n}")
                        }
                        _ => continue,
                    };
                    map.entry(config_address(&resource))
                        .or_default()
                        .push(from.clone());
                }
            }
            map
        });
        map.get(&config_address(address)).map_or(&[], Vec::as_slice)
    }

    /// The provider configuration key a resource uses, such as `aws.west`.
    pub fn provider_key(&self, address: &str) -> Option<&str> {
        self.resources
            .get(&config_address(address))?
            .provider_config_key
            .as_deref()
    }

    /// How the provider configuration `key` sets `argument`. Module-scoped keys
    /// (`module.x:aws`) fall back to the root configuration they inherit.
    pub fn provider_setting(&self, key: &str, argument: &str) -> Setting {
        let entry = self.providers.get(key).or_else(|| {
            let (_, root_key) = key.rsplit_once(':')?;
            self.providers.get(root_key)
        });
        let Some((_, Some(expressions))) = entry else {
            return Setting::NotSet;
        };
        let expr = Value::new(Some(expressions.get()), None).get(argument);
        if let Known(value) = expr.get("constant_value").str() {
            return Setting::Constant(value.into_owned());
        }
        match expr.get("references").index(0).str() {
            Known(reference) => Setting::Expression(reference.into_owned()),
            _ if expr.is_known() => Setting::Expression("an expression".into()),
            _ => Setting::NotSet,
        }
    }

    /// The keys of every configuration of provider `name` (`aws`, `aws.west`, ...).
    pub fn provider_keys_named(&self, name: &str) -> Vec<&str> {
        let mut keys: Vec<&str> = self
            .providers
            .iter()
            .filter(|(_, (n, _))| n == name)
            .map(|(k, _)| k.as_str())
            .collect();
        keys.sort_unstable();
        keys
    }

    /// True when the configuration writes an expression for `path` of the
    /// resource, so an unknown value there is a real unknown rather than a
    /// provider default that is filled in at apply.
    pub fn sets(&self, address: &str, path: &str) -> bool {
        self.resources
            .get(&config_address(address))
            .and_then(|r| r.expressions)
            .is_some_and(|e| Value::new(Some(e.get()), None).path(path).is_known())
    }

    /// The resources an attribute's expression refers to, as full addresses in
    /// the resource's own module instance: `launch_template.0.id` of
    /// `module.a[0].aws_autoscaling_group.x` may give `module.a[0].aws_launch_template.t`.
    pub fn references(&self, address: &str, path: &str) -> Vec<String> {
        let Some(expressions) = self
            .resources
            .get(&config_address(address))
            .and_then(|r| r.expressions)
        else {
            return Vec::new();
        };
        let refs = Value::new(Some(expressions.get()), None)
            .path(path)
            .get("references");
        let module_prefix = module_instance_prefix(address);
        refs.items()
            .known()
            .unwrap_or_default()
            .iter()
            .filter_map(|r| r.str().known())
            .map(|r| format!("{module_prefix}{r}"))
            .collect()
    }
}

fn collect_references(tree: &serde_json::Value, out: &mut Vec<String>) {
    match tree {
        serde_json::Value::Object(map) => {
            for (key, value) in map {
                match (key.as_str(), value) {
                    ("references", serde_json::Value::Array(items)) => {
                        out.extend(items.iter().filter_map(|i| i.as_str()).map(str::to_owned));
                    }
                    _ => collect_references(value, out),
                }
            }
        }
        serde_json::Value::Array(items) => items.iter().for_each(|i| collect_references(i, out)),
        _ => {}
    }
}

fn collect_resources<'a>(
    module: ModuleDoc<'a>,
    prefix: String,
    out: &mut HashMap<String, ResourceEntry<'a>>,
) {
    for r in module.resources {
        out.insert(
            format!("{prefix}{}", r.address),
            ResourceEntry {
                provider_config_key: r.provider_config_key,
                expressions: r.expressions,
            },
        );
    }
    for (name, call) in module.module_calls {
        if let Some(child) = call.module {
            collect_resources(child, format!("{prefix}module.{name}."), out);
        }
    }
}

/// An instance address without its instance keys, as the configuration names
/// the block: `module.a["x"].aws_instance.b[0]` becomes `module.a.aws_instance.b`.
pub fn config_address(address: &str) -> String {
    let mut out = String::with_capacity(address.len());
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    for c in address.chars() {
        if depth > 0 {
            match c {
                _ if escaped => escaped = false,
                '\\' if in_string => escaped = true,
                '"' => in_string = !in_string,
                '[' if !in_string => depth += 1,
                ']' if !in_string => depth -= 1,
                _ => {}
            }
            continue;
        }
        if c == '[' {
            depth = 1;
        } else {
            out.push(c);
        }
    }
    out
}

/// The module instance part of an address, with a trailing dot: `module.a[0].`
/// for `module.a[0].aws_instance.b`, empty for a root resource.
pub fn module_instance_prefix(address: &str) -> &str {
    let mut end = 0;
    let mut rest = address;
    while let Some(after) = rest.strip_prefix("module.") {
        let name_len = after.find(['.', '[']).unwrap_or(after.len());
        let mut consumed = "module.".len() + name_len;
        let tail = &after[name_len..];
        if tail.starts_with('[') {
            consumed += bracket_len(tail);
        }
        let tail = &rest[consumed..];
        if !tail.starts_with('.') {
            break;
        }
        consumed += 1;
        end += consumed;
        rest = &rest[consumed..];
    }
    &address[..end]
}

fn bracket_len(s: &str) -> usize {
    let mut in_string = false;
    let mut escaped = false;
    for (i, c) in s.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' if in_string => escaped = true,
            '"' => in_string = !in_string,
            ']' if !in_string => return i + 1,
            _ => {}
        }
    }
    s.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_instance_keys_even_with_brackets_in_strings() {
        assert_eq!(
            config_address(r#"module.a["x"].aws_instance.b[0]"#),
            "module.a.aws_instance.b"
        );
        assert_eq!(
            config_address(r#"aws_instance.b["we]ird\"]"]"#),
            "aws_instance.b"
        );
        assert_eq!(config_address("aws_instance.b"), "aws_instance.b");
    }

    #[test]
    fn finds_the_module_instance_prefix() {
        assert_eq!(
            module_instance_prefix(r#"module.a["x.y"].module.b[0].aws_instance.c"#),
            r#"module.a["x.y"].module.b[0]."#
        );
        assert_eq!(module_instance_prefix("aws_instance.c"), "");
    }

    #[test]
    fn resolves_provider_settings_and_references() {
        let config = r#"{
          "provider_config": {
            "aws": {"name": "aws", "expressions": {"region": {"constant_value": "eu-west-1"}}},
            "aws.west": {"name": "aws", "alias": "west", "expressions": {"region": {"references": ["var.region"]}}}
          },
          "root_module": {"module_calls": {"app": {"module": {"resources": [
            {"address": "aws_autoscaling_group.g", "provider_config_key": "app:aws",
             "expressions": {"launch_template": [{"id": {"references": ["aws_launch_template.t.id", "aws_launch_template.t"]}}]}}
          ]}}}}
        }"#;
        let index = ConfigIndex::new(Value::new(Some(config), None));
        assert_eq!(
            index.provider_key(r#"module.app[1].aws_autoscaling_group.g"#),
            Some("app:aws")
        );
        assert_eq!(
            index.provider_setting("app:aws", "region"),
            Setting::Constant("eu-west-1".into())
        );
        assert_eq!(
            index.provider_setting("aws.west", "region"),
            Setting::Expression("var.region".into())
        );
        assert_eq!(index.provider_setting("aws", "zone"), Setting::NotSet);
        assert_eq!(index.provider_keys_named("aws"), ["aws", "aws.west"]);
        assert_eq!(
            index.references(
                "module.app[1].aws_autoscaling_group.g",
                "launch_template.0.id"
            ),
            [
                "module.app[1].aws_launch_template.t.id",
                "module.app[1].aws_launch_template.t"
            ]
        );
    }
}
