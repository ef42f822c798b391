//! Resource addresses reduced to what a `.tf` file names: the module calls on
//! the way and the resource block, without `count` / `for_each` instance keys.

/// Where a resource is declared: the module calls from the root, then the
/// block key (`aws_s3_bucket.logs` or `data.aws_ami.base`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Declared {
    pub modules: Vec<String>,
    pub block: String,
}

impl Declared {
    /// The declaration as one address without instance keys, such as
    /// `module.a.module.b.aws_s3_bucket.this`.
    pub fn address(&self) -> String {
        let mut out = String::new();
        for m in &self.modules {
            out.push_str("module.");
            out.push_str(m);
            out.push('.');
        }
        out.push_str(&self.block);
        out
    }
}

/// `module.a["x"].module.b[0].aws_s3_bucket.this["k"]` is declared as
/// `aws_s3_bucket.this` inside module `b` inside module `a`. `None` for
/// anything that is not a resource address (such as the empty plan address).
pub fn declared(address: &str) -> Option<Declared> {
    let parts = steps(address)?;
    let mut modules = Vec::new();
    let mut rest = parts.as_slice();
    while let ["module", name, tail @ ..] = rest {
        modules.push((*name).to_owned());
        rest = tail;
    }
    let block = match rest {
        [kind, name] => format!("{kind}.{name}"),
        ["data", kind, name] => format!("data.{kind}.{name}"),
        [] if !modules.is_empty() => String::new(),
        _ => return None,
    };
    Some(Declared { modules, block })
}

/// The dot-separated steps of an address with instance keys removed. Keys
/// may hold dots and brackets inside quotes, so this is a small scanner
/// rather than a split.
fn steps(address: &str) -> Option<Vec<&str>> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut name_end = None;
    let mut depth = 0usize;
    let mut in_quotes = false;
    let mut escaped = false;
    for (i, c) in address.char_indices() {
        if in_quotes {
            match (escaped, c) {
                (false, '\\') => escaped = true,
                (false, '"') => in_quotes = false,
                _ => escaped = false,
            }
            continue;
        }
        match c {
            '"' if depth > 0 => in_quotes = true,
            '[' => {
                name_end.get_or_insert(i);
                depth += 1;
            }
            ']' => depth = depth.checked_sub(1)?,
            '.' if depth == 0 => {
                out.push(&address[start..name_end.unwrap_or(i)]);
                start = i + 1;
                name_end = None;
            }
            _ => {}
        }
    }
    if depth != 0 || in_quotes {
        return None;
    }
    out.push(&address[start..name_end.unwrap_or(address.len())]);
    if out.iter().any(|s| s.is_empty()) {
        return None;
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(address: &str) -> Option<(Vec<String>, String)> {
        declared(address).map(|d| (d.modules, d.block))
    }

    fn owned(names: &[&str]) -> Vec<String> {
        names.iter().map(|&n| n.to_owned()).collect()
    }

    #[test]
    fn strips_instance_keys_and_walks_modules() {
        assert_eq!(
            d("aws_s3_bucket.b"),
            Some((owned(&[]), "aws_s3_bucket.b".into()))
        );
        assert_eq!(
            d(r#"module.a["x.y]"].module.b[0].aws_s3_bucket.this["k\"."]"#),
            Some((owned(&["a", "b"]), "aws_s3_bucket.this".into()))
        );
        assert_eq!(
            d("module.m.data.aws_ami.base"),
            Some((owned(&["m"]), "data.aws_ami.base".into()))
        );
        assert_eq!(d("module.m"), Some((owned(&["m"]), String::new())));
    }

    #[test]
    fn refuses_what_is_not_an_address() {
        assert_eq!(d(""), None);
        assert_eq!(d("aws_s3_bucket"), None);
        assert_eq!(d("aws_s3_bucket.b[0"), None);
        assert_eq!(d("a.b.c.d"), None);
    }
}
