//! A resource's attributes read once, for pricers that look up many of them.
//!
//! `Value::get` rescans the object on every call. A pricer reads ten or so
//! attributes of each of up to 50,000 resources, so it splits the object once
//! and then searches the split list.

use std::borrow::Cow;

use tfwarden_sdk::prelude::*;

/// The top-level attributes of one planned or prior object.
pub struct Fields<'a> {
    value: Value<'a>,
    entries: Vec<(Cow<'a, str>, Value<'a>)>,
}

impl<'a> Fields<'a> {
    pub fn of(value: Value<'a>) -> Self {
        let entries = value.entries().known().unwrap_or_default();
        Fields { value, entries }
    }

    /// The attribute `key`. Attributes that are only in the unknown mask are
    /// not in the split list, so a miss asks the value itself.
    pub fn get(&self, key: &str) -> Value<'a> {
        match self.entries.iter().find(|(k, _)| k == key) {
            Some((_, v)) => *v,
            None => self.value.get(key),
        }
    }

    /// The first element of a nested block, which Terraform renders as a list.
    pub fn block(&self, key: &str) -> Value<'a> {
        first(self.get(key))
    }

    pub fn str(&self, key: &str) -> Attr<Cow<'a, str>> {
        self.get(key).str()
    }

    pub fn f64(&self, key: &str) -> Attr<f64> {
        self.get(key).f64()
    }

    pub fn bool(&self, key: &str) -> Attr<bool> {
        self.get(key).bool()
    }

    pub fn value(&self) -> Value<'a> {
        self.value
    }
}

/// The first element of a list-shaped block; a block that is an object stays as it is.
pub fn first(value: Value<'_>) -> Value<'_> {
    match value.raw() {
        Some(raw) if raw.trim_start().starts_with('[') => value.index(0),
        _ => value,
    }
}

/// A number that may be written as a JSON number or a numeric string.
pub fn number(value: Value<'_>) -> Attr<f64> {
    match value.f64() {
        Attr::Absent => match value.str() {
            Attr::Known(s) => s.trim().parse().map_or(Attr::Absent, Attr::Known),
            other => other.map(|_| 0.0),
        },
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_known_unknown_and_absent_attributes() {
        let v = Value::new(
            Some(r#"{"a":"x","n":"42","b":[{"c":1}]}"#),
            Some(r#"{"u":true}"#),
        );
        let f = Fields::of(v);
        assert_eq!(f.str("a"), Attr::Known("x".into()));
        assert!(f.get("u").is_unknown());
        assert!(f.get("missing").is_absent());
        assert_eq!(f.block("b").get("c").i64(), Attr::Known(1));
        assert_eq!(number(f.get("n")), Attr::Known(42.0));
        assert_eq!(number(f.get("missing")), Attr::Absent);
    }
}
