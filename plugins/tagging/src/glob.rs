//! Shell-style wildcards (`aws_*`, `google_compute_?isk`) for the settings that
//! name resource types and exempt tag keys, so users need not write regexes.

/// One step of a compiled pattern, over bytes or chars.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Token<T> {
    /// `*`: any run of characters, including none.
    AnyRun,
    /// `?`: exactly one character.
    AnyOne,
    Literal(T),
}

/// A compiled wildcard pattern: `*` matches any run of characters, `?` one character.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Glob {
    source: String,
    chars: Vec<Token<char>>,
    /// Byte tokens for the all-ASCII case, so matching a type name allocates nothing.
    bytes: Option<Vec<Token<u8>>>,
}

impl Glob {
    pub fn new(pattern: &str) -> Self {
        let chars = pattern.chars().map(|c| tokenize(c, '*', '?')).collect();
        let bytes = pattern
            .is_ascii()
            .then(|| pattern.bytes().map(|b| tokenize(b, b'*', b'?')).collect());
        Glob {
            source: pattern.to_owned(),
            chars,
            bytes,
        }
    }

    /// The literal text before the first wildcard.
    pub fn literal_prefix(&self) -> &str {
        let end = self.source.find(['*', '?']).unwrap_or(self.source.len());
        &self.source[..end]
    }

    /// True when the whole of `text` matches the pattern.
    pub fn matches(&self, text: &str) -> bool {
        match &self.bytes {
            Some(tokens) if text.is_ascii() => match_tokens(tokens, text.as_bytes()),
            // Byte by byte, `?` would take half a character: compare chars instead.
            _ => match_tokens(&self.chars, &text.chars().collect::<Vec<_>>()),
        }
    }
}

fn tokenize<T: PartialEq>(unit: T, any_run: T, any_one: T) -> Token<T> {
    if unit == any_run {
        Token::AnyRun
    } else if unit == any_one {
        Token::AnyOne
    } else {
        Token::Literal(unit)
    }
}

/// Greedy matching that backtracks only to the most recent `*`: enough for
/// wildcards, and the worst case stays at pattern × text steps.
fn match_tokens<T: PartialEq>(pattern: &[Token<T>], text: &[T]) -> bool {
    let (mut p, mut t) = (0, 0);
    let mut last_star: Option<(usize, usize)> = None;
    while t < text.len() {
        match pattern.get(p) {
            Some(Token::AnyRun) => {
                last_star = Some((p, t));
                p += 1;
            }
            Some(Token::AnyOne) => {
                p += 1;
                t += 1;
            }
            Some(Token::Literal(l)) if *l == text[t] => {
                p += 1;
                t += 1;
            }
            _ => match last_star {
                Some((star_p, star_t)) => {
                    // Let the last `*` swallow one more character and retry from there.
                    last_star = Some((star_p, star_t + 1));
                    p = star_p + 1;
                    t = star_t + 1;
                }
                None => return false,
            },
        }
    }
    pattern[p..]
        .iter()
        .all(|token| matches!(token, Token::AnyRun))
}

#[cfg(test)]
mod tests {
    use super::Glob;

    #[test]
    fn wildcards_match_whole_text() {
        let cases = [
            ("aws_*", "aws_s3_bucket", true),
            ("aws_*", "aws_", true),
            ("aws_*", "awscc_s3_bucket", false),
            ("google_compute_*", "google_compute_instance", true),
            ("*_bucket", "aws_s3_bucket", true),
            ("*_bucket", "aws_s3_bucket_policy", false),
            ("aws_s3_bucket", "aws_s3_bucket", true),
            ("aws_s3_bucket", "aws_s3_bucket_acl", false),
            ("aws_?3_*", "aws_s3_bucket", true),
            ("*a*b*c", "xaybzc", true),
            ("*a*b*c", "xaybzcd", false),
            ("*", "", true),
            ("", "", true),
            ("", "x", false),
            ("kubernetes.io/*", "kubernetes.io/cluster/prod", true),
            ("tag-?", "tag-é", true),
            ("é*", "éte", true),
        ];
        for (pattern, text, expected) in cases {
            assert_eq!(
                Glob::new(pattern).matches(text),
                expected,
                "{pattern} vs {text}"
            );
        }
    }

    #[test]
    fn literal_prefix_stops_at_first_wildcard() {
        assert_eq!(
            Glob::new("google_compute_*").literal_prefix(),
            "google_compute_"
        );
        assert_eq!(Glob::new("aws_?3").literal_prefix(), "aws_");
        assert_eq!(Glob::new("*_bucket").literal_prefix(), "");
        assert_eq!(Glob::new("aws_instance").literal_prefix(), "aws_instance");
    }
}
