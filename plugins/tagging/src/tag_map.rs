//! One tag attribute (`tags`, `labels`, `tags_all`, ...) read together with its
//! `after_unknown` mask.
//!
//! Terraform drops map entries that are unknown until apply from `after` and
//! marks them only in the mask, so the keys of a map are the union of both.

use std::borrow::Cow;
use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::value::RawValue;
use tfwarden_sdk::value::REDACTED;

use crate::cloud::KeyMatch;

/// A tag's value as far as the plan tells it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TagValue<'a> {
    Known(Cow<'a, str>),
    /// Known only after apply.
    Unknown,
    /// Hidden from plugins because it is sensitive.
    Sensitive,
}

impl TagValue<'_> {
    /// A copy that borrows from this one.
    pub fn reborrow(&self) -> TagValue<'_> {
        match self {
            TagValue::Known(v) => TagValue::Known(Cow::Borrowed(v)),
            TagValue::Unknown => TagValue::Unknown,
            TagValue::Sensitive => TagValue::Sensitive,
        }
    }
}

/// What one tag attribute of a planned resource holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TagMap<'a> {
    /// The resource type has no such attribute.
    Missing,
    /// The attribute exists but is null: no tags.
    Null,
    /// The whole map is known only after apply.
    Unknown,
    /// The whole map is sensitive and hidden.
    Sensitive,
    /// A list or scalar where a map was expected; not key/value tags.
    NotAMap,
    /// Known keys, sorted; a value may still be unknown or hidden.
    Map(Vec<(Cow<'a, str>, TagValue<'a>)>),
}

/// A JSON string that borrows from the plan unless it holds escapes.
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord, Deserialize)]
struct Text<'a>(#[serde(borrow)] Cow<'a, str>);

impl<'a> TagMap<'a> {
    /// Reads an attribute from its planned JSON and its unknown mask (each
    /// `None` when the attribute is not in that document).
    pub fn read(value: Option<&'a RawValue>, mask: Option<&'a RawValue>) -> Self {
        let mask = mask.map(|m| m.get().trim());
        if mask == Some("true") {
            return TagMap::Unknown;
        }
        let value = value.map(|v| v.get().trim());
        match value {
            None if mask.is_none() => TagMap::Missing,
            None | Some("null") => Self::with_unknown_keys(BTreeMap::new(), mask, TagMap::Null),
            Some(text) if text.starts_with('{') => {
                let Ok(entries) = serde_json::from_str::<BTreeMap<Text<'a>, &'a RawValue>>(text)
                else {
                    return TagMap::NotAMap;
                };
                let known = entries
                    .into_iter()
                    .filter_map(|(Text(key), raw)| Some((key, tag_value(raw)?)))
                    .collect();
                Self::with_unknown_keys(known, mask, TagMap::Map(Vec::new()))
            }
            Some(text)
                if text.starts_with('"')
                    && serde_json::from_str::<Text>(text).is_ok_and(|t| t.0 == REDACTED) =>
            {
                TagMap::Sensitive
            }
            Some(_) => TagMap::NotAMap,
        }
    }

    /// Adds the keys the mask marks unknown; `empty` is what to return when there are none.
    fn with_unknown_keys(
        mut known: BTreeMap<Cow<'a, str>, TagValue<'a>>,
        mask: Option<&'a str>,
        empty: TagMap<'a>,
    ) -> Self {
        if let Some(mask) = mask.filter(|m| m.contains("true")) {
            let marks: BTreeMap<Text<'a>, bool> = serde_json::from_str(mask).unwrap_or_default();
            for (Text(key), unknown) in marks {
                if unknown {
                    known.insert(key, TagValue::Unknown);
                }
            }
        }
        if known.is_empty() {
            empty
        } else {
            TagMap::Map(known.into_iter().collect())
        }
    }

    /// The value of `key`, or `None` when the map is known not to have it.
    pub fn get(&self, key: &str, keys: KeyMatch) -> Option<&TagValue<'a>> {
        match self {
            TagMap::Map(entries) => entries
                .iter()
                .find(|(k, _)| keys.same(k, key))
                .map(|(_, v)| v),
            _ => None,
        }
    }

    /// The keys of a known map; empty otherwise.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        let entries = match self {
            TagMap::Map(entries) => entries.as_slice(),
            _ => &[],
        };
        entries.iter().map(|(k, _)| k.as_ref())
    }

    /// True when the whole map is hidden until apply or by sensitivity.
    pub fn is_opaque(&self) -> bool {
        matches!(self, TagMap::Unknown | TagMap::Sensitive)
    }

    /// True when the map is known, possibly empty: tags can be judged.
    pub fn is_known(&self) -> bool {
        matches!(self, TagMap::Null | TagMap::Map(_))
    }
}

/// One entry's value; `None` for null, which Terraform treats as "no tag".
fn tag_value(raw: &RawValue) -> Option<TagValue<'_>> {
    let text = raw.get();
    if text == "null" {
        return None;
    }
    if text.starts_with('"') {
        let Text(value) = serde_json::from_str(text).ok()?;
        return Some(if value == REDACTED {
            TagValue::Sensitive
        } else {
            TagValue::Known(value)
        });
    }
    // Numbers and booleans only occur in hand-made plans; judge their text.
    Some(TagValue::Known(Cow::Borrowed(text)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read<'a>(value: Option<&'a str>, mask: Option<&'a str>) -> TagMap<'a> {
        let raw = |s: &'a str| serde_json::from_str::<&RawValue>(s).unwrap();
        TagMap::read(value.map(raw), mask.map(raw))
    }

    fn known(s: &str) -> TagValue<'_> {
        TagValue::Known(Cow::Borrowed(s))
    }

    #[test]
    fn reads_known_null_missing_and_opaque_maps() {
        assert_eq!(read(None, None), TagMap::Missing);
        assert_eq!(read(Some("null"), None), TagMap::Null);
        assert_eq!(read(None, Some("true")), TagMap::Unknown);
        assert_eq!(
            read(Some(r#""(sensitive)""#), Some("false")),
            TagMap::Sensitive
        );
        assert_eq!(
            read(Some(r#"["web","prod"]"#), Some("[false,false]")),
            TagMap::NotAMap
        );
        assert_eq!(read(Some("{}"), Some("{}")), TagMap::Map(vec![]));
    }

    #[test]
    fn keys_come_from_values_and_mask() {
        let map = read(
            Some(r#"{"owner":"ops","env":null,"secret":"(sensitive)","say":"a\"b"}"#),
            Some(r#"{"team":true,"owner":false}"#),
        );
        assert_eq!(map.get("owner", KeyMatch::Exact), Some(&known("ops")));
        assert_eq!(map.get("OWNER", KeyMatch::Exact), None);
        assert_eq!(map.get("OWNER", KeyMatch::IgnoreCase), Some(&known("ops")));
        assert_eq!(map.get("env", KeyMatch::Exact), None, "null means no tag");
        assert_eq!(map.get("team", KeyMatch::Exact), Some(&TagValue::Unknown));
        assert_eq!(
            map.get("secret", KeyMatch::Exact),
            Some(&TagValue::Sensitive)
        );
        assert_eq!(
            map.get("say", KeyMatch::Exact),
            Some(&TagValue::Known("a\"b".into()))
        );
        assert_eq!(
            map.keys().collect::<Vec<_>>(),
            ["owner", "say", "secret", "team"]
        );
    }

    #[test]
    fn unknown_entries_of_an_omitted_map_still_count() {
        let map = read(None, Some(r#"{"owner":true}"#));
        assert_eq!(map.get("owner", KeyMatch::Exact), Some(&TagValue::Unknown));
    }
}
