//! How AWS measures what it limits: policy lengths, document bytes, map sizes,
//! and how many keys or elements a planned value will have.
//!
//! Older Terraform drops the unknown elements of sets from `after` and keeps
//! them only in the `after_unknown` mask, so counting elements needs both;
//! [`Mask`] reads the mask, which [`Value`] does not expose.

use std::borrow::Cow;
use std::collections::BTreeSet;

use serde::de::IgnoredAny;
use serde_json::value::RawValue;
use tfwarden_sdk::prelude::*;

use crate::tally::Tally;

/// The length IAM counts for a policy: characters, leaving out white space.
pub fn policy_chars(document: &str) -> u64 {
    document.chars().filter(|c| !c.is_whitespace()).count() as u64
}

/// The bytes of a JSON document once the white space between tokens is gone,
/// which is how the AWS provider sends it.
pub fn compact_json_bytes(document: &str) -> u64 {
    let (mut bytes, mut in_string, mut escaped) = (0u64, false, false);
    for b in document.bytes() {
        if in_string {
            match b {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
        } else if b.is_ascii_whitespace() {
            continue;
        } else if b == b'"' {
            in_string = true;
        }
        bytes += 1;
    }
    bytes
}

/// The size of a planned document attribute under `measure`; unknown or
/// sensitive documents have no bound.
pub fn document_size(value: Value<'_>, measure: fn(&str) -> u64) -> Option<Tally> {
    match value.str() {
        Known(doc) => Some(Tally::known(measure(&doc))),
        Unknown => Some(Tally::unbounded()),
        Absent => None,
    }
}

/// The length of `{"KEY":"value",...}`: the string Lambda measures its
/// environment against. Unknown values count their key and quotes, and leave
/// the size without bound.
pub fn json_string_map_size(entries: &[(Cow<'_, str>, Value<'_>)]) -> Tally {
    let quoted = |s: &str| serde_json::to_string(s).map_or(s.len() + 2, |q| q.len()) as u64;
    let mut tally = Tally::known(2);
    tally.known += entries.len().saturating_sub(1) as u64; // commas
    for (key, value) in entries {
        tally.known += quoted(key) + 1; // the colon
        match value.str() {
            Known(v) => tally.known += quoted(&v),
            Unknown => {
                tally.known += 2;
                tally.unbounded = true;
            }
            // A number or bool would be quoted by the provider too.
            Absent => tally.known += value.raw().map_or(2, |r| r.len() as u64 + 2),
        }
    }
    tally
}

/// A view of Terraform's `after_unknown` mask for one change.
#[derive(Debug, Clone, Copy, Default)]
pub struct Mask<'a>(Option<&'a RawValue>);

impl<'a> Mask<'a> {
    /// The mask's JSON text, if there is a mask here.
    pub fn raw(&self) -> Option<&'a str> {
        self.0.map(RawValue::get)
    }

    pub fn get(&self, key: &str) -> Mask<'a> {
        let child = self.0.and_then(|m| {
            let entries: Vec<(Cow<'a, str>, &'a RawValue)> = object_entries(m)?;
            entries.into_iter().find(|(k, _)| k == key).map(|(_, v)| v)
        });
        Mask(child)
    }

    /// The length of a list in the mask, which keeps one entry per element.
    pub fn list_len(&self) -> usize {
        self.0
            .and_then(|m| serde_json::from_str::<Vec<&RawValue>>(m.get()).ok())
            .map_or(0, |items| items.len())
    }
}

impl<'a> From<Option<&'a RawValue>> for Mask<'a> {
    fn from(mask: Option<&'a RawValue>) -> Self {
        Mask(mask)
    }
}

fn object_entries<'a>(json: &'a RawValue) -> Option<Vec<(Cow<'a, str>, &'a RawValue)>> {
    if !json.get().starts_with('{') {
        return None;
    }
    serde_json::from_str::<std::collections::BTreeMap<Cow<'a, str>, &'a RawValue>>(json.get())
        .ok()
        .map(|m| m.into_iter().collect())
}

/// The keys a planned map will have, including those whose values are known
/// only after apply; `Unknown` when the map as a whole is.
pub fn planned_keys(value: Value<'_>) -> Attr<BTreeSet<Cow<'_, str>>> {
    value
        .entries()
        .map(|entries| entries.into_iter().map(|(k, _)| k).collect())
}

/// How many elements a planned list will have: `after` turns unknown elements
/// into nulls, and older Terraform drops them from sets, which the mask still counts.
pub fn planned_len(value: Value<'_>, mask: Mask<'_>) -> Attr<usize> {
    // Elements are counted, never built: `IgnoredAny` is zero-sized, so the Vec does not allocate.
    let len = |json: &str| {
        serde_json::from_str::<Vec<IgnoredAny>>(json)
            .ok()
            .map(|items| items.len())
    };
    match value.raw() {
        Some(json) => match len(json) {
            Some(n) => Known(n.max(mask.raw().and_then(len).unwrap_or(0))),
            None => Absent,
        },
        None if value.is_unknown() => Unknown,
        None => Absent,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn policy_length_ignores_white_space_everywhere() {
        assert_eq!(policy_chars("{ \"a\" :\n \"b c\" }"), 10);
        assert_eq!(policy_chars("é"), 1, "characters, not bytes");
    }

    #[test]
    fn compact_bytes_keep_spaces_inside_strings() {
        assert_eq!(compact_json_bytes("{ \"a\" : \"b c\" }"), 11);
        assert_eq!(compact_json_bytes(r#"{"a":"\" x"}"#), 12);
    }

    #[test]
    fn lambda_size_is_the_json_of_the_map() {
        let v = Value::new(Some(r#"{"A":"x","BB":"(sensitive)"}"#), None);
        let entries = v.entries().known().unwrap();
        let size = json_string_map_size(&entries[..1]);
        assert_eq!(size, Tally::known(r#"{"A":"x"}"#.len() as u64));
        let size = json_string_map_size(&entries);
        assert_eq!(size.known, r#"{"A":"x","BB":""}"#.len() as u64);
        assert!(size.unbounded);
    }

    #[test]
    fn keys_and_lengths_include_unknown_parts() {
        let v = Value::new(
            Some(r#"{"tags":{"a":"1"},"l":["x",null]}"#),
            Some(r#"{"tags":{"b":true},"l":[false,true]}"#),
        );
        let mask_json: &RawValue =
            serde_json::from_str(r#"{"tags":{"b":true},"l":[false,true,true]}"#).unwrap();
        let mask = Mask(Some(mask_json));
        let keys = planned_keys(v.get("tags")).known().unwrap();
        assert_eq!(keys.into_iter().collect::<Vec<_>>(), ["a", "b"]);
        assert_eq!(planned_len(v.get("l"), mask.get("l")), Known(3));
        assert_eq!(planned_len(v.get("missing"), mask.get("missing")), Absent);
    }
}
