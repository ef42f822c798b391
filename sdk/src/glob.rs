//! Glob patterns for addresses and resource types: `*` matches any run of
//! characters, `?` exactly one. Used for waivers and subscriptions.

/// True when `text` matches `pattern` as a whole.
pub fn matches(pattern: &str, text: &str) -> bool {
    let address = text;
    let (p, a): (Vec<char>, Vec<char>) = (pattern.chars().collect(), address.chars().collect());
    // Classic greedy matching with one backtrack point: linear for the patterns people write.
    let (mut pi, mut ai) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ai < a.len() {
        match p.get(pi) {
            Some('*') => {
                star = Some((pi, ai));
                pi += 1;
            }
            Some(&c) if c == '?' || c == a[ai] => {
                pi += 1;
                ai += 1;
            }
            _ => match star {
                Some((sp, sa)) => {
                    pi = sp + 1;
                    ai = sa + 1;
                    star = Some((sp, sa + 1));
                }
                None => return false,
            },
        }
    }
    p[pi..].iter().all(|&c| c == '*')
}

#[cfg(test)]
mod tests {
    use super::matches;

    #[test]
    fn address_patterns() {
        assert!(matches("module.legacy.*", "module.legacy.aws_s3_bucket.b"));
        assert!(matches(
            "module.legacy.*",
            "module.legacy.module.inner.aws_iam_role.r[0]"
        ));
        assert!(!matches(
            "module.legacy.*",
            "module.legacy2.aws_s3_bucket.b"
        ));
        assert!(matches(
            r#"aws_s3_bucket.logs["*"]"#,
            r#"aws_s3_bucket.logs["eu-west-1"]"#
        ));
        assert!(!matches(r#"aws_s3_bucket.logs["*"]"#, "aws_s3_bucket.logs"));
        assert!(matches("aws_s3_bucket.b", "aws_s3_bucket.b"));
        assert!(!matches("aws_s3_bucket.b", "aws_s3_bucket.b[0]"));
        assert!(matches("*", ""));
        assert!(matches("aws_instance.web[?]", "aws_instance.web[3]"));
    }
}
