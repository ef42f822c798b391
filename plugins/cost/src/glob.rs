//! Glob patterns for denied instance types and SKUs, such as `*.metal` or `p4d.*`.
//!
//! `*` matches any run of characters and `?` one character. Matching ignores
//! case, because Azure sizes are case-insensitive (`standard_d2s_v5`).

/// A validated pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pattern {
    text: String,
    lower: Vec<char>,
}

impl Pattern {
    pub fn new(text: &str) -> Result<Self, String> {
        let trimmed = text.trim();
        if trimmed.is_empty() {
            return Err(
                "an empty pattern matches nothing; remove it or write one such as `p4d.*`".into(),
            );
        }
        if let Some(bad) = trimmed
            .chars()
            .find(|c| c.is_whitespace() || matches!(c, '[' | ']' | '{' | '}'))
        {
            return Err(format!(
                "`{trimmed}` contains `{bad}`; only `*` and `?` are wildcards"
            ));
        }
        Ok(Pattern {
            text: trimmed.to_string(),
            lower: trimmed.to_lowercase().chars().collect(),
        })
    }

    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// True when the whole of `candidate` matches.
    pub fn matches(&self, candidate: &str) -> bool {
        let candidate: Vec<char> = candidate.to_lowercase().chars().collect();
        // Iterative matching with one backtrack point: linear in practice and
        // never exponential, whatever the pattern.
        let (mut p, mut c) = (0, 0);
        let mut star: Option<(usize, usize)> = None;
        while c < candidate.len() {
            match self.lower.get(p) {
                Some('*') => {
                    star = Some((p, c));
                    p += 1;
                }
                Some(&pc) if pc == '?' || pc == candidate[c] => {
                    p += 1;
                    c += 1;
                }
                _ => match star {
                    Some((sp, sc)) => {
                        p = sp + 1;
                        c = sc + 1;
                        star = Some((sp, sc + 1));
                    }
                    None => return false,
                },
            }
        }
        self.lower[p..].iter().all(|&pc| pc == '*')
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(pattern: &str, candidate: &str) -> bool {
        Pattern::new(pattern).unwrap().matches(candidate)
    }

    #[test]
    fn wildcards_match_whole_names() {
        assert!(m("*.metal", "m5.metal"));
        assert!(!m("*.metal", "m5.metal.x"));
        assert!(m("p4d.*", "p4d.24xlarge"));
        assert!(!m("p4d.*", "p4de.24xlarge"));
        assert!(m("x?e.*", "x2e.large"));
        assert!(m("Standard_M*", "standard_m128s"));
        assert!(m("*", ""));
        assert!(!m("a*b*c", "aXbY"));
        assert!(m("a*b*c", "aXbYc"));
    }

    #[test]
    fn rejects_patterns_that_would_mislead() {
        assert!(Pattern::new(" ").is_err());
        assert!(Pattern::new("m5.[a-z]").is_err());
    }
}
