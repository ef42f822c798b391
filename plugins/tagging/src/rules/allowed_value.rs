//! TAG002: a tag with a list of allowed values (or a regex) must use one of them.

use tfwarden_sdk::prelude::*;

use super::Subject;
use super::required_tag::origin;
use crate::resource_tags::{Lookup, Source};
use crate::settings::Config;
use crate::tag_map::TagValue;

pub const RULE: Rule = Rule::new("TAG002", Severity::High, "tagging", "tag value not allowed")
    .help(include_str!("../../../../docs/rules/TAG002.md"));

pub fn check(config: &Config, subject: &Subject, out: &mut Findings) {
    let noun = subject.tags.cloud.noun();
    for (key, allowed) in &config.allowed {
        match subject.lookup(key) {
            Lookup::Found {
                attribute,
                source,
                value: TagValue::Known(value),
            } => {
                // TAG001 already reports a required tag left empty.
                if allowed.permits(&value) || (value.trim().is_empty() && config.is_required(key)) {
                    continue;
                }
                let path = subject.path(attribute, key);
                let origin = origin(source, subject);
                let message = format!(
                    "{noun} `{key}` is `{value}`{origin}; use {}",
                    allowed.describe()
                );
                let finding = out.report(RULE.id, subject.rc, &path, message);
                if let (Source::Own, Some(correction)) = (source, allowed.correction(&value)) {
                    finding.fix(&path, correction);
                }
            }
            Lookup::Found {
                attribute,
                value: TagValue::Unknown,
                ..
            } => {
                out.indeterminate(RULE.id, subject.rc, &subject.path(attribute, key));
            }
            Lookup::Found {
                attribute,
                value: TagValue::Sensitive,
                ..
            } => {
                out.indeterminate(RULE.id, subject.rc, &subject.path(attribute, key))
                    .message =
                    format!("the value of {noun} `{key}` is sensitive, so it cannot be checked");
            }
            // For a required key TAG001 already says the key itself is undecided.
            Lookup::Unknown { attribute } if !config.is_required(key) => {
                out.indeterminate(RULE.id, subject.rc, &subject.path(attribute, key))
                    .message = subject.unknown_reason(attribute, key);
            }
            Lookup::Unknown { .. } | Lookup::Absent => {}
        }
    }
}
