//! Small readers for shapes that recur across providers: flags spelled as
//! strings, and "does any element of this list match?" with unknown elements.

use tfwarden_sdk::prelude::*;

/// A boolean that some schemas store as a string (`"true"`, `"false"`, or `""`
/// when unset, as in `aws_launch_template` block devices).
pub fn flag(value: &Value) -> Attr<bool> {
    match value.bool() {
        Absent => match value.str() {
            Known(s) if s.eq_ignore_ascii_case("true") => Known(true),
            Known(s) if s.eq_ignore_ascii_case("false") => Known(false),
            Known(_) => Absent,
            other => other.map(|_| false),
        },
        other => other,
    }
}

/// The first string in the list `value` (or the string `value` itself) that
/// satisfies `matches`. `Unknown` when none does but some element, or the
/// whole list, is unknown; `Absent` when no element can match.
pub fn find_str(value: &Value, matches: impl Fn(&str) -> bool) -> Attr<String> {
    let items = match value.items() {
        Known(items) => items,
        Unknown => return Unknown,
        Absent => match value.str() {
            Known(s) if matches(&s) => return Known(s.into_owned()),
            Unknown => return Unknown,
            _ => return Absent,
        },
    };
    let mut unknown = false;
    for item in &items {
        match item.str() {
            Known(s) if matches(&s) => return Known(s.into_owned()),
            Unknown => unknown = true,
            _ => {}
        }
    }
    if unknown { Unknown } else { Absent }
}

/// The known strings of a list (or a lone string), skipping unknown elements.
pub fn known_strings(value: &Value) -> Vec<String> {
    match value.items() {
        Known(items) => items
            .iter()
            .filter_map(|i| i.str().known().map(|s| s.into_owned()))
            .collect(),
        _ => value
            .str()
            .known()
            .map(|s| vec![s.into_owned()])
            .unwrap_or_default(),
    }
}

/// The elements of a nested block list; an unknown or absent block reads as none.
pub fn blocks<'a>(value: &Value<'a>) -> Vec<Value<'a>> {
    value.items().known().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_from_bools_and_strings() {
        let v = Value::new(
            Some(r#"{"a":true,"b":"false","c":"","d":"TRUE"}"#),
            Some(r#"{"e":true}"#),
        );
        assert_eq!(flag(&v.get("a")), Known(true));
        assert_eq!(flag(&v.get("b")), Known(false));
        assert_eq!(flag(&v.get("c")), Absent);
        assert_eq!(flag(&v.get("d")), Known(true));
        assert_eq!(flag(&v.get("e")), Unknown);
        assert_eq!(flag(&v.get("f")), Absent);
    }

    #[test]
    fn finds_in_lists_with_unknowns() {
        let v = Value::new(
            Some(r#"{"l":["10.0.0.0/8","0.0.0.0/0"],"m":["10.0.0.0/8",null],"s":"0.0.0.0/0"}"#),
            Some(r#"{"m":[false,true],"u":true}"#),
        );
        let public = |s: &str| s == "0.0.0.0/0";
        assert_eq!(find_str(&v.get("l"), public), Known("0.0.0.0/0".into()));
        assert_eq!(find_str(&v.get("m"), public), Unknown);
        assert_eq!(find_str(&v.get("u"), public), Unknown);
        assert_eq!(find_str(&v.get("s"), public), Known("0.0.0.0/0".into()));
        assert_eq!(find_str(&v.get("x"), public), Absent);
        assert_eq!(known_strings(&v.get("m")), vec!["10.0.0.0/8"]);
    }
}
