//! Follows the links between resources that the plan's `configuration` section
//! makes visible, such as `bucket = aws_s3_bucket.logs.id` on a public access block.
//!
//! Planned values cannot show such links: the id of a bucket created in the
//! same plan is unknown until apply. Terraform does record, for each
//! configured block, which addresses each expression refers to. The
//! configuration is indexed once per check; rules then ask what one resource
//! points at. A link this module cannot see is reported as not seen, never
//! guessed.

use std::borrow::Cow;
use std::collections::HashMap;

use serde::Deserialize;
use serde_json::value::RawValue;
use tfwarden_sdk::prelude::*;

/// The configured blocks of a plan, by where they are declared.
#[derive(Debug, Default)]
pub struct References<'a> {
    /// `(module path without instance keys, address inside the module)` to
    /// the block's `expressions` object.
    expressions: HashMap<(String, Cow<'a, str>), &'a RawValue>,
}

/// A resource that a reference points at.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Target {
    /// The block's address in the referrer's module instance, without an
    /// instance key: `module.app["x"].aws_s3_bucket.logs`.
    pub block: String,
    /// The instance key when the reference names one (`0`, `"a"`), as JSON.
    pub key: Option<String>,
}

impl Target {
    /// True when `rc` is (an instance of) the resource this target names.
    pub fn is(&self, rc: &ResourceChange) -> bool {
        block_address(rc) == self.block
            && match &self.key {
                None => true,
                Some(key) => rc.raw().index.as_deref() == Some(key.as_str()),
            }
    }
}

impl<'a> References<'a> {
    /// Indexes the `configuration` section (its JSON text); an absent or
    /// unreadable configuration gives an empty index, in which nothing links.
    pub fn build(configuration: Option<&'a str>) -> Self {
        let mut index = References::default();
        let root = configuration
            .and_then(|text| serde_json::from_str::<Configuration>(text).ok())
            .and_then(|c| c.root_module);
        if let Some(root) = root {
            index.add_module(String::new(), root);
        }
        index
    }

    fn add_module(&mut self, path: String, module: Module<'a>) {
        for block in module.resources {
            if let Some(expressions) = block.expressions {
                self.expressions
                    .insert((path.clone(), block.address), expressions);
            }
        }
        for (name, call) in module.module_calls {
            if let Some(child) = call.module {
                let child_path = if path.is_empty() {
                    format!("module.{name}")
                } else {
                    format!("{path}.module.{name}")
                };
                self.add_module(child_path, child);
            }
        }
    }

    /// The configuration expressions of the block that declares `rc`, for
    /// example `expressions(rc).path("service_account.0.email")`; absent when
    /// the plan does not show the configuration.
    pub fn expressions(&self, rc: &ResourceChange) -> Value<'a> {
        let module = rc
            .module_address()
            .map(without_instance_keys)
            .unwrap_or_default();
        let address = match rc.is_managed() {
            true => format!("{}.{}", rc.type_(), rc.name()),
            false => format!("data.{}.{}", rc.type_(), rc.name()),
        };
        match self.expressions.get(&(module, Cow::Owned(address))) {
            Some(raw) => Value::new(Some(raw.get()), None),
            None => Value::ABSENT,
        }
    }

    /// The resources of `target_type` that the top-level attribute `attr` of
    /// `rc` refers to. Empty when the configuration shows no such reference,
    /// for example when the value comes from a variable or a module output.
    pub fn targets(&self, rc: &ResourceChange, attr: &str, target_type: &str) -> Vec<Target> {
        let references = self.expressions(rc).get(attr).get("references").items();
        let Known(references) = references else {
            return Vec::new();
        };
        let module = rc
            .module_address()
            .map(|m| format!("{m}."))
            .unwrap_or_default();
        let mut targets: Vec<Target> = Vec::new();
        for reference in references.iter().filter_map(|r| r.str().known()) {
            let Some((type_, name, key)) = parse_reference(&reference) else {
                continue;
            };
            if type_ != target_type {
                continue;
            }
            let target = Target {
                block: format!("{module}{type_}.{name}"),
                key: key.map(str::to_owned),
            };
            // Terraform lists every prefix of a traversal (`b[0].id`, `b[0]`, `b`):
            // the keyed form is the precise one, so it replaces the bare block.
            if target.key.is_some() {
                targets.retain(|t| !(t.block == target.block && t.key.is_none()));
            } else if targets.iter().any(|t| t.block == target.block) {
                continue;
            }
            if !targets.contains(&target) {
                targets.push(target);
            }
        }
        targets
    }
}

/// `module.a["x"].aws_s3_bucket.b`: the address of `rc` without its own instance key.
pub fn block_address(rc: &ResourceChange) -> String {
    let prefix = if rc.is_managed() { "" } else { "data." };
    match rc.module_address() {
        Some(module) => format!("{module}.{prefix}{}.{}", rc.type_(), rc.name()),
        None => format!("{prefix}{}.{}", rc.type_(), rc.name()),
    }
}

/// `module.a["x.y"].module.b[0]` becomes `module.a.module.b`: configuration is
/// declared once per module, whatever its instances.
pub fn without_instance_keys(address: &str) -> String {
    let mut out = String::with_capacity(address.len());
    let mut depth = 0;
    let mut in_string = false;
    let mut escaped = false;
    for c in address.chars() {
        match (depth, c) {
            (0, '[') => depth = 1,
            (0, c) => out.push(c),
            _ if in_string => match (escaped, c) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '"') => in_string = false,
                _ => {}
            },
            (_, '"') => in_string = true,
            (_, ']') => depth = 0,
            _ => {}
        }
    }
    out
}

/// Splits a managed-resource reference such as `aws_s3_bucket.b["k"].id` into
/// its type, name and instance key; `None` for variables, locals, module
/// outputs, data sources and the like.
fn parse_reference(reference: &str) -> Option<(&str, &str, Option<&str>)> {
    const NOT_RESOURCES: [&str; 9] = [
        "data",
        "var",
        "local",
        "module",
        "each",
        "count",
        "path",
        "terraform",
        "self",
    ];
    let (type_, rest) = reference.split_once('.')?;
    if NOT_RESOURCES.contains(&type_) {
        return None;
    }
    let name_end = rest.find(['.', '[']).unwrap_or(rest.len());
    let name = &rest[..name_end];
    if name.is_empty() {
        return None;
    }
    let key = rest[name_end..]
        .strip_prefix('[')
        .and_then(|k| k.find(']').map(|end| &k[..end]));
    Some((type_, name, key))
}

#[derive(Deserialize)]
struct Configuration<'a> {
    #[serde(borrow, default)]
    root_module: Option<Module<'a>>,
}

#[derive(Deserialize)]
struct Module<'a> {
    #[serde(borrow, default)]
    resources: Vec<Block<'a>>,
    #[serde(borrow, default)]
    module_calls: HashMap<Cow<'a, str>, ModuleCall<'a>>,
}

#[derive(Deserialize)]
struct ModuleCall<'a> {
    #[serde(borrow, default)]
    module: Option<Module<'a>>,
}

#[derive(Deserialize)]
struct Block<'a> {
    #[serde(borrow)]
    address: Cow<'a, str>,
    #[serde(borrow, default)]
    expressions: Option<&'a RawValue>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_instance_keys() {
        assert_eq!(
            without_instance_keys(r#"module.a["x.y]"].module.b[0]"#),
            "module.a.module.b"
        );
        assert_eq!(without_instance_keys(r#"module.a["q\"]"]"#), "module.a");
        assert_eq!(without_instance_keys("module.plain"), "module.plain");
    }

    fn change(
        module: Option<&str>,
        type_: &str,
        name: &str,
        index: Option<&str>,
    ) -> tfwarden_sdk::input::Change {
        tfwarden_sdk::input::Change {
            address: format!(
                "{}{type_}.{name}",
                module.map(|m| format!("{m}.")).unwrap_or_default()
            ),
            module_address: module.map(str::to_owned),
            mode: "managed".into(),
            type_: type_.into(),
            name: name.into(),
            index: index.map(str::to_owned),
            ..Default::default()
        }
    }

    #[test]
    fn follows_references_inside_nested_module_instances() {
        let configuration = r#"{"root_module":{"module_calls":{"app":{"module":{"module_calls":{"store":{"module":{
            "resources":[{"address":"aws_s3_bucket_public_access_block.b","expressions":{
                "bucket":{"references":["aws_s3_bucket.b[\"x\"].id","aws_s3_bucket.b[\"x\"]","aws_s3_bucket.b"]},
                "block_public_acls":{"constant_value":true}}}]}}}}}}}}"#;
        let refs = References::build(Some(configuration));
        let module = r#"module.app[0].module.store["eu"]"#;
        let block = change(Some(module), "aws_s3_bucket_public_access_block", "b", None);
        let block = ResourceChange::new(&block);
        assert!(refs.expressions(&block).has("block_public_acls"));

        let targets = refs.targets(&block, "bucket", "aws_s3_bucket");
        assert_eq!(targets.len(), 1, "{targets:?}");
        let same = change(Some(module), "aws_s3_bucket", "b", Some(r#""x""#));
        let other_key = change(Some(module), "aws_s3_bucket", "b", Some(r#""y""#));
        let other_instance = change(
            Some(r#"module.app[1].module.store["eu"]"#),
            "aws_s3_bucket",
            "b",
            Some(r#""x""#),
        );
        assert!(targets[0].is(&ResourceChange::new(&same)));
        assert!(!targets[0].is(&ResourceChange::new(&other_key)));
        assert!(!targets[0].is(&ResourceChange::new(&other_instance)));
        assert!(refs.targets(&block, "bucket", "aws_vpc").is_empty());
    }

    #[test]
    fn no_configuration_links_nothing() {
        let refs = References::build(None);
        let block = change(None, "aws_flow_log", "f", None);
        assert!(
            refs.targets(&ResourceChange::new(&block), "vpc_id", "aws_vpc")
                .is_empty()
        );
        assert!(refs.expressions(&ResourceChange::new(&block)).is_absent());
    }

    #[test]
    fn parses_references() {
        assert_eq!(
            parse_reference("aws_s3_bucket.b.id"),
            Some(("aws_s3_bucket", "b", None))
        );
        assert_eq!(
            parse_reference("aws_s3_bucket.b[0].id"),
            Some(("aws_s3_bucket", "b", Some("0")))
        );
        assert_eq!(
            parse_reference(r#"aws_s3_bucket.b["a"]"#),
            Some(("aws_s3_bucket", "b", Some(r#""a""#)))
        );
        assert_eq!(
            parse_reference("aws_vpc.main"),
            Some(("aws_vpc", "main", None))
        );
        assert_eq!(parse_reference("module.x.bucket_id"), None);
        assert_eq!(parse_reference("data.aws_s3_bucket.b.id"), None);
        assert_eq!(parse_reference("var.bucket"), None);
    }
}
