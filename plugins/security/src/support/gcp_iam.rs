//! Who a Google IAM resource grants what, for the `_iam_member`,
//! `_iam_binding` and `_iam_policy` variants that every google resource type
//! comes in, so rules judge grants without caring which variant carries them.

use serde_json::Value as Json;
use tfwarden_sdk::prelude::*;

use crate::context::Resource;

/// One role granted to one member.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grant {
    /// Where the member sits, for the finding's path.
    pub path: String,
    pub role: String,
    pub member: String,
}

/// The members Google treats as "anyone": on IAM and on legacy ACL entities.
pub fn is_public_member(member: &str) -> bool {
    matches!(member, "allUsers" | "allAuthenticatedUsers")
}

/// The grants of an IAM resource. `Unknown` when the members or the policy
/// are known only after apply (a finding must then be indeterminate).
pub fn grants(rc: &Resource) -> Attr<Vec<Grant>> {
    let after = rc.after();
    let type_ = rc.type_();
    if type_.ends_with("_iam_member") {
        let role = after.get("role").str().known().unwrap_or_default();
        after.get("member").str().map(|member| {
            vec![Grant {
                path: "member".into(),
                role: role.into_owned(),
                member: member.into_owned(),
            }]
        })
    } else if type_.ends_with("_iam_binding") {
        let role = after
            .get("role")
            .str()
            .known()
            .unwrap_or_default()
            .into_owned();
        let members = after.get("members").items();
        members.map(|members| {
            members
                .iter()
                .enumerate()
                .filter_map(|(i, m)| {
                    let member = m.str().known()?;
                    Some(Grant {
                        path: format!("members.{i}"),
                        role: role.clone(),
                        member: member.into_owned(),
                    })
                })
                .collect()
        })
    } else if type_.ends_with("_iam_policy") {
        after
            .get("policy_data")
            .str()
            .map(|text| policy_grants(&text))
    } else {
        Absent
    }
}

/// The grants in a `policy_data` document (`data.google_iam_policy` output).
fn policy_grants(text: &str) -> Vec<Grant> {
    let Ok(policy) = serde_json::from_str::<Json>(text) else {
        return Vec::new();
    };
    let Some(bindings) = policy.get("bindings").and_then(Json::as_array) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for binding in bindings {
        let role = binding
            .get("role")
            .and_then(Json::as_str)
            .unwrap_or_default();
        for member in binding
            .get("members")
            .and_then(Json::as_array)
            .into_iter()
            .flatten()
        {
            if let Some(member) = member.as_str() {
                out.push(Grant {
                    path: "policy_data".into(),
                    role: role.into(),
                    member: member.into(),
                });
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use tfwarden_sdk::input::Change;

    fn change(type_: &str, after: &str, unknown: &str) -> Change {
        Change {
            address: format!("{type_}.x"),
            mode: "managed".into(),
            type_: type_.into(),
            name: "x".into(),
            after: Some(after.into()),
            after_unknown: Some(unknown.into()),
            ..Change::default()
        }
    }

    #[test]
    fn reads_every_variant() {
        let member = change(
            "google_project_iam_member",
            r#"{"role":"roles/viewer","member":"allUsers"}"#,
            "{}",
        );
        let got = grants(&Resource::new(ResourceChange::new(&member)))
            .known()
            .unwrap();
        assert_eq!(got[0].member, "allUsers");
        assert_eq!(got[0].path, "member");

        let binding = change(
            "google_project_iam_binding",
            r#"{"role":"roles/editor","members":["user:a@b.c",null]}"#,
            r#"{"members":[false,true]}"#,
        );
        let got = grants(&Resource::new(ResourceChange::new(&binding)))
            .known()
            .unwrap();
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].path, "members.0");

        let policy = change(
            "google_project_iam_policy",
            r#"{"policy_data":"{\"bindings\":[{\"role\":\"roles/owner\",\"members\":[\"allAuthenticatedUsers\"]}]}"}"#,
            "{}",
        );
        let got = grants(&Resource::new(ResourceChange::new(&policy)))
            .known()
            .unwrap();
        assert_eq!(
            (got[0].role.as_str(), got[0].member.as_str()),
            ("roles/owner", "allAuthenticatedUsers")
        );

        let unknown = change(
            "google_project_iam_member",
            r#"{"role":"roles/viewer"}"#,
            r#"{"member":true}"#,
        );
        assert!(grants(&Resource::new(ResourceChange::new(&unknown))).is_unknown());
    }
}
