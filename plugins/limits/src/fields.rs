//! Reads several attributes of a planned object in one scan.
//!
//! `Value::get` scans the whole object on each call. The hot checks (tags on
//! every AWS resource, the rules of every security group) read a handful of
//! attributes per resource, so they pick them all in a single pass over the
//! JSON and its unknown mask, which matters on 50,000-resource plans.

use std::borrow::Cow;
use std::fmt;

use serde::de::{DeserializeSeed, IgnoredAny, MapAccess, Visitor};
use serde_json::value::RawValue;
use tfwarden_sdk::prelude::*;

use crate::measure::Mask;

/// Members `names` of the JSON object `json`, in the order asked; `None` when
/// `json` is not an object.
pub fn pick<'a, const N: usize>(
    json: &'a str,
    names: [&str; N],
) -> Option<[Option<&'a RawValue>; N]> {
    if !json.trim_start().starts_with('{') {
        return None;
    }
    let mut de = serde_json::Deserializer::from_str(json);
    Picker { names: &names }.deserialize(&mut de).ok()
}

struct Picker<'n, const N: usize> {
    names: &'n [&'n str; N],
}

impl<'de, const N: usize> DeserializeSeed<'de> for Picker<'_, N> {
    type Value = [Option<&'de RawValue>; N];

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de, const N: usize> Visitor<'de> for Picker<'_, N> {
    type Value = [Option<&'de RawValue>; N];

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an object")
    }

    fn visit_map<M: MapAccess<'de>>(self, mut map: M) -> Result<Self::Value, M::Error> {
        let mut found = [None; N];
        while let Some(key) = map.next_key::<Cow<'de, str>>()? {
            match self.names.iter().position(|n| *n == key) {
                Some(k) => found[k] = Some(map.next_value::<&'de RawValue>()?),
                None => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(found)
    }
}

/// An attribute's planned value with its part of the unknown mask, so that
/// nested attributes can be picked the same way.
#[derive(Debug, Clone, Copy)]
pub struct Field<'a> {
    pub value: Value<'a>,
    pub mask: Mask<'a>,
}

/// Members `names` of change `rc`'s planned values, read straight from the
/// plan text: one scan of `after` and one of its mask.
pub fn planned<'a, const N: usize>(rc: &ResourceChange<'a>, names: [&str; N]) -> [Field<'a>; N] {
    let raw = rc.raw();
    let mask = raw
        .after_unknown
        .as_deref()
        .and_then(|m| pick(m, names))
        .unwrap_or([None; N]);
    match raw.after.as_deref().and_then(|a| pick(a, names)) {
        Some(json) => std::array::from_fn(|k| Field {
            value: Value::new(json[k].map(RawValue::get), mask[k].map(RawValue::get)),
            mask: Mask::from(mask[k]),
        }),
        // Not an object (absent, or redacted as a whole): the SDK knows what that means.
        None => {
            let after = rc.after();
            std::array::from_fn(|k| Field {
                value: after.get(names[k]),
                mask: Mask::from(mask[k]),
            })
        }
    }
}

impl<'a> Field<'a> {
    /// Members `names` of this field, when it is an object.
    pub fn members<const N: usize>(&self, names: [&str; N]) -> [Field<'a>; N] {
        let mask = self
            .mask
            .raw()
            .and_then(|m| pick(m, names))
            .unwrap_or([None; N]);
        match self.value.raw().and_then(|j| pick(j, names)) {
            Some(json) => std::array::from_fn(|k| Field {
                value: Value::new(json[k].map(RawValue::get), mask[k].map(RawValue::get)),
                mask: Mask::from(mask[k]),
            }),
            None => std::array::from_fn(|k| Field {
                value: self.value.get(names[k]),
                mask: Mask::from(mask[k]),
            }),
        }
    }

    /// The elements of this field, when it is a list, each with its mask.
    pub fn items(&self) -> Attr<Vec<Field<'a>>> {
        let masks: Vec<&'a RawValue> = self
            .mask
            .raw()
            .and_then(|m| serde_json::from_str(m).ok())
            .unwrap_or_default();
        self.value.items().map(|items| {
            items
                .into_iter()
                .enumerate()
                .map(|(k, value)| Field {
                    value,
                    mask: Mask::from(masks.get(k).copied()),
                })
                .collect()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn picks_members_in_one_pass() {
        let json = r#"{"a":1,"skip":{"deep":[1,2]},"b":"x","c":null}"#;
        let [a, b, c, d] = pick(json, ["a", "b", "c", "d"]).unwrap();
        assert_eq!(a.map(RawValue::get), Some("1"));
        assert_eq!(b.map(RawValue::get), Some("\"x\""));
        assert_eq!(c.map(RawValue::get), Some("null"));
        assert!(d.is_none());
        assert!(pick("[1]", ["a"]).is_none());
        assert!(pick(r#""(sensitive)""#, ["a"]).is_none());
    }

    #[test]
    fn fields_carry_their_masks() {
        let plan = tfwarden_sdk::testing::plan_with(
            "aws_security_group",
            &["create"],
            r#"{"ingress":[{"cidr_blocks":["10.0.0.0/8",null]}],"tags":{"a":"1"}}"#,
            r#"{"ingress":[{"cidr_blocks":[false,true]}],"tags":{"b":true},"egress":true}"#,
        );
        let plan: tfwarden_sdk::plan::PlanFile = serde_json::from_str(&plan).unwrap();
        let change =
            tfwarden_sdk::input::Change::from_plan(&plan.resource_changes.as_ref().unwrap()[0]);
        let rc = ResourceChange::new(&change);
        let [ingress, egress, tags] = planned(&rc, ["ingress", "egress", "tags"]);
        assert!(egress.value.is_unknown());
        assert_eq!(
            tags.value.entries().known().unwrap().len(),
            2,
            "`b` is known only after apply"
        );
        let blocks = ingress.items().known().unwrap();
        let [cidrs] = blocks[0].members(["cidr_blocks"]);
        assert_eq!(cidrs.mask.list_len(), 2);
        assert!(cidrs.value.items().known().unwrap()[1].is_unknown());
    }
}
