//! Tag key naming styles: whether a key follows one, and what it would be if it did,
//! so a finding can say `use cost_center` instead of only "wrong style".

/// A naming convention for tag keys (setting `key_style`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyStyle {
    /// `cost_center`
    SnakeCase,
    /// `cost-center`
    KebabCase,
    /// `costCenter`
    CamelCase,
    /// `CostCenter`
    PascalCase,
    /// No upper-case letters; any separators (`cost_center`, `cost-center`, `costcenter`).
    Lowercase,
}

impl KeyStyle {
    /// Every style with its setting name, for parsing and for error messages.
    pub const NAMES: [(&'static str, Option<KeyStyle>); 6] = [
        ("snake_case", Some(KeyStyle::SnakeCase)),
        ("kebab-case", Some(KeyStyle::KebabCase)),
        ("camelCase", Some(KeyStyle::CamelCase)),
        ("PascalCase", Some(KeyStyle::PascalCase)),
        ("lowercase", Some(KeyStyle::Lowercase)),
        ("none", None),
    ];

    /// Parses a `key_style` setting; `Ok(None)` means no style is enforced.
    pub fn parse(name: &str) -> Result<Option<KeyStyle>, String> {
        Self::NAMES
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, style)| *style)
            .ok_or_else(|| {
                let names: Vec<String> =
                    Self::NAMES.iter().map(|(n, _)| format!("`{n}`")).collect();
                format!(
                    "key_style: unknown style `{name}`; use one of {}",
                    names.join(", ")
                )
            })
    }

    pub fn name(self) -> &'static str {
        Self::NAMES
            .iter()
            .find(|(_, s)| *s == Some(self))
            .map(|(n, _)| *n)
            .unwrap_or("none")
    }

    /// True when `key` follows the style.
    pub fn accepts(self, key: &str) -> bool {
        let starts_lower = key.chars().next().is_some_and(|c| c.is_ascii_lowercase());
        match self {
            KeyStyle::SnakeCase => starts_lower && is_lower_words(key, '_'),
            KeyStyle::KebabCase => starts_lower && is_lower_words(key, '-'),
            KeyStyle::CamelCase => starts_lower && key.chars().all(|c| c.is_ascii_alphanumeric()),
            KeyStyle::PascalCase => {
                key.chars().next().is_some_and(|c| c.is_ascii_uppercase())
                    && key.chars().all(|c| c.is_ascii_alphanumeric())
            }
            KeyStyle::Lowercase => !key.is_empty() && !key.chars().any(char::is_uppercase),
        }
    }

    /// `key` rewritten in this style, when the rewrite is itself valid.
    pub fn suggest(self, key: &str) -> Option<String> {
        let words = words(key);
        let suggestion = match self {
            KeyStyle::SnakeCase => words
                .iter()
                .map(|w| w.to_lowercase())
                .collect::<Vec<_>>()
                .join("_"),
            KeyStyle::KebabCase => words
                .iter()
                .map(|w| w.to_lowercase())
                .collect::<Vec<_>>()
                .join("-"),
            KeyStyle::CamelCase => words
                .iter()
                .enumerate()
                .map(|(i, w)| {
                    if i == 0 {
                        w.to_lowercase()
                    } else {
                        capitalize(w)
                    }
                })
                .collect(),
            KeyStyle::PascalCase => words.iter().map(|w| capitalize(w)).collect(),
            KeyStyle::Lowercase => key.to_lowercase(),
        };
        self.accepts(&suggestion).then_some(suggestion)
    }
}

/// Lower-case ASCII letters and digits in words joined by single `separator`s.
fn is_lower_words(key: &str, separator: char) -> bool {
    key.split(separator).all(|word| {
        !word.is_empty()
            && word
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
    })
}

/// Splits a key of any style into words: at separators, at a lower-to-upper
/// step (`costCenter`), and before the last capital of an acronym (`HTTPServer`).
fn words(key: &str) -> Vec<&str> {
    let mut out = Vec::new();
    for part in key
        .split(|c: char| !c.is_alphanumeric())
        .filter(|p| !p.is_empty())
    {
        let chars: Vec<(usize, char)> = part.char_indices().collect();
        let mut start = 0;
        for i in 1..chars.len() {
            let (at, c) = chars[i];
            let prev = chars[i - 1].1;
            let next_is_lower = chars.get(i + 1).is_some_and(|(_, n)| n.is_lowercase());
            let boundary = c.is_uppercase()
                && (prev.is_lowercase()
                    || prev.is_ascii_digit()
                    || (prev.is_uppercase() && next_is_lower));
            if boundary {
                out.push(&part[start..at]);
                start = at;
            }
        }
        out.push(&part[start..]);
    }
    out
}

fn capitalize(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first
            .to_uppercase()
            .chain(chars.flat_map(char::to_lowercase))
            .collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::KeyStyle::{self, *};

    #[test]
    fn accepts_each_style() {
        let cases: &[(KeyStyle, &[&str], &[&str])] = &[
            (
                SnakeCase,
                &["owner", "cost_center", "tier2", "a_1"],
                &[
                    "Owner",
                    "cost-center",
                    "cost__center",
                    "_x",
                    "x_",
                    "2fa",
                    "",
                ],
            ),
            (
                KebabCase,
                &["owner", "cost-center"],
                &["cost_center", "Cost-center", "cost--center"],
            ),
            (
                CamelCase,
                &["owner", "costCenter", "httpServer2"],
                &["CostCenter", "cost_center", "cost-center"],
            ),
            (
                PascalCase,
                &["Owner", "CostCenter", "Name"],
                &["owner", "costCenter", "Cost_Center"],
            ),
            (
                Lowercase,
                &["owner", "cost_center", "cost-center", "kubernetes.io/role"],
                &["Owner", "costCenter", ""],
            ),
        ];
        for (style, good, bad) in cases {
            for key in *good {
                assert!(style.accepts(key), "{style:?} should accept {key}");
            }
            for key in *bad {
                assert!(!style.accepts(key), "{style:?} should reject {key}");
            }
        }
    }

    #[test]
    fn suggestions_convert_between_styles() {
        assert_eq!(
            SnakeCase.suggest("CostCenter").as_deref(),
            Some("cost_center")
        );
        assert_eq!(
            SnakeCase.suggest("cost-center").as_deref(),
            Some("cost_center")
        );
        assert_eq!(
            SnakeCase.suggest("HTTPServerName").as_deref(),
            Some("http_server_name")
        );
        assert_eq!(
            KebabCase.suggest("costCenter").as_deref(),
            Some("cost-center")
        );
        assert_eq!(
            CamelCase.suggest("cost_center").as_deref(),
            Some("costCenter")
        );
        assert_eq!(
            PascalCase.suggest("cost-center").as_deref(),
            Some("CostCenter")
        );
        assert_eq!(
            Lowercase.suggest("CostCenter").as_deref(),
            Some("costcenter")
        );
        assert_eq!(
            SnakeCase.suggest("Tier2Name").as_deref(),
            Some("tier2_name")
        );
        // A rewrite that would still break the style is not suggested.
        assert_eq!(SnakeCase.suggest("2FA"), None);
    }

    #[test]
    fn parses_names_and_rejects_others() {
        assert_eq!(KeyStyle::parse("snake_case"), Ok(Some(SnakeCase)));
        assert_eq!(KeyStyle::parse("none"), Ok(None));
        let err = KeyStyle::parse("snake").unwrap_err();
        assert!(
            err.contains("key_style") && err.contains("`snake_case`"),
            "{err}"
        );
        for (name, style) in KeyStyle::NAMES {
            if let Some(style) = style {
                assert_eq!(style.name(), name);
            }
        }
    }
}
