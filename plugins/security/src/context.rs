//! Everything a rule reads, prepared once per check: the changes grouped by
//! type (so no rule scans the whole plan), the settings, and the reference
//! index, built only if a rule asks for it.

use std::cell::OnceCell;
use std::collections::HashMap;

use tfwarden_sdk::prelude::*;

use crate::settings::Settings;
use crate::support::refs::References;

pub struct Ctx<'a> {
    by_type: HashMap<&'a str, Vec<ResourceChange<'a>>>,
    configuration: Option<&'a str>,
    refs: OnceCell<References<'a>>,
    pub settings: &'a Settings,
}

impl<'a> Ctx<'a> {
    pub fn new(plan: &Plan<'a>, settings: &'a Settings) -> Self {
        let mut by_type: HashMap<&'a str, Vec<ResourceChange<'a>>> = HashMap::new();
        for rc in plan.changes() {
            by_type.entry(rc.type_()).or_default().push(rc);
        }
        Ctx {
            by_type,
            configuration: plan.configuration().raw(),
            refs: OnceCell::new(),
            settings,
        }
    }

    /// Every change of `type_`: managed resources and data sources, whatever the action.
    pub fn all(&self, type_: &str) -> &[ResourceChange<'a>] {
        self.by_type.get(type_).map_or(&[], Vec::as_slice)
    }

    /// Managed resources of `type_` that are created or updated: the ones whose
    /// configuration this change sets, and therefore the ones to judge.
    pub fn configured(&self, type_: &str) -> impl Iterator<Item = ResourceChange<'a>> + '_ {
        self.all(type_)
            .iter()
            .copied()
            .filter(|rc| rc.creates_or_updates())
    }

    /// Managed resources of `type_` that exist after apply (including unchanged
    /// ones): what can protect or link to another resource.
    pub fn remaining(&self, type_: &str) -> impl Iterator<Item = ResourceChange<'a>> + '_ {
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

/// True when the change brings a new object into being (create or replace):
/// rules about what a new resource lacks judge only those, because an
/// existing one may have been completed outside this plan.
pub fn is_new(rc: &ResourceChange) -> bool {
    matches!(
        rc.kind(),
        ChangeKind::Create | ChangeKind::Replace | ChangeKind::ReplaceCreateFirst
    )
}
