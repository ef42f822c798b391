//! A lazy, borrowed view of one planned value, aware of what is unknown until apply.
//!
//! Each step (`get`, `index`) scans only the JSON it descends into, so a policy
//! that reads two attributes pays for two lookups, not for a whole tree.

use std::borrow::Cow;
use std::fmt;

use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;

/// What the host puts in place of a sensitive value before a plugin sees it.
pub const REDACTED: &str = "(sensitive)";
const REDACTED_JSON: &str = "\"(sensitive)\"";

/// The tri-state answer to "what will this attribute be?".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Attr<T> {
    /// The value is in the plan.
    Known(T),
    /// The value is known only after apply, or is sensitive and hidden from plugins.
    Unknown,
    /// The attribute is not set (missing or null).
    Absent,
}

impl<T> Attr<T> {
    /// The known value, if there is one.
    pub fn known(self) -> Option<T> {
        match self {
            Attr::Known(v) => Some(v),
            _ => None,
        }
    }

    pub fn is_known(&self) -> bool {
        matches!(self, Attr::Known(_))
    }

    pub fn is_unknown(&self) -> bool {
        matches!(self, Attr::Unknown)
    }

    pub fn is_absent(&self) -> bool {
        matches!(self, Attr::Absent)
    }

    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Attr<U> {
        match self {
            Attr::Known(v) => Attr::Known(f(v)),
            Attr::Unknown => Attr::Unknown,
            Attr::Absent => Attr::Absent,
        }
    }

    /// The known value, or `default` when absent; `None` when unknown.
    pub fn or_absent(self, default: T) -> Option<T> {
        match self {
            Attr::Known(v) => Some(v),
            Attr::Absent => Some(default),
            Attr::Unknown => None,
        }
    }
}

#[derive(Clone, Copy)]
enum State<'a> {
    Known {
        json: &'a RawValue,
        unknown: Option<&'a RawValue>,
    },
    Unknown,
    Sensitive,
    Absent,
}

/// One planned value (an object, list or scalar) and its unknown mask.
#[derive(Clone, Copy)]
pub struct Value<'a> {
    state: State<'a>,
}

impl fmt::Debug for Value<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.state {
            State::Known { json, .. } => write!(f, "Known({})", json.get()),
            State::Unknown => f.write_str("Unknown"),
            State::Sensitive => f.write_str("Sensitive"),
            State::Absent => f.write_str("Absent"),
        }
    }
}

impl<'a> Value<'a> {
    pub const ABSENT: Value<'static> = Value {
        state: State::Absent,
    };

    /// A view of `json` (planned values) with Terraform's `after_unknown` mask.
    pub fn new(json: Option<&'a str>, unknown: Option<&'a str>) -> Self {
        let unknown = unknown.and_then(|u| serde_json::from_str::<&RawValue>(u).ok());
        let json = json.and_then(|j| serde_json::from_str::<&RawValue>(j).ok());
        Self::from_parts(json, unknown)
    }

    fn from_parts(json: Option<&'a RawValue>, unknown: Option<&'a RawValue>) -> Self {
        let state = match (json, unknown) {
            (_, Some(mask)) if mask.get() == "true" => State::Unknown,
            (Some(json), _) if json.get() == REDACTED_JSON => State::Sensitive,
            (Some(json), mask) if json.get() != "null" => State::Known {
                json,
                unknown: mask,
            },
            _ => State::Absent,
        };
        Value { state }
    }

    /// The attribute `key` of an object.
    pub fn get(&self, key: &str) -> Value<'a> {
        match self.state {
            State::Known { json, unknown } => {
                let Ok(Entries(entries)) = serde_json::from_str::<Entries>(json.get()) else {
                    return Value::ABSENT;
                };
                let mask = unknown.and_then(|m| lookup_key(m, key));
                let child = entries.into_iter().find(|(k, _)| k == key).map(|(_, v)| v);
                Self::from_parts(child, mask)
            }
            _ => self.descend_opaque(),
        }
    }

    /// True when the object has attribute `key`, even if null or unknown: how a
    /// policy tells "this resource type has `tags`" from "tags are not set".
    pub fn has(&self, key: &str) -> bool {
        match self.state {
            State::Known { json, unknown } => {
                let in_json = serde_json::from_str::<Entries>(json.get())
                    .is_ok_and(|Entries(e)| e.iter().any(|(k, _)| k == key));
                in_json || unknown.and_then(|m| lookup_key(m, key)).is_some()
            }
            _ => false,
        }
    }

    /// Element `i` of a list or set.
    pub fn index(&self, i: usize) -> Value<'a> {
        match self.state {
            State::Known { json, unknown } => {
                let Ok(items) = serde_json::from_str::<Vec<&RawValue>>(json.get()) else {
                    return Value::ABSENT;
                };
                let mask = unknown.and_then(|m| lookup_index(m, i));
                Self::from_parts(items.get(i).copied(), mask)
            }
            _ => self.descend_opaque(),
        }
    }

    /// Follows a dotted path such as `ingress.0.cidr_blocks`; numbers index lists.
    pub fn path(&self, path: &str) -> Value<'a> {
        path.split('.')
            .filter(|s| !s.is_empty())
            .fold(*self, |v, step| match step.parse::<usize>() {
                Ok(i) if v.is_list() => v.index(i),
                _ => v.get(step),
            })
    }

    fn descend_opaque(&self) -> Value<'a> {
        match self.state {
            State::Unknown | State::Sensitive => Value {
                state: State::Unknown,
            },
            _ => Value::ABSENT,
        }
    }

    fn known_json(&self) -> Attr<&'a RawValue> {
        match self.state {
            State::Known { json, .. } => Attr::Known(json),
            State::Unknown | State::Sensitive => Attr::Unknown,
            State::Absent => Attr::Absent,
        }
    }

    fn is_list(&self) -> bool {
        matches!(self.state, State::Known { json, .. } if json.get().starts_with('['))
    }

    /// Deserializes the value into any type; a type mismatch counts as absent.
    pub fn parse<T: Deserialize<'a>>(&self) -> Attr<T> {
        match self.known_json() {
            Attr::Known(json) => match serde_json::from_str(json.get()) {
                Ok(v) => Attr::Known(v),
                Err(_) => Attr::Absent,
            },
            Attr::Unknown => Attr::Unknown,
            Attr::Absent => Attr::Absent,
        }
    }

    /// The value as a string.
    pub fn str(&self) -> Attr<Cow<'a, str>> {
        self.parse::<Cow<'a, str>>()
    }

    pub fn bool(&self) -> Attr<bool> {
        self.parse()
    }

    pub fn f64(&self) -> Attr<f64> {
        self.parse()
    }

    pub fn i64(&self) -> Attr<i64> {
        self.parse()
    }

    /// The elements of a list or set.
    pub fn items(&self) -> Attr<Vec<Value<'a>>> {
        let State::Known { json, unknown } = self.state else {
            return self.known_json().map(|_| Vec::new());
        };
        let Ok(items) = serde_json::from_str::<Vec<&RawValue>>(json.get()) else {
            return Attr::Absent;
        };
        let masks: Vec<&RawValue> = unknown
            .and_then(|m| serde_json::from_str(m.get()).ok())
            .unwrap_or_default();
        Attr::Known(
            items
                .into_iter()
                .enumerate()
                .map(|(i, v)| Self::from_parts(Some(v), masks.get(i).copied()))
                .collect(),
        )
    }

    /// The keys and values of an object (a map such as `tags`, or a block).
    pub fn entries(&self) -> Attr<Vec<(Cow<'a, str>, Value<'a>)>> {
        let State::Known { json, unknown } = self.state else {
            return self.known_json().map(|_| Vec::new());
        };
        let Ok(Entries(entries)) = serde_json::from_str::<Entries>(json.get()) else {
            return Attr::Absent;
        };
        let masks: Vec<(Cow<'a, str>, &'a RawValue)> = unknown
            .and_then(|m| serde_json::from_str::<Entries>(m.get()).ok())
            .map(|Entries(e)| e)
            .unwrap_or_default();
        let mask_of = |k: &str| masks.iter().find(|(mk, _)| mk == k).map(|(_, m)| *m);
        let mut out: Vec<(Cow<'a, str>, Value<'a>)> = entries
            .into_iter()
            .map(|(k, v)| {
                let mask = mask_of(&k);
                (k, Self::from_parts(Some(v), mask))
            })
            .collect();
        // Terraform leaves map entries known only after apply out of the value
        // and lists them in the mask alone; they are entries all the same.
        for (k, m) in &masks {
            if !out.iter().any(|(ok, _)| ok == k) {
                out.push((k.clone(), Self::from_parts(None, Some(m))));
            }
        }
        Attr::Known(out)
    }

    /// The object read once, for looking up several attributes without
    /// rescanning it for each: `let a = rc.after().object(); a.get("x"); a.get("y")`.
    pub fn object(&self) -> Object<'a> {
        Object {
            missing: self.descend_opaque(),
            entries: self.entries().known().unwrap_or_default(),
        }
    }

    /// The tag or label `key`: `tags`, then `labels`, then `tags_all`, which
    /// also holds the AWS provider's `default_tags`.
    pub fn tag(&self, key: &str) -> Attr<Cow<'a, str>> {
        for field in ["tags", "labels", "tags_all"] {
            match self.get(field).get(key).str() {
                Attr::Absent => continue,
                found => return found,
            }
        }
        if self.get("tags_all").is_unknown() {
            return Attr::Unknown;
        }
        Attr::Absent
    }

    pub fn is_known(&self) -> bool {
        matches!(self.state, State::Known { .. })
    }

    /// True when known only after apply, or sensitive.
    pub fn is_unknown(&self) -> bool {
        matches!(self.state, State::Unknown | State::Sensitive)
    }

    pub fn is_sensitive(&self) -> bool {
        matches!(self.state, State::Sensitive)
    }

    pub fn is_absent(&self) -> bool {
        matches!(self.state, State::Absent)
    }

    /// True when any part of this value is unknown until apply.
    pub fn has_unknown_parts(&self) -> bool {
        match self.state {
            State::Known { unknown, .. } => unknown.is_some_and(|m| m.get().contains("true")),
            State::Unknown | State::Sensitive => true,
            State::Absent => false,
        }
    }

    /// The raw JSON text, when known.
    pub fn raw(&self) -> Option<&'a str> {
        self.known_json().known().map(RawValue::get)
    }
}

/// An object whose members have been read once; see [`Value::object`].
#[derive(Debug, Clone)]
pub struct Object<'a> {
    entries: Vec<(Cow<'a, str>, Value<'a>)>,
    /// What a missing key reads as: unknown inside an unknown object, else absent.
    missing: Value<'a>,
}

impl<'a> Object<'a> {
    /// The attribute `key`.
    pub fn get(&self, key: &str) -> Value<'a> {
        self.entries
            .iter()
            .find(|(k, _)| k == key)
            .map_or(self.missing, |(_, v)| *v)
    }

    /// The members, in document order (keys known only after apply last).
    pub fn entries(&self) -> &[(Cow<'a, str>, Value<'a>)] {
        &self.entries
    }
}

fn lookup_key<'a>(mask: &'a RawValue, key: &str) -> Option<&'a RawValue> {
    let Entries(entries) = serde_json::from_str(mask.get()).ok()?;
    entries.into_iter().find(|(k, _)| k == key).map(|(_, v)| v)
}

fn lookup_index(mask: &RawValue, i: usize) -> Option<&RawValue> {
    let items: Vec<&RawValue> = serde_json::from_str(mask.get()).ok()?;
    items.get(i).copied()
}

/// An object's members in document order, values left unparsed.
struct Entries<'a>(Vec<(Cow<'a, str>, &'a RawValue)>);

impl<'de> Deserialize<'de> for Entries<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Entries<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<M: MapAccess<'de>>(self, mut map: M) -> Result<Self::Value, M::Error> {
                let mut out = Vec::with_capacity(map.size_hint().unwrap_or(8));
                while let Some(key) = map.next_key::<Cow<'de, str>>()? {
                    out.push((key, map.next_value::<&'de RawValue>()?));
                }
                Ok(Entries(out))
            }
            fn visit_seq<S: SeqAccess<'de>>(self, _: S) -> Result<Self::Value, S::Error> {
                Err(serde::de::Error::custom("expected an object"))
            }
        }
        d.deserialize_map(V)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn view<'a>(json: &'a str, unknown: &'a str) -> Value<'a> {
        Value::new(Some(json), Some(unknown))
    }

    #[test]
    fn tri_state_lookups() {
        let v = view(
            r#"{"tags":{"owner":"ana","env":null},"list":[1,2],"esc":"a\"b"}"#,
            r#"{"tags":{"team":true},"list":[false,true]}"#,
        );
        assert_eq!(v.get("tags").get("owner").str(), Attr::Known("ana".into()));
        assert_eq!(v.get("tags").get("env").str(), Attr::Absent);
        assert_eq!(v.get("tags").get("team").str(), Attr::Unknown);
        assert_eq!(v.get("missing").get("deeper").str(), Attr::Absent);
        assert_eq!(v.path("list.1").i64(), Attr::Unknown);
        assert_eq!(v.path("list.0").i64(), Attr::Known(1));
        assert_eq!(v.get("esc").str(), Attr::Known(Cow::Owned("a\"b".into())));
        assert!(v.get("tags").has_unknown_parts());
        assert!(v.has("tags") && v.get("tags").has("env") && v.get("tags").has("team"));
        assert!(!v.has("labels"));
        assert!(!v.get("esc").has_unknown_parts());
    }

    #[test]
    fn objects_answer_like_values() {
        let v = view(r#"{"a":1,"b":null}"#, r#"{"c":true}"#);
        let o = v.object();
        for key in ["a", "b", "c", "d"] {
            assert_eq!(
                format!("{:?}", o.get(key)),
                format!("{:?}", v.get(key)),
                "{key}"
            );
        }
        let unknown = view("{}", r#"{"x":true}"#).get("x").object();
        assert!(unknown.get("y").is_unknown());
    }

    #[test]
    fn whole_value_unknown_propagates_down() {
        let v = view(r#"{}"#, r#"{"tags":true}"#);
        assert!(v.get("tags").is_unknown());
        assert_eq!(v.get("tags").get("owner").str(), Attr::Unknown);
        assert_eq!(v.tag("owner"), Attr::Unknown);
    }

    #[test]
    fn redacted_values_read_as_unknown() {
        let v = view(r#"{"password":"(sensitive)","nested":"(sensitive)"}"#, "{}");
        assert!(v.get("password").is_sensitive());
        assert_eq!(v.get("password").str(), Attr::Unknown);
        assert_eq!(v.get("nested").get("x").bool(), Attr::Unknown);
    }

    #[test]
    fn tags_fall_back_to_labels_and_tags_all() {
        let aws = view(
            r#"{"tags":{"a":"1"},"tags_all":{"a":"1","owner":"ops"}}"#,
            "{}",
        );
        assert_eq!(aws.tag("owner"), Attr::Known("ops".into()));
        let gcp = view(r#"{"labels":{"owner":"x"}}"#, "{}");
        assert_eq!(gcp.tag("owner"), Attr::Known("x".into()));
        let none = view(r#"{"tags":{}}"#, "{}");
        assert_eq!(none.tag("owner"), Attr::Absent);
    }

    #[test]
    fn items_and_entries_carry_masks() {
        let v = view(r#"{"l":["a",null],"m":{"x":1}}"#, r#"{"l":[false,true]}"#);
        let items = v.get("l").items().known().unwrap();
        assert_eq!(items[0].str(), Attr::Known("a".into()));
        assert!(items[1].is_unknown());
        let entries = v.get("m").entries().known().unwrap();
        assert_eq!(entries[0].0, "x");
        let tags = view(r#"{"tags":{"a":"1"}}"#, r#"{"tags":{"b":true}}"#);
        let tags = tags.get("tags").entries().known().unwrap();
        assert_eq!(tags.len(), 2);
        assert!(tags[0].1.is_known() && tags[1].0 == "b" && tags[1].1.is_unknown());
        assert!(v.get("nope").items().is_absent());
    }
}
