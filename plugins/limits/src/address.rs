//! Terraform addresses and configuration references, taken apart without allocating.
//!
//! Limits follow links between resources through the plan's `configuration`
//! section, which speaks of resource *blocks* (`aws_lb.main`) while the plan
//! speaks of *instances* (`module.app[0].aws_lb.main["a"]`). These helpers
//! translate between the two.

/// One dot-separated step of an address, with its `[index]` if it has one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Step<'a> {
    pub name: &'a str,
    /// The text between the brackets, such as `0` or `"a"`: the same text the
    /// plan uses for an instance's `index`, so the two compare directly.
    pub index: Option<&'a str>,
}

/// Splits `addr` at the dots that are outside brackets and quotes.
pub fn steps(addr: &str) -> Vec<Step<'_>> {
    let mut out = Vec::new();
    let bytes = addr.as_bytes();
    let (mut start, mut depth, mut in_quotes, mut escaped) = (0, 0usize, false, false);
    for (i, &b) in bytes.iter().enumerate() {
        if in_quotes {
            match b {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_quotes = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_quotes = true,
            b'[' => depth += 1,
            b']' => depth = depth.saturating_sub(1),
            b'.' if depth == 0 => {
                out.push(step(&addr[start..i]));
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(step(&addr[start..]));
    out
}

fn step(text: &str) -> Step<'_> {
    match text.find('[') {
        Some(open) if text.ends_with(']') => Step {
            name: &text[..open],
            index: Some(&text[open + 1..text.len() - 1]),
        },
        _ => Step {
            name: text,
            index: None,
        },
    }
}

/// The configuration block path of a module instance: `module.a[0].module.b` → `module.a.module.b`.
pub fn module_block_path(module_instance: &str) -> String {
    if module_instance.is_empty() {
        return String::new();
    }
    let mut out = String::with_capacity(module_instance.len());
    for (i, s) in steps(module_instance).iter().enumerate() {
        if i > 0 {
            out.push('.');
        }
        out.push_str(s.name);
    }
    out
}

/// Splits a module instance into its parent module instance and the name of the
/// call that made it: `module.a[0].module.b` → (`module.a[0]`, `b`).
pub fn split_last_module(module_instance: &str) -> Option<(&str, &str)> {
    let all = steps(module_instance);
    if all.len() < 2 || all[all.len() - 2].name != "module" {
        return None;
    }
    let call = all[all.len() - 1].name;
    // The parent is everything before the final `.module.NAME[...]`.
    let tail_len = "module.".len()
        + all[all.len() - 1].name.len()
        + all[all.len() - 1].index.map_or(0, |i| i.len() + 2);
    let parent_len = module_instance.len().saturating_sub(tail_len + 1);
    Some((
        if all.len() == 2 {
            ""
        } else {
            &module_instance[..parent_len]
        },
        call,
    ))
}

/// Joins a module path and a name, treating the empty string as the root module.
pub fn join(module: &str, rest: &str) -> String {
    if module.is_empty() {
        rest.to_owned()
    } else {
        format!("{module}.{rest}")
    }
}

/// What a configuration reference such as `aws_lb.main.arn` points at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reference<'a> {
    /// A managed resource block in the same module, such as `aws_lb.main[0]`.
    Resource {
        type_: &'a str,
        name: &'a str,
        index: Option<&'a str>,
    },
    /// An output of a child module call.
    ModuleOutput {
        call: &'a str,
        index: Option<&'a str>,
        output: &'a str,
    },
    /// An input variable of the current module.
    Variable(&'a str),
    /// `count.index` or `each.key`: the referrer's own instance key.
    OwnKey,
    /// Data sources, locals, `each.value`, `path.*` and the like: nothing a
    /// limit counts is behind them, or the configuration cannot say what is.
    Opaque,
}

/// Reads one entry of an expression's `references` list.
pub fn parse_reference(text: &str) -> Reference<'_> {
    let s = steps(text);
    let name = |i: usize| s.get(i).map(|s| s.name);
    match name(0) {
        Some("var") => name(1).map_or(Reference::Opaque, Reference::Variable),
        Some("count") if name(1) == Some("index") => Reference::OwnKey,
        Some("each") if name(1) == Some("key") => Reference::OwnKey,
        Some("module") => match (s.get(1), name(2)) {
            (Some(call), Some(output)) => Reference::ModuleOutput {
                call: call.name,
                index: call.index,
                output,
            },
            _ => Reference::Opaque,
        },
        Some("data" | "local" | "each" | "count" | "path" | "self" | "terraform") | None => {
            Reference::Opaque
        }
        Some(type_) => match (s.first(), s.get(1)) {
            (Some(t), Some(n)) if t.index.is_none() && type_.contains('_') => Reference::Resource {
                type_,
                name: n.name,
                index: n.index,
            },
            _ => Reference::Opaque,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_outside_brackets_and_quotes() {
        let s = steps(r#"module.a["x.y]"].aws_lb.main[0]"#);
        assert_eq!(s.len(), 4);
        assert_eq!(
            s[1],
            Step {
                name: "a",
                index: Some(r#""x.y]""#)
            }
        );
        assert_eq!(
            s[3],
            Step {
                name: "main",
                index: Some("0")
            }
        );
    }

    #[test]
    fn module_paths() {
        assert_eq!(
            module_block_path(r#"module.a[0].module.b["k"]"#),
            "module.a.module.b"
        );
        assert_eq!(module_block_path(""), "");
        assert_eq!(
            split_last_module(r#"module.a[0].module.b["k"]"#),
            Some(("module.a[0]", "b"))
        );
        assert_eq!(split_last_module("module.a"), Some(("", "a")));
        assert_eq!(split_last_module(""), None);
    }

    #[test]
    fn reads_references() {
        assert_eq!(
            parse_reference("aws_lb.main.arn"),
            Reference::Resource {
                type_: "aws_lb",
                name: "main",
                index: None
            }
        );
        assert_eq!(
            parse_reference(r#"aws_lb.main["k"]"#),
            Reference::Resource {
                type_: "aws_lb",
                name: "main",
                index: Some(r#""k""#)
            }
        );
        assert_eq!(parse_reference("data.aws_lb.x.arn"), Reference::Opaque);
        assert_eq!(
            parse_reference("module.alb[1].arn"),
            Reference::ModuleOutput {
                call: "alb",
                index: Some("1"),
                output: "arn"
            }
        );
        assert_eq!(parse_reference("module.alb"), Reference::Opaque);
        assert_eq!(
            parse_reference("var.listener_arn"),
            Reference::Variable("listener_arn")
        );
        assert_eq!(parse_reference("count.index"), Reference::OwnKey);
        assert_eq!(parse_reference("each.value.arn"), Reference::Opaque);
        assert_eq!(parse_reference("local.x"), Reference::Opaque);
    }
}
