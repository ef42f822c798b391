//! COST004: the plan creates or changes a resource to an instance type or SKU
//! that `deny_instance_types` forbids.

use std::borrow::Cow;

use tfwarden_sdk::prelude::*;

use crate::glob::Pattern;
use crate::resources;

pub const ID: &str = "COST004";
pub const RULE: Rule = Rule::new(
    ID,
    Severity::High,
    "cost",
    "instance type or SKU is not allowed",
)
.help(include_str!("../../../../docs/rules/COST004.md"));

pub fn check(patterns: &[Pattern], plan: &Plan, out: &mut Findings) {
    if patterns.is_empty() {
        return;
    }
    for rc in plan.changes().filter(|rc| rc.creates_or_updates()) {
        let Some(pricer) = resources::pricer(rc.type_()) else {
            continue;
        };
        let after = rc.after();
        for path in pricer.sku_paths {
            for (concrete, value) in expand(after, path) {
                match value.str() {
                    Known(sku) => {
                        if let Some(p) = patterns.iter().find(|p| p.matches(&sku)) {
                            let message = format!(
                                "`{concrete}` is `{sku}`, which matches `{}` in `deny_instance_types`; choose an allowed type",
                                p.as_str()
                            );
                            out.report(ID, &rc, &concrete, message);
                        }
                    }
                    Unknown => {
                        out.indeterminate(ID, &rc, &concrete);
                    }
                    Absent => {}
                }
            }
        }
    }
}

/// The values at a path whose `*` segments stand for every list element,
/// with the concrete path of each.
fn expand<'a>(value: Value<'a>, path: &str) -> Vec<(String, Value<'a>)> {
    let Some((head, tail)) = path.split_once(".*") else {
        return vec![(path.to_string(), value.path(path))];
    };
    let list = value.path(head);
    if list.is_unknown() {
        return vec![(head.to_string(), list)];
    }
    let tail = tail.strip_prefix('.').unwrap_or(tail);
    list.items()
        .known()
        .unwrap_or_default()
        .into_iter()
        .enumerate()
        .flat_map(|(i, item)| {
            let prefix: Cow<str> = format!("{head}.{i}").into();
            if tail.is_empty() {
                vec![(prefix.into_owned(), item)]
            } else {
                expand(item, tail)
                    .into_iter()
                    .map(|(p, v)| (format!("{prefix}.{p}"), v))
                    .collect()
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expands_wildcards_in_paths() {
        let v = Value::new(
            Some(r#"{"instance_types":["m5.large","p4d.24xlarge"],"a":{"b":"x"}}"#),
            None,
        );
        let found: Vec<String> = expand(v, "instance_types.*")
            .into_iter()
            .map(|(p, _)| p)
            .collect();
        assert_eq!(found, ["instance_types.0", "instance_types.1"]);
        assert_eq!(expand(v, "a.b")[0].1.str(), Known("x".into()));
        let u = Value::new(Some("{}"), Some(r#"{"instance_types":true}"#));
        assert!(expand(u, "instance_types.*")[0].1.is_unknown());
    }
}
