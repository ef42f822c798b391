//! An example policy: taggable resources that are created or updated need an `owner` tag.
//! `sdk/README.md` walks through it line by line.

use tfwarden_sdk::prelude::*;

#[derive(Default)]
pub struct OwnerTag;

impl Policy for OwnerTag {
    const RULES: &'static [Rule] = &[Rule::new(
        "OWN001",
        Severity::High,
        "tagging",
        "resource has no owner tag",
    )];
    type Settings = ();

    fn from_settings(_: ()) -> Result<Self, String> {
        Ok(OwnerTag)
    }

    fn check(&self, plan: &Plan, out: &mut Findings) {
        for rc in plan.changes().filter(|rc| rc.creates_or_updates()) {
            let after = rc.after();
            if after.get("tags").is_absent() && after.get("tags_all").is_absent() {
                continue; // not a taggable resource
            }
            match after.tag("owner") {
                Known(_) => {}
                Unknown => {
                    out.indeterminate("OWN001", &rc, "tags.owner");
                }
                Absent => {
                    out.report("OWN001", &rc, "tags.owner", "add an `owner` tag")
                        .fix("tags.owner", "team-name");
                }
            }
        }
    }
}

export_policy!(OwnerTag);

#[cfg(test)]
mod tests {
    use super::*;
    use tfwarden_sdk::testing::{plan_with, run_json};

    #[test]
    fn flags_missing_owner_only() {
        let missing = plan_with(
            "aws_s3_bucket",
            &["create"],
            r#"{"tags":{"env":"dev"}}"#,
            "{}",
        );
        let out = run_json::<OwnerTag>("null", &missing).unwrap();
        assert_eq!(
            out.failures(),
            [("OWN001".to_string(), "aws_s3_bucket.this".to_string())]
        );

        let present = plan_with(
            "aws_s3_bucket",
            &["create"],
            r#"{"tags":{"owner":"ops"}}"#,
            "{}",
        );
        assert!(
            run_json::<OwnerTag>("null", &present)
                .unwrap()
                .findings
                .is_empty()
        );
    }

    #[test]
    fn unknown_owner_is_indeterminate() {
        let plan = plan_with(
            "aws_s3_bucket",
            &["create"],
            r#"{"tags":{}}"#,
            r#"{"tags":{"owner":true}}"#,
        );
        let out = run_json::<OwnerTag>("null", &plan).unwrap();
        assert!(out.failures().is_empty());
        assert_eq!(out.indeterminates().len(), 1);
    }
}
