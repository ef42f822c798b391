//! The rule catalogue: `tfwarden rules`, `tfwarden explain`, and one
//! documentation page per rule, identical to the help the plugin carries.

use std::path::Path;

use crate::support::{stderr, stdout, tfwarden};

fn catalogue(dir: &Path) -> Vec<serde_json::Value> {
    let o = tfwarden(&["rules", "--format", "json"], dir);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    serde_json::from_str::<Vec<serde_json::Value>>(&stdout(&o)).unwrap()
}

#[test]
fn rules_lists_every_rule_of_every_built_in() {
    let dir = tempfile::tempdir().unwrap();
    let rules = catalogue(dir.path());
    let plugins: std::collections::BTreeSet<&str> = rules
        .iter()
        .map(|r| r["plugin"].as_str().unwrap())
        .collect();
    assert_eq!(plugins, tfwarden::builtin::names().collect());
    for prefix in ["TAG", "SEC", "LIM", "COST"] {
        assert!(
            rules
                .iter()
                .any(|r| r["id"].as_str().unwrap().starts_with(prefix)),
            "{prefix}"
        );
    }
    assert!(rules.len() >= 40 + 11 + 4 + 3, "{} rules", rules.len());
    for r in &rules {
        for field in ["id", "plugin", "severity", "category", "title"] {
            assert!(
                r[field].as_str().is_some_and(|s| !s.is_empty()),
                "{r}: {field}"
            );
        }
    }
    let text = stdout(&tfwarden(&["rules"], dir.path()));
    assert!(
        text.starts_with("ID       PLUGIN     SEVERITY  CATEGORY       TITLE\n"),
        "{text}"
    );
    assert_eq!(text.lines().count(), rules.len() + 1);
}

#[test]
fn every_rule_has_its_page_in_docs_rules_and_explain_prints_it() {
    let dir = tempfile::tempdir().unwrap();
    let docs = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/rules");
    for rule in catalogue(dir.path()) {
        let id = rule["id"].as_str().unwrap();
        let page = std::fs::read_to_string(docs.join(format!("{id}.md")))
            .unwrap_or_else(|_| panic!("docs/rules/{id}.md"));
        for section in [
            "## What it checks",
            "## Why it matters",
            "## Example",
            "## How to fix",
        ] {
            assert!(page.contains(section), "{id}: {section}");
        }
        assert!(page.starts_with(&format!("# {id}: ")), "{id}");
        let o = tfwarden(&["explain", &id.to_lowercase()], dir.path());
        assert_eq!(o.status.code(), Some(0));
        assert_eq!(
            stdout(&o),
            page,
            "{id}: explain prints the page the plugin carries"
        );
    }
}

#[test]
fn explain_suggests_the_closest_rule() {
    let dir = tempfile::tempdir().unwrap();
    let o = tfwarden(&["explain", "TAG01"], dir.path());
    assert_eq!(o.status.code(), Some(3));
    assert!(
        stderr(&o).contains("no rule `TAG01`") && stderr(&o).contains("did you mean `TAG001`?"),
        "{}",
        stderr(&o)
    );
}
