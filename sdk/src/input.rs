//! What one plugin receives for one check: the plan context and the resource
//! changes it subscribed to, already redacted.
//!
//! The host builds this from the parsed plan; so do the SDK's testing helpers,
//! through the same function, so a native test sees what the wasm plugin sees.

use crate::plan::{Action, ChangeKind, PlanFile, ResourceChangeJson};
use crate::redact::redact;

/// The plan context of a check.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PlanContext {
    pub terraform_version: String,
    pub format_version: String,
    pub target: String,
    /// The plan's `configuration` section as JSON, for plugins that ask for it.
    pub configuration: Option<String>,
}

/// One resource change as a plugin sees it: values as JSON text, secrets redacted.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Change {
    pub address: String,
    pub module_address: Option<String>,
    pub mode: String,
    pub type_: String,
    pub name: String,
    pub index: Option<String>,
    pub provider_name: String,
    pub actions: Vec<Action>,
    pub before: Option<String>,
    pub after: Option<String>,
    pub after_unknown: Option<String>,
    pub action_reason: Option<String>,
}

/// Everything one check call receives.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CheckInput {
    pub context: PlanContext,
    pub changes: Vec<Change>,
}

/// Which changes a plugin wants, from its metadata.
#[derive(Debug, Clone, Copy)]
pub struct Subscription<'a> {
    pub resource_types: &'a [String],
    pub needs_configuration: bool,
}

impl Subscription<'_> {
    /// Whether the plugin subscribed to a resource type. Entries may be globs
    /// such as `google_*_iam_member`; exact types answer in constant time, for
    /// plans with tens of thousands of changes.
    fn matcher(&self) -> impl Fn(&str) -> bool + '_ {
        let all = self.resource_types.iter().any(|t| t == "*");
        let (globs, exact): (Vec<&String>, Vec<&String>) = self
            .resource_types
            .iter()
            .partition(|t| t.contains(['*', '?']));
        let exact: std::collections::HashSet<&str> =
            exact.into_iter().map(String::as_str).collect();
        move |type_: &str| {
            all || exact.contains(type_) || globs.iter().any(|g| crate::glob::matches(g, type_))
        }
    }
}

/// The redacted `before` and `after` of every change that has sensitive
/// values, computed once per plan and shared by every plugin's input.
#[derive(Debug, Default)]
pub struct Redactions {
    by_index: std::collections::HashMap<usize, (Option<String>, Option<String>)>,
}

impl Redactions {
    /// Redacts the changes of `plan` that have sensitive values.
    pub fn of(plan: &PlanFile<'_>) -> Self {
        let by_index = plan
            .resource_changes
            .iter()
            .flatten()
            .enumerate()
            .filter(|(_, rc)| {
                !crate::redact::mask_is_empty(rc.change.before_sensitive)
                    || !crate::redact::mask_is_empty(rc.change.after_sensitive)
            })
            .map(|(i, rc)| {
                let c = &rc.change;
                (
                    i,
                    (
                        c.before.map(|v| redact(v, c.before_sensitive)),
                        c.after.map(|v| redact(v, c.after_sensitive)),
                    ),
                )
            })
            .collect();
        Redactions { by_index }
    }
}

impl Change {
    /// Copies one plan entry, redacting sensitive values.
    pub fn from_plan(rc: &ResourceChangeJson<'_>) -> Self {
        let c = &rc.change;
        let before = c.before.map(|v| redact(v, c.before_sensitive));
        let after = c.after.map(|v| redact(v, c.after_sensitive));
        Self::with_values(rc, before, after)
    }

    /// Copies one plan entry whose values are already redacted (or need no redaction).
    fn with_values(
        rc: &ResourceChangeJson<'_>,
        before: Option<String>,
        after: Option<String>,
    ) -> Self {
        let c = &rc.change;
        Change {
            address: rc.address.to_string(),
            module_address: rc.module_address.as_deref().map(str::to_owned),
            mode: rc.mode.to_string(),
            type_: rc.type_.to_string(),
            name: rc.name.to_string(),
            index: rc.index.map(|i| i.get().to_owned()),
            provider_name: rc.provider_name.to_string(),
            actions: c.actions.clone(),
            before,
            after,
            after_unknown: c.after_unknown.map(|v| v.get().to_owned()),
            action_reason: rc.action_reason.as_deref().map(str::to_owned),
        }
    }
}

impl CheckInput {
    /// The input for one plugin: the subscribed changes of `plan`, in plan order.
    pub fn for_plugin(plan: &PlanFile<'_>, target: &str, subscription: Subscription<'_>) -> Self {
        Self::for_plugin_with(plan, target, subscription, &Redactions::of(plan))
    }

    /// [`for_plugin`](Self::for_plugin) with redactions computed once for all plugins.
    pub fn for_plugin_with(
        plan: &PlanFile<'_>,
        target: &str,
        subscription: Subscription<'_>,
        redactions: &Redactions,
    ) -> Self {
        let wants = subscription.matcher();
        let changes = plan
            .resource_changes
            .iter()
            .flatten()
            .enumerate()
            .filter(|(_, rc)| wants(&rc.type_))
            .map(|(i, rc)| match redactions.by_index.get(&i) {
                Some((before, after)) => Change::with_values(rc, before.clone(), after.clone()),
                None => Change::with_values(
                    rc,
                    rc.change.before.map(|v| v.get().to_owned()),
                    rc.change.after.map(|v| v.get().to_owned()),
                ),
            })
            .collect();
        CheckInput {
            context: Self::context(plan, target, subscription.needs_configuration),
            changes,
        }
    }

    /// The same check as it would have looked before this plan: resources being
    /// created are gone, updated and replaced ones show their prior values, the
    /// rest stay. `None` when nothing is updated or replaced, since then no
    /// finding can be pre-existing.
    pub fn before_world(&self) -> Option<CheckInput> {
        self.clone().into_before_world()
    }

    /// [`before_world`](Self::before_world), reusing this input's strings.
    pub fn into_before_world(self) -> Option<CheckInput> {
        use crate::plan::ChangeKind as K;
        let mut changed = false;
        let changes = self
            .changes
            .into_iter()
            .filter_map(|mut c| match ChangeKind::of(&c.actions) {
                K::Create => None,
                K::Update | K::Replace | K::ReplaceCreateFirst => {
                    changed = true;
                    c.after = Some(c.before.take()?);
                    c.after_unknown = None;
                    c.actions = vec![Action::Update];
                    Some(c)
                }
                _ => Some(c),
            })
            .collect();
        changed.then_some(CheckInput {
            context: self.context,
            changes,
        })
    }

    /// The plan context, with the configuration only when asked for.
    pub fn context(plan: &PlanFile<'_>, target: &str, with_configuration: bool) -> PlanContext {
        PlanContext {
            terraform_version: plan
                .terraform_version
                .as_deref()
                .unwrap_or_default()
                .to_owned(),
            format_version: plan
                .format_version
                .as_deref()
                .unwrap_or_default()
                .to_owned(),
            target: target.to_owned(),
            configuration: with_configuration
                .then(|| plan.configuration.map(|c| c.get().to_owned()))
                .flatten(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PLAN: &str = r#"{"format_version":"1.2","terraform_version":"1.11.0",
      "configuration":{"root_module":{}},
      "resource_changes":[
        {"address":"aws_db_instance.db","type":"aws_db_instance","name":"db","provider_name":"aws",
         "change":{"actions":["update"],"before":{"password":"old-secret"},"after":{"password":"new-secret"},
                   "before_sensitive":{"password":true},"after_sensitive":{"password":true},"after_unknown":{}}},
        {"address":"aws_s3_bucket.b","type":"aws_s3_bucket","name":"b","provider_name":"aws",
         "change":{"actions":["create"],"before":null,"after":{"bucket":"b"}}}]}"#;

    #[test]
    fn subscribes_redacts_and_orders() {
        let plan: PlanFile = serde_json::from_str(PLAN).unwrap();
        let types = vec!["aws_db_instance".to_string()];
        let input = CheckInput::for_plugin(
            &plan,
            "prod",
            Subscription {
                resource_types: &types,
                needs_configuration: false,
            },
        );
        assert_eq!(input.changes.len(), 1);
        let db = &input.changes[0];
        assert_eq!(db.after.as_deref(), Some(r#"{"password":"(sensitive)"}"#));
        assert_eq!(db.before.as_deref(), Some(r#"{"password":"(sensitive)"}"#));
        assert_eq!(input.context.configuration, None);
        assert_eq!(input.context.target, "prod");

        let all = vec!["*".to_string()];
        let input = CheckInput::for_plugin(
            &plan,
            "prod",
            Subscription {
                resource_types: &all,
                needs_configuration: true,
            },
        );
        assert_eq!(input.changes.len(), 2);
        assert_eq!(
            input.context.configuration.as_deref(),
            Some(r#"{"root_module":{}}"#)
        );
    }

    #[test]
    fn before_world_drops_creates_and_rewinds_updates() {
        let plan: PlanFile = serde_json::from_str(PLAN).unwrap();
        let all = vec!["*".to_string()];
        let sub = Subscription {
            resource_types: &all,
            needs_configuration: false,
        };
        let input = CheckInput::for_plugin(&plan, "t", sub);
        let before = input.before_world().unwrap();
        assert_eq!(
            before.changes.len(),
            1,
            "the created bucket did not exist before"
        );
        assert_eq!(before.changes[0].after, input.changes[0].before);
        let only_create = CheckInput {
            changes: input.changes[1..].to_vec(),
            ..input.clone()
        };
        assert!(only_create.before_world().is_none());
    }
}
