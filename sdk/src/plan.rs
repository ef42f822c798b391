//! The `terraform show -json` plan document, parsed once into borrowed, typed structs.
//!
//! Every value a policy might inspect stays a `&RawValue` slice of the original
//! text, so parsing costs one validating scan and no tree is built. Unknown
//! fields are ignored, so newer format versions load.

use std::borrow::Cow;

use serde::Deserialize;
use serde_json::value::RawValue;

/// What Terraform plans to do with one resource instance.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, serde::Serialize,
)]
#[serde(rename_all = "kebab-case")]
pub enum Action {
    NoOp,
    Create,
    Read,
    Update,
    Delete,
    Forget,
}

/// The top level of a plan document. Fields that only other documents have
/// (state files, `terraform show -json` of state) are kept so the loader can
/// say what it was given instead.
#[derive(Debug, Deserialize)]
pub struct PlanFile<'a> {
    #[serde(borrow, default)]
    pub format_version: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    pub terraform_version: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    pub resource_changes: Option<Vec<ResourceChangeJson<'a>>>,
    #[serde(borrow, default)]
    pub deferred_changes: Option<Vec<DeferredChange<'a>>>,
    #[serde(borrow, default)]
    pub configuration: Option<&'a RawValue>,
    #[serde(borrow, default)]
    pub planned_values: Option<&'a RawValue>,
    #[serde(borrow, default)]
    pub output_changes: Option<&'a RawValue>,
    #[serde(default)]
    pub errored: Option<bool>,
    #[serde(default)]
    pub complete: Option<bool>,
    #[serde(default)]
    pub applyable: Option<bool>,
    /// Present in `terraform show -json` of state.
    #[serde(borrow, default)]
    pub values: Option<&'a RawValue>,
    /// Present in raw state files.
    #[serde(borrow, default)]
    pub lineage: Option<&'a RawValue>,
    /// Present in raw state files.
    #[serde(borrow, default)]
    pub resources: Option<&'a RawValue>,
}

/// One entry of `resource_changes`.
#[derive(Debug, Deserialize)]
pub struct ResourceChangeJson<'a> {
    #[serde(borrow)]
    pub address: Cow<'a, str>,
    #[serde(borrow, default)]
    pub previous_address: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    pub module_address: Option<Cow<'a, str>>,
    #[serde(borrow, default = "managed")]
    pub mode: Cow<'a, str>,
    #[serde(borrow, rename = "type")]
    pub type_: Cow<'a, str>,
    #[serde(borrow, default)]
    pub name: Cow<'a, str>,
    #[serde(borrow, default)]
    pub index: Option<&'a RawValue>,
    #[serde(borrow, default)]
    pub deposed: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    pub provider_name: Cow<'a, str>,
    #[serde(borrow)]
    pub change: ChangeJson<'a>,
    #[serde(borrow, default)]
    pub action_reason: Option<Cow<'a, str>>,
}

fn managed() -> Cow<'static, str> {
    Cow::Borrowed("managed")
}

/// The `change` object of a resource change.
#[derive(Debug, Deserialize)]
pub struct ChangeJson<'a> {
    pub actions: Vec<Action>,
    #[serde(borrow, default)]
    pub before: Option<&'a RawValue>,
    #[serde(borrow, default)]
    pub after: Option<&'a RawValue>,
    #[serde(borrow, default)]
    pub after_unknown: Option<&'a RawValue>,
    #[serde(borrow, default)]
    pub before_sensitive: Option<&'a RawValue>,
    #[serde(borrow, default)]
    pub after_sensitive: Option<&'a RawValue>,
    #[serde(borrow, default)]
    pub replace_paths: Option<&'a RawValue>,
    #[serde(borrow, default)]
    pub importing: Option<&'a RawValue>,
}

/// A change Terraform could not plan yet (format 1.2+, `-allow-deferral`).
#[derive(Debug, Deserialize)]
pub struct DeferredChange<'a> {
    #[serde(borrow, default)]
    pub reason: Option<Cow<'a, str>>,
    #[serde(borrow)]
    pub resource_change: ResourceChangeJson<'a>,
}

/// The shape of a change, derived from its action list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ChangeKind {
    NoOp,
    Create,
    Read,
    Update,
    Delete,
    /// Destroy, then create (`["delete", "create"]`).
    Replace,
    /// Create, then destroy (`["create", "delete"]`, create_before_destroy).
    ReplaceCreateFirst,
    /// Removed from state without being destroyed.
    Forget,
    /// Any other combination; judged conservatively as a change.
    Other,
}

impl ChangeKind {
    /// Classifies a Terraform action list.
    pub fn of(actions: &[Action]) -> Self {
        use Action as A;
        match actions {
            [] | [A::NoOp] => Self::NoOp,
            [A::Create] => Self::Create,
            [A::Read] => Self::Read,
            [A::Update] => Self::Update,
            [A::Delete] => Self::Delete,
            [A::Delete, A::Create] => Self::Replace,
            [A::Create, A::Delete] => Self::ReplaceCreateFirst,
            [A::Forget] => Self::Forget,
            _ => Self::Other,
        }
    }

    /// True when the resource will exist with new configuration after apply.
    pub fn creates_or_updates(self) -> bool {
        matches!(
            self,
            Self::Create | Self::Update | Self::Replace | Self::ReplaceCreateFirst | Self::Other
        )
    }

    /// True when the existing object is destroyed (delete or either replace).
    pub fn destroys(self) -> bool {
        matches!(
            self,
            Self::Delete | Self::Replace | Self::ReplaceCreateFirst
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_every_action_list() {
        use Action as A;
        let cases: &[(&[Action], ChangeKind)] = &[
            (&[A::NoOp], ChangeKind::NoOp),
            (&[A::Create], ChangeKind::Create),
            (&[A::Read], ChangeKind::Read),
            (&[A::Update], ChangeKind::Update),
            (&[A::Delete], ChangeKind::Delete),
            (&[A::Delete, A::Create], ChangeKind::Replace),
            (&[A::Create, A::Delete], ChangeKind::ReplaceCreateFirst),
            (&[A::Forget], ChangeKind::Forget),
            (&[A::Create, A::Forget], ChangeKind::Other),
        ];
        for (actions, kind) in cases {
            assert_eq!(ChangeKind::of(actions), *kind, "{actions:?}");
        }
        assert!(ChangeKind::Replace.destroys() && ChangeKind::Replace.creates_or_updates());
        assert!(!ChangeKind::Delete.creates_or_updates());
        assert!(!ChangeKind::Forget.destroys());
    }

    #[test]
    fn parses_actions_and_tolerates_unknown_fields() {
        let text = r#"{"format_version":"9.9","future":{"x":1},
            "resource_changes":[{"address":"a.b","type":"a","name":"b","provider_name":"p",
            "change":{"actions":["create","delete"],"before":null,"after":{"k":1},"new_field":true}}]}"#;
        let plan: PlanFile = serde_json::from_str(text).unwrap();
        let rc = &plan.resource_changes.unwrap()[0];
        assert_eq!(rc.change.actions, vec![Action::Create, Action::Delete]);
        assert!(rc.change.before.is_none());
        assert_eq!(rc.change.after.unwrap().get(), r#"{"k":1}"#);
        assert_eq!(rc.mode, "managed");
    }
}
