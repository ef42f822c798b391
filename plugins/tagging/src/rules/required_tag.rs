//! TAG001: taggable resources must carry every required tag, with a value.

use tfwarden_sdk::prelude::*;

use super::Subject;
use crate::cloud::KeyMatch;
use crate::resource_tags::{Lookup, Source};
use crate::settings::Config;
use crate::tag_map::TagValue;

pub const RULE: Rule = Rule::new("TAG001", Severity::High, "tagging", "required tag missing")
    .help(include_str!("../../../../docs/rules/TAG001.md"));

pub fn check(config: &Config, subject: &Subject, out: &mut Findings) {
    let noun = subject.tags.cloud.noun();
    for key in &config.required {
        match subject.lookup(key) {
            Lookup::Found {
                value: TagValue::Known(value),
                attribute,
                source,
            } if value.trim().is_empty() => {
                let path = subject.path(attribute, key);
                let origin = origin(source, subject);
                let finding = out.report(
                    RULE.id,
                    subject.rc,
                    &path,
                    format!("required {noun} `{key}` is empty{origin}"),
                );
                if source == Source::Own {
                    finding.fix(&path, placeholder(config, subject, key));
                }
            }
            // A value that is unknown or sensitive is still a value: the key is there.
            Lookup::Found { .. } => {}
            Lookup::Unknown { attribute } => {
                let path = subject.path(attribute, key);
                out.indeterminate(RULE.id, subject.rc, &path).message =
                    subject.unknown_reason(attribute, key);
            }
            Lookup::Absent => {
                let path = subject.path(subject.tags.own_attribute, key);
                let hint = match (near_miss(subject, key), config.allowed_values(key)) {
                    (Some(found), _) => format!(
                        " (`{found}` is set, but {})",
                        subject.tags.cloud.case_rule()
                    ),
                    (None, Some(allowed)) => format!(" (use {})", allowed.describe()),
                    (None, None) => String::new(),
                };
                out.report(
                    RULE.id,
                    subject.rc,
                    &path,
                    format!("required {noun} `{key}` is missing{hint}"),
                )
                .fix(&path, placeholder(config, subject, key));
            }
        }
    }
}

/// A key the resource sets that differs from `key` only in case: the likely
/// reason an AWS tag reads as missing.
fn near_miss<'s>(subject: &Subject<'s, '_>, key: &str) -> Option<&'s str> {
    subject
        .tags
        .own
        .keys()
        .find(|k| KeyMatch::IgnoreCase.same(k, key))
}

/// Where a value came from, when it is not the resource's own block.
pub fn origin(source: Source, subject: &Subject) -> String {
    let noun = subject.tags.cloud.noun();
    match source {
        Source::Own => String::new(),
        Source::Merged | Source::ProviderDefaults => {
            format!(" (set by the provider's default {noun}s)")
        }
    }
}

/// The value a suggested fix fills in: the only allowed value, or a
/// placeholder a reviewer cannot mistake for a real owner.
fn placeholder(config: &Config, subject: &Subject, key: &str) -> String {
    config
        .allowed_values(key)
        .and_then(|allowed| allowed.sole_value())
        .map(str::to_owned)
        .unwrap_or_else(|| format!("<{}>", subject.tags.cloud.spell_key(key)))
}
