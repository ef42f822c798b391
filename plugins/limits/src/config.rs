//! The plan's `configuration` section, indexed once per check.
//!
//! At plan time most links between resources are ARNs and IDs that do not
//! exist yet. The configuration still says which block an attribute refers to,
//! so this module keeps, for every resource block, module call and provider,
//! just what following those references needs.

use std::borrow::Cow;
use std::collections::{BTreeSet, HashMap};

use serde::Deserialize;
use serde_json::value::RawValue;

use crate::address::join;

#[derive(Deserialize)]
struct ConfigurationJson<'a> {
    #[serde(borrow, default)]
    provider_config: HashMap<Cow<'a, str>, ProviderJson<'a>>,
    #[serde(borrow, default)]
    root_module: Option<ModuleJson<'a>>,
}

#[derive(Deserialize)]
struct ModuleJson<'a> {
    #[serde(borrow, default)]
    resources: Vec<ResourceJson<'a>>,
    #[serde(borrow, default)]
    module_calls: HashMap<Cow<'a, str>, ModuleCallJson<'a>>,
    #[serde(borrow, default)]
    outputs: HashMap<Cow<'a, str>, OutputJson<'a>>,
}

#[derive(Deserialize)]
struct ResourceJson<'a> {
    #[serde(borrow)]
    address: Cow<'a, str>,
    #[serde(borrow, default)]
    mode: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    provider_config_key: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    expressions: Option<&'a RawValue>,
}

#[derive(Deserialize)]
struct ModuleCallJson<'a> {
    #[serde(borrow, default)]
    expressions: Option<&'a RawValue>,
    #[serde(borrow, default)]
    module: Option<Box<ModuleJson<'a>>>,
}

#[derive(Deserialize)]
struct OutputJson<'a> {
    #[serde(borrow, default)]
    expression: Option<ExpressionJson<'a>>,
}

#[derive(Deserialize, Default)]
struct ExpressionJson<'a> {
    #[serde(borrow, default)]
    references: Vec<Cow<'a, str>>,
}

#[derive(Deserialize)]
struct ProviderJson<'a> {
    #[serde(borrow, default)]
    name: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    expressions: Option<&'a RawValue>,
}

/// The tags a provider's `default_tags` adds to every resource.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DefaultTags {
    /// The keys, written as constants (none when the provider sets no default tags).
    Keys(BTreeSet<String>),
    /// Set from a variable or another expression the configuration does not spell out.
    Unknown,
}

/// What the configuration says about one resource block.
#[derive(Debug, Clone)]
pub struct Block<'a> {
    pub expressions: Option<&'a RawValue>,
    provider_key: Option<Cow<'a, str>>,
}

/// What the configuration says about one module call.
#[derive(Debug, Default)]
struct Module<'a> {
    /// The arguments given to the call, in the parent module.
    call_expressions: Option<&'a RawValue>,
    outputs: HashMap<Cow<'a, str>, Vec<Cow<'a, str>>>,
}

/// The indexed configuration of one plan.
#[derive(Debug, Default)]
pub struct Configuration<'a> {
    /// Keyed by the block's full path without instance keys: `module.a.aws_lb.main`.
    blocks: HashMap<String, Block<'a>>,
    /// Keyed by module path without instance keys: `module.a.module.b`.
    modules: HashMap<String, Module<'a>>,
    default_tags: HashMap<Cow<'a, str>, DefaultTags>,
    /// Whether any AWS provider block sets `default_tags` at all.
    any_default_tags: bool,
    /// Whether the plan had a readable configuration section.
    present: bool,
}

impl Block<'_> {
    /// The key of the provider configuration the block uses, such as `aws.west`.
    pub fn provider_key(&self) -> Option<&str> {
        self.provider_key.as_deref()
    }
}

impl<'a> Configuration<'a> {
    /// Indexes the configuration section; an absent or unreadable one indexes as empty,
    /// which makes every link that needs it unresolved rather than guessed.
    pub fn parse(json: Option<&'a str>) -> Self {
        let Some(parsed) = json.and_then(|j| serde_json::from_str::<ConfigurationJson>(j).ok())
        else {
            return Configuration::default();
        };
        let mut config = Configuration {
            present: true,
            ..Configuration::default()
        };
        for (key, provider) in parsed.provider_config {
            if provider.name.as_deref() != Some("aws") {
                continue;
            }
            if let Some(tags) = default_tags(provider.expressions) {
                config.any_default_tags = true;
                config.default_tags.insert(key, tags);
            }
        }
        if let Some(root) = parsed.root_module {
            config.add_module(String::new(), root, None);
        }
        config
    }

    fn add_module(
        &mut self,
        path: String,
        module: ModuleJson<'a>,
        call_expressions: Option<&'a RawValue>,
    ) {
        for r in module.resources {
            if r.mode.as_deref().is_some_and(|m| m != "managed") {
                continue;
            }
            let block = Block {
                expressions: r.expressions,
                provider_key: r.provider_config_key,
            };
            self.blocks.insert(join(&path, &r.address), block);
        }
        let outputs = module
            .outputs
            .into_iter()
            .map(|(name, o)| (name, o.expression.unwrap_or_default().references))
            .collect();
        for (name, call) in module.module_calls {
            if let Some(child) = call.module {
                self.add_module(
                    join(&path, &format!("module.{name}")),
                    *child,
                    call.expressions,
                );
            }
        }
        self.modules.insert(
            path,
            Module {
                call_expressions,
                outputs,
            },
        );
    }

    /// The block at `module_path` (no instance keys) named `type_.name`.
    pub fn block(&self, module_path: &str, type_: &str, name: &str) -> Option<&Block<'a>> {
        let key = if module_path.is_empty() {
            format!("{type_}.{name}")
        } else {
            format!("{module_path}.{type_}.{name}")
        };
        self.blocks.get(&key)
    }

    /// The references of output `output` of the module at `module_path`.
    pub fn output_references(&self, module_path: &str, output: &str) -> &[Cow<'a, str>] {
        self.modules
            .get(module_path)
            .and_then(|m| m.outputs.get(output))
            .map_or(&[], Vec::as_slice)
    }

    /// The references of argument `variable` given to the module call at `module_path`.
    pub fn variable_references(&self, module_path: &str, variable: &str) -> Vec<Cow<'a, str>> {
        self.modules
            .get(module_path)
            .and_then(|m| m.call_expressions)
            .and_then(|e| leaves(e, &[variable]).into_iter().next())
            .map(|leaf| leaf.references)
            .unwrap_or_default()
    }

    /// Whether some resource's default tags may be unknown: the configuration
    /// is missing, or a provider sets them from an expression.
    pub fn may_hide_default_tags(&self) -> bool {
        !self.present
            || self
                .default_tags
                .values()
                .any(|t| *t == DefaultTags::Unknown)
    }

    /// The `default_tags` of the provider the block uses.
    pub fn default_tags(&self, block: Option<&Block<'a>>) -> &DefaultTags {
        static NONE: DefaultTags = DefaultTags::Keys(BTreeSet::new());
        static UNKNOWN: DefaultTags = DefaultTags::Unknown;
        if !self.present {
            return &UNKNOWN;
        }
        if !self.any_default_tags {
            return &NONE;
        }
        let Some(key) = block.and_then(Block::provider_key) else {
            return &UNKNOWN;
        };
        // Older Terraform writes `module_name:aws` for a provider a module inherits.
        let local = key.rsplit(':').next().unwrap_or(key);
        match self
            .default_tags
            .get(key)
            .or_else(|| self.default_tags.get(local))
        {
            Some(tags) => tags,
            None if key == local => &NONE,
            None => &UNKNOWN,
        }
    }
}

/// The keys of a provider's `default_tags { tags = {...} }`, if it has any.
fn default_tags(expressions: Option<&RawValue>) -> Option<DefaultTags> {
    #[derive(Deserialize)]
    struct Expressions<'a> {
        #[serde(borrow, default)]
        default_tags: Option<Vec<DefaultTagsBlock<'a>>>,
    }
    #[derive(Deserialize)]
    struct DefaultTagsBlock<'a> {
        #[serde(borrow, default)]
        tags: Option<TagsExpression<'a>>,
    }
    #[derive(Deserialize)]
    struct TagsExpression<'a> {
        #[serde(borrow, default)]
        constant_value: Option<HashMap<Cow<'a, str>, serde::de::IgnoredAny>>,
    }
    let parsed: Expressions = serde_json::from_str(expressions?.get()).ok()?;
    let tags = parsed.default_tags?.into_iter().next()?.tags?;
    Some(match tags.constant_value {
        Some(map) => DefaultTags::Keys(map.into_keys().map(Cow::into_owned).collect()),
        None => DefaultTags::Unknown,
    })
}

/// One leaf expression of a block: the argument name it sits under and the
/// references it makes (empty when it is a constant).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Leaf<'a> {
    pub key: Cow<'a, str>,
    pub references: Vec<Cow<'a, str>>,
}

/// Every leaf expression under `path` in a block's `expressions`. Nested
/// blocks are lists of objects, so `["default_action"]` finds the leaves of
/// every action, including those in `forward { target_group { arn } }`.
pub fn leaves<'a>(expressions: &'a RawValue, path: &[&str]) -> Vec<Leaf<'a>> {
    let mut node = expressions;
    for key in path {
        match member(node, key) {
            Some(child) => node = child,
            None => return Vec::new(),
        }
    }
    let mut out = Vec::new();
    let key = path
        .last()
        .map_or(Cow::Borrowed(""), |k| Cow::Owned(k.to_string()));
    collect_leaves(node, key, &mut out, 0);
    out
}

/// Nesting deeper than this is not a Terraform block structure; stop rather than recurse forever.
const MAX_DEPTH: usize = 16;

fn collect_leaves<'a>(
    node: &'a RawValue,
    key: Cow<'a, str>,
    out: &mut Vec<Leaf<'a>>,
    depth: usize,
) {
    if depth > MAX_DEPTH {
        return;
    }
    let text = node.get();
    if text.starts_with('[') {
        if let Ok(items) = serde_json::from_str::<Vec<&RawValue>>(text) {
            for item in items {
                collect_leaves(item, key.clone(), out, depth + 1);
            }
        }
    } else if text.starts_with('{')
        && let Ok(members) = serde_json::from_str::<HashMap<Cow<'a, str>, &'a RawValue>>(text)
    {
        if members.contains_key("references") || members.contains_key("constant_value") {
            let references = members
                .get("references")
                .and_then(|r| serde_json::from_str::<Vec<Cow<'a, str>>>(r.get()).ok())
                .unwrap_or_default();
            out.push(Leaf { key, references });
            return;
        }
        for (child_key, child) in members {
            collect_leaves(child, child_key, out, depth + 1);
        }
    }
}

/// Member `key` of a JSON object, or element `key` of an array when `key` is a number.
fn member<'a>(node: &'a RawValue, key: &str) -> Option<&'a RawValue> {
    let text = node.get();
    if text.starts_with('[') {
        let i: usize = key.parse().ok()?;
        return serde_json::from_str::<Vec<&RawValue>>(text)
            .ok()?
            .get(i)
            .copied();
    }
    let [found] = crate::fields::pick(text, [key])?;
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    const CONFIG: &str = r#"{
      "provider_config": {
        "aws": {"name": "aws", "expressions": {"default_tags": [{"tags": {"constant_value": {"a": "1", "b": "2"}}}]}},
        "aws.other": {"name": "aws", "alias": "other", "expressions": {"default_tags": [{"tags": {"references": ["var.tags"]}}]}}
      },
      "root_module": {
        "resources": [
          {"address": "aws_lb_listener.web", "mode": "managed", "type": "aws_lb_listener", "name": "web",
           "provider_config_key": "aws",
           "expressions": {
             "load_balancer_arn": {"references": ["aws_lb.main.arn", "aws_lb.main"]},
             "default_action": [{"type": {"constant_value": "forward"},
                                 "target_group_arn": {"references": ["aws_lb_target_group.a.arn", "aws_lb_target_group.a"]}}]
           }},
          {"address": "data.aws_lb.x", "mode": "data", "type": "aws_lb", "name": "x"}
        ],
        "module_calls": {
          "alb": {
            "expressions": {"listener_arn": {"references": ["aws_lb_listener.web.arn", "aws_lb_listener.web"]}},
            "module": {
              "outputs": {"arn": {"expression": {"references": ["aws_lb.this.arn", "aws_lb.this"]}}},
              "resources": [{"address": "aws_lb.this", "mode": "managed", "type": "aws_lb", "name": "this",
                             "provider_config_key": "aws.other"}]
            }
          }
        }
      }
    }"#;

    #[test]
    fn indexes_blocks_modules_and_providers() {
        let config = Configuration::parse(Some(CONFIG));
        let listener = config
            .block("", "aws_lb_listener", "web")
            .expect("listener block");
        let lb = leaves(listener.expressions.unwrap(), &["load_balancer_arn"]);
        assert_eq!(lb.len(), 1);
        assert_eq!(lb[0].key, "load_balancer_arn");
        assert_eq!(lb[0].references, ["aws_lb.main.arn", "aws_lb.main"]);
        let mut actions = leaves(listener.expressions.unwrap(), &["default_action"]);
        actions.sort_by(|a, b| a.key.cmp(&b.key));
        assert_eq!(actions.len(), 2, "one constant leaf, one reference leaf");
        assert_eq!(actions[0].key, "target_group_arn");
        assert!(actions[1].references.is_empty());
        assert!(
            config.block("", "aws_lb", "x").is_none(),
            "data sources are not indexed"
        );
        assert_eq!(
            config.output_references("module.alb", "arn"),
            ["aws_lb.this.arn", "aws_lb.this"]
        );
        assert_eq!(
            config.variable_references("module.alb", "listener_arn")[0],
            "aws_lb_listener.web.arn"
        );
        let keys = ["a", "b"].map(String::from).into_iter().collect();
        assert_eq!(
            *config.default_tags(Some(listener)),
            DefaultTags::Keys(keys)
        );
        let inner = config.block("module.alb", "aws_lb", "this");
        assert_eq!(*config.default_tags(inner), DefaultTags::Unknown);
    }

    #[test]
    fn absent_configuration_is_empty() {
        let config = Configuration::parse(None);
        assert!(config.block("", "aws_lb", "main").is_none());
        assert_eq!(*config.default_tags(None), DefaultTags::Unknown);
        let bare = Configuration::parse(Some(r#"{"root_module":{}}"#));
        assert_eq!(*bare.default_tags(None), DefaultTags::Keys(BTreeSet::new()));
    }
}
