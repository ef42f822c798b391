//! Which parent a resource counts toward: the load balancer of a listener, the
//! security group of a rule, the role of an inline policy.
//!
//! A link is read from the planned value when it is known (an ARN, an ID, a
//! name), and otherwise from the configuration's references, followed through
//! module outputs and variables. A link that neither can establish is left
//! unresolved: the checks widen their bounds for it instead of guessing.

use std::borrow::Cow;
use std::collections::{BTreeSet, HashMap};

use tfwarden_sdk::prelude::*;

use crate::address::{Reference, module_block_path, parse_reference, split_last_module, steps};
use crate::config::{Block, Configuration, Leaf, leaves};
use crate::fields::planned;

/// The kinds of resource that other resources attach to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    LoadBalancer,
    Listener,
    TargetGroup,
    SecurityGroup,
    Role,
    User,
    Group,
    PrefixList,
}

impl Kind {
    pub fn of(type_: &str) -> Option<Kind> {
        Some(match type_ {
            "aws_lb" | "aws_alb" => Kind::LoadBalancer,
            "aws_lb_listener" | "aws_alb_listener" => Kind::Listener,
            "aws_lb_target_group" | "aws_alb_target_group" => Kind::TargetGroup,
            "aws_security_group" | "aws_default_security_group" => Kind::SecurityGroup,
            "aws_iam_role" => Kind::Role,
            "aws_iam_user" => Kind::User,
            "aws_iam_group" => Kind::Group,
            "aws_ec2_managed_prefix_list" => Kind::PrefixList,
            _ => return None,
        })
    }

    /// The attributes whose values other resources use to point at this one.
    fn identifiers(self) -> [&'static str; 2] {
        match self {
            Kind::LoadBalancer
            | Kind::Listener
            | Kind::TargetGroup
            | Kind::SecurityGroup
            | Kind::PrefixList => ["arn", "id"],
            // Inline policies name their role, user or group; for these `id` is the name.
            Kind::Role | Kind::User | Kind::Group => ["name", "id"],
        }
    }
}

/// A parent a count is kept for: a resource in the plan, or one known only by
/// its identifier because the plan does not manage it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Node<'a> {
    Change(usize),
    External(Cow<'a, str>),
}

/// True for resources that will exist after apply, so count toward a limit.
pub fn exists_after(rc: &ResourceChange) -> bool {
    rc.is_managed()
        && !matches!(
            rc.kind(),
            ChangeKind::Delete | ChangeKind::Read | ChangeKind::Forget
        )
}

/// Whether a block's expressions set argument `key`.
pub fn block_sets(block: &Block, key: &str) -> bool {
    block
        .expressions
        .is_some_and(|e| crate::fields::pick(e.get(), [key]).is_some_and(|[found]| found.is_some()))
}

/// The links of several slots of one attribute, such as every target group an
/// action forwards to.
#[derive(Debug, Default)]
pub struct Linked<'a> {
    pub nodes: BTreeSet<Node<'a>>,
    /// Slots that point somewhere, but nowhere this plan can name.
    pub unresolved: u64,
    /// The attribute is unknown as a whole, so even the number of slots is.
    pub unbounded: bool,
}

/// Every change of the plan, with indexes for following links between them.
pub struct Links<'a> {
    pub changes: Vec<ResourceChange<'a>>,
    config: Configuration<'a>,
    /// Instances of linkable blocks, by module instance, type and name.
    instances: HashMap<(&'a str, &'a str, &'a str), Vec<usize>>,
    /// Known identifiers of linkable resources, by kind.
    ids: HashMap<Kind, HashMap<Cow<'a, str>, usize>>,
}

/// How deep module outputs and variables are followed; real module trees are shallower.
const MAX_HOPS: usize = 8;

impl<'a> Links<'a> {
    pub fn new(plan: &Plan<'a>) -> Self {
        let changes: Vec<ResourceChange<'a>> = plan.changes().collect();
        let mut instances: HashMap<_, Vec<usize>> = HashMap::new();
        let mut ids: HashMap<Kind, HashMap<Cow<'a, str>, usize>> = HashMap::new();
        for (i, rc) in changes.iter().enumerate() {
            let Some(kind) = Kind::of(rc.type_()) else {
                continue;
            };
            if !exists_after(rc) {
                continue;
            }
            let module = rc.module_address().unwrap_or("");
            instances
                .entry((module, rc.type_(), rc.name()))
                .or_default()
                .push(i);
            for field in planned(rc, kind.identifiers()) {
                if let Known(id) = field.value.str()
                    && !id.is_empty()
                {
                    ids.entry(kind).or_default().entry(id).or_insert(i);
                }
            }
        }
        Links {
            changes,
            config: Configuration::parse(plan.configuration().raw()),
            instances,
            ids,
        }
    }

    pub fn change(&self, i: usize) -> &ResourceChange<'a> {
        &self.changes[i]
    }

    /// The configuration block of change `i`, if the configuration has it.
    pub fn block(&self, i: usize) -> Option<&Block<'a>> {
        let rc = &self.changes[i];
        self.config.block(
            &module_block_path(rc.module_address().unwrap_or("")),
            rc.type_(),
            rc.name(),
        )
    }

    /// Whether change `i`'s block sets argument `key`. Without a configuration
    /// to ask, the answer is yes: a computed value may then be a configured one.
    pub fn configures(&self, i: usize, key: &str) -> bool {
        self.block(i).is_none_or(|block| block_sets(block, key))
    }

    pub fn config(&self) -> &Configuration<'a> {
        &self.config
    }

    /// The node a known identifier names: the plan's resource when it has one.
    pub fn by_id(&self, kind: Kind, id: Cow<'a, str>) -> Node<'a> {
        match self.ids.get(&kind).and_then(|ids| ids.get(id.as_ref())) {
            Some(&i) => Node::Change(i),
            None => Node::External(id),
        }
    }

    /// Where the single-valued attribute `path` of change `from` points.
    pub fn link(
        &self,
        from: usize,
        value: Value<'a>,
        path: &[&str],
        kind: Kind,
    ) -> Option<Node<'a>> {
        if let Known(id) = value.str()
            && !id.is_empty()
        {
            return Some(self.by_id(kind, id));
        }
        let leaves = self.leaves(from, path);
        match leaves.as_slice() {
            [leaf] => self.target_of(from, leaf, kind).map(Node::Change),
            _ => None,
        }
    }

    /// Where every slot of a multi-valued attribute points. `slots` are the
    /// planned values found under `path`; `leaf_keys` names the arguments
    /// under `path` in the configuration that hold the same links.
    pub fn link_all(
        &self,
        from: usize,
        slots: &[Attr<Cow<'a, str>>],
        path: &[&str],
        leaf_keys: &[&str],
        kind: Kind,
    ) -> Linked<'a> {
        let mut linked = Linked::default();
        let mut unknown_slots = 0u64;
        for slot in slots {
            match slot {
                Known(id) if !id.is_empty() => {
                    linked.nodes.insert(self.by_id(kind, id.clone()));
                }
                Unknown => unknown_slots += 1,
                _ => {}
            }
        }
        if unknown_slots == 0 {
            return linked;
        }
        // Each unknown slot is usually a reference to a block this plan creates.
        let mut found_by_reference = 0u64;
        let mut referencing = 0u64;
        let leaves = self.leaves(from, path);
        for leaf in leaves
            .iter()
            .filter(|l| leaf_keys.contains(&l.key.as_ref()))
        {
            referencing += u64::from(!leaf.references.is_empty());
            if let Some(target) = self.target_of(from, leaf, kind)
                && linked.nodes.insert(Node::Change(target))
            {
                found_by_reference += 1;
            }
        }
        // An unknown slot that no expression sets is computed, and empty. Blocks
        // written as `dynamic` are missing from the configuration: no help there.
        let open_slots = match self.block(from) {
            Some(block) if path.first().is_some_and(|key| block_sets(block, key)) => {
                unknown_slots.min(referencing)
            }
            _ => unknown_slots,
        };
        linked.unresolved = open_slots.saturating_sub(found_by_reference);
        linked
    }

    fn leaves(&self, from: usize, path: &[&str]) -> Vec<Leaf<'a>> {
        self.block(from)
            .and_then(|b| b.expressions)
            .map(|e| leaves(e, path))
            .unwrap_or_default()
    }

    /// The one change of `kind` that a leaf expression of change `from` refers to.
    fn target_of(&self, from: usize, leaf: &Leaf<'a>, kind: Kind) -> Option<usize> {
        let rc = &self.changes[from];
        let module = rc.module_address().unwrap_or("");
        let own_key = rc.raw().index.as_deref();
        let mut found = BTreeSet::new();
        let clear = self.collect_targets(module, own_key, &leaf.references, kind, 0, &mut found);
        match (clear, found.len()) {
            (true, 1) => found.into_iter().next(),
            _ => None,
        }
    }

    /// Adds to `found` every change of `kind` that `references` (made in
    /// `module`, by an instance keyed `own_key`) point at. Returns false when
    /// a reference could be any of several instances.
    fn collect_targets(
        &self,
        module: &str,
        own_key: Option<&str>,
        references: &[Cow<'_, str>],
        kind: Kind,
        hops: usize,
        found: &mut BTreeSet<usize>,
    ) -> bool {
        if hops > MAX_HOPS {
            return false;
        }
        let parsed: Vec<Reference> = references.iter().map(|r| parse_reference(r)).collect();
        let uses_own_key = parsed.contains(&Reference::OwnKey);
        let mut clear = true;
        for reference in &parsed {
            match *reference {
                Reference::Resource { type_, name, index } => {
                    if Kind::of(type_) != Some(kind) {
                        continue;
                    }
                    // Terraform lists `aws_lb.main[0]` and `aws_lb.main`; the first says more.
                    let has_indexed_form = parsed.iter().any(|r| {
                        matches!(r, Reference::Resource { type_: t, name: n, index: Some(_) } if *t == type_ && *n == name)
                    });
                    if index.is_none() && has_indexed_form {
                        continue;
                    }
                    let Some(candidates) = self.instances.get(&(module, type_, name)) else {
                        continue;
                    };
                    let key_of = |i: &usize| self.changes[*i].raw().index.as_deref();
                    let pick = match index {
                        Some(wanted) => candidates.iter().find(|i| key_of(i) == Some(wanted)),
                        None if candidates.len() == 1 => candidates.first(),
                        None if uses_own_key && own_key.is_some() => {
                            candidates.iter().find(|i| key_of(i) == own_key)
                        }
                        None => None,
                    };
                    match pick {
                        Some(&i) => {
                            found.insert(i);
                        }
                        None => clear = false,
                    }
                }
                Reference::ModuleOutput {
                    call,
                    index,
                    output,
                } => {
                    let child = match index {
                        Some(i) => crate::address::join(module, &format!("module.{call}[{i}]")),
                        None => crate::address::join(module, &format!("module.{call}")),
                    };
                    let refs = self
                        .config
                        .output_references(&module_block_path(&child), output);
                    clear &= self.collect_targets(&child, None, refs, kind, hops + 1, found);
                }
                Reference::Variable(variable) => {
                    let Some((parent, _)) = split_last_module(module) else {
                        continue;
                    };
                    let refs = self
                        .config
                        .variable_references(&module_block_path(module), variable);
                    let module_key = steps(module).last().and_then(|s| s.index);
                    clear &= self.collect_targets(parent, module_key, &refs, kind, hops + 1, found);
                }
                Reference::OwnKey | Reference::Opaque => {}
            }
        }
        clear
    }
}
