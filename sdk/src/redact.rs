//! Replaces sensitive values with a marker, following Terraform's sensitive masks.
//!
//! This runs in the host before any plugin sees a value, and in the SDK's
//! testing helpers so native tests see exactly what a plugin would.

use serde_json::Value as Json;
use serde_json::value::RawValue;

use crate::value::REDACTED;

/// True when a mask marks nothing as sensitive (`false`, `{}`, `[]`, lists of those).
pub fn mask_is_empty(mask: Option<&RawValue>) -> bool {
    match mask {
        None => true,
        Some(m) => !m.get().contains("true"),
    }
}

/// `value` with every part that `mask` marks sensitive replaced by [`REDACTED`].
/// Returns the original text untouched when nothing is sensitive.
pub fn redact(value: &RawValue, mask: Option<&RawValue>) -> String {
    if mask_is_empty(mask) {
        return value.get().to_owned();
    }
    let mask: Json = mask
        .and_then(|m| serde_json::from_str(m.get()).ok())
        .unwrap_or(Json::Bool(true));
    let mut tree: Json = match serde_json::from_str(value.get()) {
        Ok(tree) => tree,
        // Unparseable here means unparseable everywhere: hide it all.
        Err(_) => return serde_json::to_string(REDACTED).expect("a string serializes"),
    };
    apply(&mut tree, &mask);
    serde_json::to_string(&tree).expect("a JSON tree serializes")
}

fn apply(value: &mut Json, mask: &Json) {
    match (value, mask) {
        (v, Json::Bool(true)) if !v.is_null() => *v = Json::String(REDACTED.to_owned()),
        // A null stays null: there is nothing to hide, and null means "not set".
        (_, Json::Bool(true)) => {}
        (Json::Object(map), Json::Object(masks)) => {
            for (key, m) in masks {
                if let Some(v) = map.get_mut(key) {
                    apply(v, m);
                }
            }
        }
        (Json::Array(items), Json::Array(masks)) => {
            for (v, m) in items.iter_mut().zip(masks) {
                apply(v, m);
            }
        }
        // A mask shaped unlike its value cannot be trusted: hide everything under it.
        (v, m) if m.to_string().contains("true") => *v = Json::String(REDACTED.to_owned()),
        _ => {}
    }
}

/// Every sensitive string or number in `value` according to `mask`, for scrubbing
/// output as a second line of defence.
pub fn sensitive_leaves(value: &RawValue, mask: Option<&RawValue>, out: &mut Vec<String>) {
    if mask_is_empty(mask) {
        return;
    }
    let (Ok(tree), Some(Ok(mask))) = (
        serde_json::from_str::<Json>(value.get()),
        mask.map(|m| serde_json::from_str::<Json>(m.get())),
    ) else {
        return;
    };
    collect(&tree, &mask, false, out);
}

fn collect(value: &Json, mask: &Json, hidden: bool, out: &mut Vec<String>) {
    let hidden = hidden || matches!(mask, Json::Bool(true));
    match value {
        Json::String(s) if hidden => out.push(s.clone()),
        Json::Number(n) if hidden => out.push(n.to_string()),
        Json::Object(map) => {
            for (k, v) in map {
                collect(v, mask.get(k).unwrap_or(&Json::Null), hidden, out);
            }
        }
        Json::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                collect(v, mask.get(i).unwrap_or(&Json::Null), hidden, out);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(s: &str) -> &RawValue {
        serde_json::from_str(s).unwrap()
    }

    #[test]
    fn redacts_marked_leaves_and_subtrees() {
        let value =
            raw(r#"{"user":"u","password":"hunter2","conn":{"a":"x","b":["s1","s2"]},"n":null}"#);
        let mask = raw(r#"{"password":true,"conn":{"b":[false,true]},"n":true}"#);
        let out = redact(value, Some(mask));
        assert_eq!(
            out,
            r#"{"conn":{"a":"x","b":["s1","(sensitive)"]},"n":null,"password":"(sensitive)","user":"u"}"#
        );
        assert!(!out.contains("hunter2") && !out.contains("s2"));
    }

    #[test]
    fn untouched_without_sensitive_parts() {
        let value = raw(r#"{"b":1,"a":2}"#);
        assert_eq!(
            redact(value, Some(raw(r#"{"a":false}"#))),
            r#"{"b":1,"a":2}"#
        );
        assert_eq!(redact(value, None), r#"{"b":1,"a":2}"#);
    }

    #[test]
    fn whole_value_sensitive() {
        assert_eq!(
            redact(raw(r#"{"a":"x"}"#), Some(raw("true"))),
            r#""(sensitive)""#
        );
    }

    #[test]
    fn collects_sensitive_leaves() {
        let mut out = Vec::new();
        sensitive_leaves(
            raw(r#"{"p":"hunter2","q":{"r":[1,"deep"]},"s":"public"}"#),
            Some(raw(r#"{"p":true,"q":true}"#)),
            &mut out,
        );
        assert_eq!(out, vec!["hunter2", "1", "deep"]);
    }
}
