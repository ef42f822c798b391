//! Which resource types the user wants checked (settings `include_types` and
//! `exclude_types`), validated so a typo fails at load instead of silently
//! matching nothing.

use crate::cloud::Cloud;
use crate::glob::Glob;

#[derive(Debug, Clone, Default)]
pub struct TypeFilter {
    include: Vec<Glob>,
    exclude: Vec<Glob>,
}

impl TypeFilter {
    pub fn new(include: &[String], exclude: &[String]) -> Result<Self, String> {
        if let Some(both) = include.iter().find(|p| exclude.contains(p)) {
            return Err(format!(
                "`{both}` is in both include_types and exclude_types; keep it in only one of them"
            ));
        }
        Ok(TypeFilter {
            include: compile("include_types", include)?,
            exclude: compile("exclude_types", exclude)?,
        })
    }

    /// True when resources of `type_` are checked: included (or no include
    /// list) and not excluded.
    pub fn admits(&self, type_: &str) -> bool {
        (self.include.is_empty() || self.include.iter().any(|g| g.matches(type_)))
            && !self.exclude.iter().any(|g| g.matches(type_))
    }
}

fn compile(setting: &str, patterns: &[String]) -> Result<Vec<Glob>, String> {
    patterns
        .iter()
        .map(|pattern| compile_one(setting, pattern))
        .collect()
}

fn compile_one(setting: &str, pattern: &str) -> Result<Glob, String> {
    let valid_char =
        |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '_' | '*' | '?');
    if pattern.is_empty() || !pattern.chars().all(valid_char) {
        return Err(format!(
            "{setting}: `{pattern}` is not a resource type pattern; use lower-case letters, digits, `_`, and the wildcards `*` and `?` (for example `aws_s3_*`)"
        ));
    }
    let glob = Glob::new(pattern);
    let prefix = glob.literal_prefix();
    let reachable = Cloud::TYPE_PREFIXES
        .iter()
        .any(|p| p.starts_with(prefix) || prefix.starts_with(p));
    if !reachable {
        return Err(format!(
            "{setting}: `{pattern}` never matches: this plugin checks only resource types starting with {}",
            Cloud::TYPE_PREFIXES.map(|p| format!("`{p}`")).join(", ")
        ));
    }
    Ok(glob)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn filter(include: &[&str], exclude: &[&str]) -> Result<TypeFilter, String> {
        let own = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        TypeFilter::new(&own(include), &own(exclude))
    }

    #[test]
    fn include_then_exclude() {
        let f = filter(&["aws_*", "google_compute_*"], &["aws_iam_*"]).unwrap();
        assert!(f.admits("aws_s3_bucket"));
        assert!(f.admits("google_compute_instance"));
        assert!(!f.admits("google_storage_bucket"));
        assert!(!f.admits("aws_iam_role"));
        assert!(filter(&[], &[]).unwrap().admits("azurerm_resource_group"));
        assert!(
            !filter(&[], &["azurerm_*"])
                .unwrap()
                .admits("azurerm_resource_group")
        );
    }

    #[test]
    fn rejects_bad_patterns_naming_the_setting() {
        let err = |include: &[&str], exclude: &[&str]| filter(include, exclude).unwrap_err();
        assert!(err(&["aws_*"], &["aws_*"]).contains("both include_types and exclude_types"));
        assert!(
            err(&["AWS_*"], &[])
                .starts_with("include_types: `AWS_*` is not a resource type pattern")
        );
        assert!(err(&[], &[""]).starts_with("exclude_types: ``"));
        assert!(err(&["aws-s3-bucket"], &[]).contains("not a resource type pattern"));
        assert!(err(&["ibm_*"], &[]).contains("never matches"));
        assert!(err(&[], &["awscc_*"]).starts_with("exclude_types: `awscc_*` never matches"));
        // Patterns that start with a wildcard or a shared prefix can match.
        assert!(filter(&["*_bucket", "a*", "google_*"], &[]).is_ok());
    }
}
