//! The values a tag may take (setting `allowed`): a fixed list, or a regex the
//! whole value must match.

use regex_lite::Regex;
use serde_json::Value as Json;

#[derive(Debug, Clone)]
pub enum AllowedValues {
    /// The value must equal one of these exactly.
    OneOf(Vec<String>),
    /// The whole value must match `source`.
    Pattern { source: String, regex: Regex },
}

impl AllowedValues {
    /// Reads the setting `allowed.<key>`: a list of strings or `{ regex = "..." }`.
    pub fn from_setting(key: &str, setting: &Json) -> Result<Self, String> {
        let name = format!("allowed.{key}");
        match setting {
            Json::Array(items) => {
                if items.is_empty() {
                    return Err(format!(
                        "{name}: the list is empty, so no value would be allowed; list at least one value or remove `{key}`"
                    ));
                }
                let values = items
                    .iter()
                    .map(|v| match v {
                        Json::String(s) => Ok(s.clone()),
                        other => Err(format!(
                            "{name}: tag values are strings; write {other} as \"{other}\""
                        )),
                    })
                    .collect::<Result<Vec<_>, _>>()?;
                Ok(AllowedValues::OneOf(values))
            }
            Json::Object(fields) => {
                if let Some(unknown) = fields.keys().find(|k| *k != "regex") {
                    return Err(format!(
                        "{name}: unknown field `{unknown}`; the only field is `regex`"
                    ));
                }
                let Some(Json::String(source)) = fields.get("regex") else {
                    return Err(format!(
                        "{name}: `regex` must be a string such as {{ regex = \"^team-[a-z]+$\" }}"
                    ));
                };
                // Anchored, so `prod` does not also admit `preprod-2`.
                let regex = Regex::new(&format!("^(?:{source})$"))
                    .map_err(|e| format!("{name}: `{source}` is not a valid regex: {e}"))?;
                Ok(AllowedValues::Pattern {
                    source: source.clone(),
                    regex,
                })
            }
            other => Err(format!(
                "{name}: expected a list of values such as [\"dev\", \"prod\"] or {{ regex = \"...\" }}, found {other}"
            )),
        }
    }

    pub fn permits(&self, value: &str) -> bool {
        match self {
            AllowedValues::OneOf(values) => values.iter().any(|v| v == value),
            AllowedValues::Pattern { regex, .. } => regex.is_match(value),
        }
    }

    /// What is allowed, for messages: "one of `dev`, `prod`" or "matching `^team-`".
    pub fn describe(&self) -> String {
        match self {
            AllowedValues::OneOf(values) => {
                let quoted: Vec<String> = values.iter().map(|v| format!("`{v}`")).collect();
                format!("one of {}", quoted.join(", "))
            }
            AllowedValues::Pattern { source, .. } => format!("a value matching `{source}`"),
        }
    }

    /// The allowed value `value` was probably meant to be: the only one, or the
    /// one that differs from it only in case.
    pub fn correction(&self, value: &str) -> Option<&str> {
        let AllowedValues::OneOf(values) = self else {
            return None;
        };
        if let [only] = values.as_slice() {
            return Some(only);
        }
        let mut same_but_case = values.iter().filter(|v| v.eq_ignore_ascii_case(value));
        match (same_but_case.next(), same_but_case.next()) {
            (Some(v), None) => Some(v),
            _ => None,
        }
    }

    /// The value to suggest when the tag is missing altogether, if there is only one.
    pub fn sole_value(&self) -> Option<&str> {
        match self {
            AllowedValues::OneOf(values) if values.len() == 1 => Some(&values[0]),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn lists_match_exactly_and_regexes_match_whole_values() {
        let list = AllowedValues::from_setting("env", &json!(["dev", "prod"])).unwrap();
        assert!(list.permits("prod") && !list.permits("Prod") && !list.permits("production"));
        let regex = AllowedValues::from_setting("owner", &json!({"regex": "team-[a-z]+"})).unwrap();
        assert!(regex.permits("team-data"));
        assert!(!regex.permits("my-team-data") && !regex.permits("team-data!"));
        // An alternation is anchored as a whole, not only its first branch.
        let alt = AllowedValues::from_setting("env", &json!({"regex": "dev|prod"})).unwrap();
        assert!(alt.permits("prod") && !alt.permits("prod2"));
    }

    #[test]
    fn corrections_are_offered_only_when_unambiguous() {
        let list = AllowedValues::from_setting("env", &json!(["dev", "prod"])).unwrap();
        assert_eq!(list.correction("Prod"), Some("prod"));
        assert_eq!(list.correction("staging"), None);
        let only = AllowedValues::from_setting("managed_by", &json!(["terraform"])).unwrap();
        assert_eq!(only.correction("manual"), Some("terraform"));
        assert_eq!(only.sole_value(), Some("terraform"));
        assert_eq!(list.sole_value(), None);
    }

    #[test]
    fn bad_settings_name_the_setting() {
        let cases = [
            (json!([]), "list is empty"),
            (json!([1]), "tag values are strings"),
            (json!({"regexp": "x"}), "unknown field `regexp`"),
            (json!({"regex": 5}), "must be a string"),
            (json!({"regex": "("}), "not a valid regex"),
            (json!("prod"), "expected a list"),
        ];
        for (setting, fragment) in cases {
            let err = AllowedValues::from_setting("env", &setting).unwrap_err();
            assert!(
                err.starts_with("allowed.env: ") && err.contains(fragment),
                "{err}"
            );
        }
    }
}
