//! Answers "is some resource of kind X attached to this one?" (a public access
//! block to a bucket, a flow log to a VPC) from what the plan shows: a visible
//! reference, or the same known name on both sides.
//!
//! The answer has a third value, `Unseen`, for when some attacher points
//! somewhere this plugin cannot follow (a variable, a module output, a value
//! known only after apply). Rules turn that into an indeterminate finding,
//! never a definite one.

use std::borrow::Cow;
use std::collections::HashSet;

use tfwarden_sdk::prelude::*;

use super::refs::{References, Target, block_address};
use crate::context::Resource;

/// What the attachers of one kind point at, in sets so that looking up one
/// resource costs the same however many attachers the plan has.
#[derive(Debug, Default)]
pub struct Attachments {
    /// Targets named through configuration references, keyed or whole-block.
    targets: HashSet<Target>,
    /// The blocks of `targets`, for questions about a whole block.
    blocks: HashSet<String>,
    /// Known values of the linking attribute (bucket names, VPC ids).
    names: HashSet<String>,
    /// Some attacher's target could not be seen.
    unseen: bool,
}

/// Whether a resource has an attacher.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Attached {
    Yes,
    No,
    /// An attacher exists whose target cannot be seen; it may be this one.
    Unseen,
}

impl Attachments {
    /// Collects where `attachers` point through their attribute `attr`, a
    /// reference to a resource of `target_type` or its name.
    pub fn collect<'a>(
        refs: &References,
        attachers: impl IntoIterator<Item = Resource<'a>>,
        attr: &str,
        target_type: &str,
    ) -> Self {
        let mut out = Attachments::default();
        for attacher in attachers {
            let targets = refs.targets(&attacher, attr, target_type);
            let name = attacher.after().get(attr).str();
            if let Known(name) = &name {
                out.names.insert(name.to_string());
            }
            if targets.is_empty() && !name.is_known() {
                out.unseen = true;
            }
            for target in targets {
                out.blocks.insert(target.block.clone());
                out.targets.insert(target);
            }
        }
        out
    }

    /// True when nothing was collected.
    pub fn is_empty(&self) -> bool {
        self.targets.is_empty() && self.names.is_empty() && !self.unseen
    }

    /// Whether `rc`, whose linking name (such as a bucket's `bucket`) is
    /// `name`, has an attacher.
    pub fn of(&self, rc: &ResourceChange, name: &Attr<Cow<str>>) -> Attached {
        let block = block_address(rc);
        let whole = Target { block, key: None };
        let instance = Target {
            key: rc.raw().index.clone(),
            ..whole.clone()
        };
        if self.targets.contains(&whole) || self.targets.contains(&instance) {
            return Attached::Yes;
        }
        // A name known only after apply cannot match a known attacher name:
        // the attacher could not have known it either. Only references link it.
        match name {
            Known(name) if self.names.contains(name.as_ref()) => Attached::Yes,
            _ if self.unseen => Attached::Unseen,
            _ => Attached::No,
        }
    }

    /// Whether the resource that `target` or `name` identifies (seen from
    /// another resource that links to it) has an attacher. Used when two
    /// resources both point at a third, such as an ACL and a public access block.
    pub fn of_target(&self, targets: &[Target], name: &Attr<Cow<str>>) -> bool {
        targets
            .iter()
            .any(|t| self.targets.iter().any(|mine| same_instance(mine, t)))
            || matches!(name, Known(name) if self.names.contains(name.as_ref()))
    }
}

/// Two references name the same resource instance, or one names the whole block.
fn same_instance(a: &Target, b: &Target) -> bool {
    a.block == b.block && (a.key.is_none() || b.key.is_none() || a.key == b.key)
}
