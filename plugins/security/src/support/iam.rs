//! AWS policy documents as they appear in a plan: a JSON string inside a
//! planned value, written by `jsonencode`, a heredoc or `aws_iam_policy_document`.
//!
//! IAM is lenient about shapes (`Statement` may be one object or a list,
//! `Action` a string or a list), so this module normalises them once and the
//! rules only ask questions such as "does this statement allow `iam:PassRole`?".

use serde_json::Value as Json;
use tfwarden_sdk::prelude::*;

/// A parsed policy document.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    pub statements: Vec<Statement>,
}

/// The `Action`/`NotAction` (or `Resource`/`NotResource`) element of a statement.
#[derive(Debug, Clone, PartialEq)]
pub enum Patterns {
    /// `Action`: the listed patterns.
    Only(Vec<String>),
    /// `NotAction`: everything except the listed patterns.
    AllExcept(Vec<String>),
}

/// One statement, reduced to what the rules reason about.
#[derive(Debug, Clone, PartialEq)]
pub struct Statement {
    pub allow: bool,
    pub actions: Patterns,
    pub resources: Patterns,
    /// True when `Principal` (or an `Allow` with `NotPrincipal`) admits anyone.
    pub any_principal: bool,
    /// True when a non-empty `Condition` narrows the statement.
    pub has_condition: bool,
}

impl Patterns {
    /// True when the element covers `name` (IAM matches case-insensitively, with `*` and `?`).
    pub fn covers(&self, name: &str) -> bool {
        match self {
            Patterns::Only(list) => list.iter().any(|p| glob_matches(p, name)),
            Patterns::AllExcept(list) => !list.iter().any(|p| glob_matches(p, name)),
        }
    }

    /// True when the element literally lists everything (`*`, or `*:*` for actions).
    /// `NotAction` never counts: what it leaves out is the author's intent, so
    /// calling it "everything" would be a guess.
    pub fn is_everything(&self) -> bool {
        matches!(self, Patterns::Only(list) if list.iter().any(|p| p == "*" || p == "*:*"))
    }
}

impl Statement {
    /// An `Allow` statement with no condition: what a policy grants unconditionally.
    pub fn allows_unconditionally(&self) -> bool {
        self.allow && !self.has_condition
    }
}

impl Document {
    /// Parses a policy document; `None` when the text is not one.
    pub fn parse(text: &str) -> Option<Document> {
        let json: Json = serde_json::from_str(text).ok()?;
        let statements = match json.get("Statement")? {
            Json::Array(items) => items.iter().filter_map(statement).collect(),
            single @ Json::Object(_) => statement(single).into_iter().collect(),
            _ => return None,
        };
        Some(Document { statements })
    }

    pub fn allow_statements(&self) -> impl Iterator<Item = &Statement> {
        self.statements.iter().filter(|s| s.allow)
    }

    /// What a resource policy lets anyone do: the actions of every `Allow`
    /// for any principal with no condition. Conditions are not evaluated;
    /// any condition counts as a restriction, so this never overstates.
    pub fn public_actions(&self) -> Vec<String> {
        self.allow_statements()
            .filter(|s| s.any_principal && !s.has_condition)
            .flat_map(|s| match &s.actions {
                Patterns::Only(list) => list.clone(),
                Patterns::AllExcept(list) => {
                    vec![format!("every action except {}", list.join(", "))]
                }
            })
            .collect()
    }
}

/// The policy document in the string attribute `key` of `value`. Unknown or
/// sensitive text reads as `Unknown`; empty text, or text that is not a policy
/// document, reads as `Absent` (there is nothing this plugin could judge).
pub fn document_at(value: &Value, key: &str) -> Attr<Document> {
    match value.get(key).str() {
        Known(text) if text.trim().is_empty() => Absent,
        Known(text) => Document::parse(&text).map_or(Absent, Known),
        Unknown => Unknown,
        Absent => Absent,
    }
}

fn statement(json: &Json) -> Option<Statement> {
    let object = json.as_object()?;
    let allow = object
        .get("Effect")?
        .as_str()?
        .eq_ignore_ascii_case("allow");
    let actions = patterns(object.get("Action"), object.get("NotAction"));
    let resources = patterns(object.get("Resource"), object.get("NotResource"));
    let any_principal = match (object.get("Principal"), object.get("NotPrincipal")) {
        (Some(principal), _) => admits_anyone(principal),
        // "Allow everyone except these" admits anyone not listed.
        (None, Some(_)) => allow,
        (None, None) => false,
    };
    let has_condition = object
        .get("Condition")
        .is_some_and(|c| c.as_object().is_some_and(|m| !m.is_empty()));
    Some(Statement {
        allow,
        actions,
        resources,
        any_principal,
        has_condition,
    })
}

fn patterns(listed: Option<&Json>, excluded: Option<&Json>) -> Patterns {
    match (listed, excluded) {
        (Some(listed), _) => Patterns::Only(strings(listed)),
        (None, Some(excluded)) => Patterns::AllExcept(strings(excluded)),
        (None, None) => Patterns::Only(Vec::new()),
    }
}

fn strings(json: &Json) -> Vec<String> {
    match json {
        Json::String(s) => vec![s.clone()],
        Json::Array(items) => items
            .iter()
            .filter_map(|i| i.as_str().map(str::to_owned))
            .collect(),
        _ => Vec::new(),
    }
}

/// `"*"`, `{"AWS": "*"}` or `{"AWS": ["…", "*"]}`: IAM allows no other wildcard in principals.
fn admits_anyone(principal: &Json) -> bool {
    match principal {
        Json::String(s) => s == "*",
        Json::Object(map) => map
            .get("AWS")
            .is_some_and(|aws| strings(aws).iter().any(|s| s == "*")),
        _ => false,
    }
}

/// IAM's wildcard match: `*` any run of characters, `?` one, case-insensitive.
pub fn glob_matches(pattern: &str, text: &str) -> bool {
    let (p, t) = (pattern.as_bytes(), text.as_bytes());
    let (mut pi, mut ti) = (0, 0);
    // Where the last `*` was, and how much text it has swallowed so far.
    let mut backtrack: Option<(usize, usize)> = None;
    while ti < t.len() {
        if pi < p.len() && (p[pi] == b'?' || p[pi].eq_ignore_ascii_case(&t[ti])) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == b'*' {
            backtrack = Some((pi, ti));
            pi += 1;
        } else if let Some((star, swallowed)) = backtrack {
            pi = star + 1;
            ti = swallowed + 1;
            backtrack = Some((star, swallowed + 1));
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|&c| c == b'*')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs() {
        assert!(glob_matches("*", "iam:PassRole"));
        assert!(glob_matches("iam:*", "iam:PassRole"));
        assert!(glob_matches("IAM:pass*", "iam:PassRole"));
        assert!(glob_matches("iam:PassRol?", "iam:PassRole"));
        assert!(glob_matches("*:*", "s3:GetObject"));
        assert!(!glob_matches("iam:Get*", "iam:PassRole"));
        assert!(!glob_matches("iam:PassRole?", "iam:PassRole"));
        assert!(glob_matches("a*b*c", "axxbyyc"));
        assert!(!glob_matches("a*b*c", "axxbyy"));
    }

    #[test]
    fn single_statement_and_strings() {
        let doc = Document::parse(r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}"#)
            .unwrap();
        let s = &doc.statements[0];
        assert!(s.allow && s.actions.is_everything() && s.resources.is_everything());
        assert!(!s.has_condition && !s.any_principal);
    }

    #[test]
    fn lists_not_action_and_conditions() {
        let doc = Document::parse(
            r#"{"Statement":[
              {"Effect":"Allow","NotAction":["iam:*","organizations:*"],"Resource":"*"},
              {"Effect":"Deny","Action":["s3:*"],"Resource":["*"],"Condition":{"Bool":{"aws:SecureTransport":"false"}}},
              {"Effect":"Allow","Principal":{"AWS":["arn:aws:iam::1:root","*"]},"Action":"sts:AssumeRole"}]}"#,
        )
        .unwrap();
        let [power_user, deny, trust] = &doc.statements[..] else {
            panic!()
        };
        assert!(!power_user.actions.is_everything());
        assert!(!power_user.actions.covers("iam:PassRole"));
        assert!(power_user.actions.covers("ec2:RunInstances"));
        assert!(!deny.allow && deny.has_condition);
        assert!(trust.any_principal);
        assert_eq!(doc.allow_statements().count(), 2);
    }

    #[test]
    fn principals() {
        let parse = |p: &str| {
            Document::parse(&format!(
                r#"{{"Statement":[{{"Effect":"Allow",{p},"Action":"s3:GetObject"}}]}}"#
            ))
            .unwrap()
            .statements[0]
                .any_principal
        };
        assert!(parse(r#""Principal":"*""#));
        assert!(parse(r#""Principal":{"AWS":"*"}"#));
        assert!(!parse(r#""Principal":{"Service":"lambda.amazonaws.com"}"#));
        assert!(!parse(
            r#""Principal":{"AWS":"arn:aws:iam::123456789012:root"}"#
        ));
        assert!(parse(
            r#""NotPrincipal":{"AWS":"arn:aws:iam::123456789012:root"}"#
        ));
    }

    #[test]
    fn not_a_policy() {
        assert_eq!(Document::parse("not json"), None);
        assert_eq!(Document::parse(r#"{"Version":"2012-10-17"}"#), None);
        let v = Value::new(
            Some(r#"{"a":"","b":"(sensitive)","c":"[1]"}"#),
            Some(r#"{"d":true}"#),
        );
        assert!(document_at(&v, "a").is_absent());
        assert!(document_at(&v, "b").is_unknown());
        assert!(document_at(&v, "c").is_absent());
        assert!(document_at(&v, "d").is_unknown());
        assert!(document_at(&v, "e").is_absent());
    }
}
