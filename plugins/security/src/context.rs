//! Everything a rule reads, prepared once per check: the changes grouped by
//! type (so no rule scans the whole plan), the settings, and the reference
//! index, built only if a rule asks for it.

use std::cell::OnceCell;
use std::collections::HashMap;
use std::ops::Deref;

use tfwarden_sdk::prelude::*;

use crate::settings::Settings;
use crate::support::refs::References;

/// A resource change with its planned values read once. Every rule that
/// looks at a change shares this view instead of re-reading the JSON; in
/// every other way it is the change itself.
#[derive(Debug, Clone, Copy)]
pub struct Resource<'a> {
    change: ResourceChange<'a>,
    after: Value<'a>,
}

impl<'a> Resource<'a> {
    pub fn new(change: ResourceChange<'a>) -> Self {
        Resource {
            change,
            after: change.after(),
        }
    }

    /// The planned values, aware of what is unknown until apply.
    pub fn after(&self) -> Value<'a> {
        self.after
    }
}

impl<'a> Deref for Resource<'a> {
    type Target = ResourceChange<'a>;

    fn deref(&self) -> &ResourceChange<'a> {
        &self.change
    }
}

pub struct Ctx<'a> {
    by_type: HashMap<&'a str, Vec<Resource<'a>>>,
    configuration: Option<&'a str>,
    refs: OnceCell<References<'a>>,
    pub settings: &'a Settings,
}

impl<'a> Ctx<'a> {
    pub fn new(plan: &Plan<'a>, settings: &'a Settings) -> Self {
        let mut by_type: HashMap<&'a str, Vec<Resource<'a>>> = HashMap::new();
        for rc in plan.changes() {
            by_type
                .entry(rc.type_())
                .or_default()
                .push(Resource::new(rc));
        }
        Ctx {
            by_type,
            configuration: plan.configuration().raw(),
            refs: OnceCell::new(),
            settings,
        }
    }

    /// Every change of `type_`: managed resources and data sources, whatever the action.
    pub fn all(&self, type_: &str) -> &[Resource<'a>] {
        self.by_type.get(type_).map_or(&[], Vec::as_slice)
    }

    /// Managed resources of `type_` that are created or updated: the ones whose
    /// configuration this change sets, and therefore the ones to judge.
    pub fn configured(&self, type_: &str) -> impl Iterator<Item = Resource<'a>> + '_ {
        self.all(type_)
            .iter()
            .copied()
            .filter(|rc| rc.creates_or_updates())
    }

    /// Managed resources of `type_` that exist after apply (including unchanged
    /// ones): what can protect or link to another resource.
    pub fn remaining(&self, type_: &str) -> impl Iterator<Item = Resource<'a>> + '_ {
        self.all(type_)
            .iter()
            .copied()
            .filter(|rc| rc.is_managed() && !rc.is_delete() && rc.kind() != ChangeKind::Read)
    }

    /// The configuration reference index, built on first use.
    pub fn refs(&self) -> &References<'a> {
        self.refs
            .get_or_init(|| References::build(self.configuration))
    }
}

impl Ctx<'_> {
    /// True when the configuration sets the attribute at `path` (such as
    /// `acl` or `vpc_config.0.public_access_cidrs`) on `rc`'s block. Tells
    /// "unknown because it is computed from something the user wrote" (worth
    /// an indeterminate finding) from "unknown because unset and left to the
    /// provider's default" (nothing the change decided).
    pub fn configures(&self, rc: &ResourceChange, path: &str) -> bool {
        let expressions = self.refs().expressions(rc);
        match path.rsplit_once('.') {
            Some((parent, attr)) => expressions.path(parent).has(attr),
            None => expressions.has(path),
        }
    }
}

impl Ctx<'_> {
    /// True when this change sets the attribute at `path` to something: a
    /// known non-empty value, or a value known only after apply that the
    /// configuration writes (such as a key created in the same plan). An
    /// unset attribute that the provider computes does not count.
    pub fn sets(&self, rc: &Resource, path: &str) -> bool {
        let value = rc.after().path(path);
        match value.str() {
            Known(text) => !text.is_empty(),
            Unknown => self.configures(rc, path),
            Absent => matches!(value.items(), Known(items) if !items.is_empty()),
        }
    }
}

/// True when the change brings a new object into being (create or replace):
/// rules about what a new resource lacks judge only those, because an
/// existing one may have been completed outside this plan.
pub fn is_new(rc: &ResourceChange) -> bool {
    matches!(
        rc.kind(),
        ChangeKind::Create | ChangeKind::Replace | ChangeKind::ReplaceCreateFirst
    )
}
