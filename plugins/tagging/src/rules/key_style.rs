//! TAG003: the keys a resource sets must follow the configured naming style.

use tfwarden_sdk::prelude::*;

use super::Subject;
use crate::settings::Config;

pub const RULE: Rule = Rule::new(
    "TAG003",
    Severity::Low,
    "tagging",
    "tag key does not follow the naming style",
)
.help(include_str!("../../../../docs/rules/TAG003.md"));

/// Only the resource's own keys: keys from provider defaults would repeat the
/// same finding on every resource, and belong to the provider block.
pub fn check(config: &Config, subject: &Subject, out: &mut Findings) {
    let Some(style) = config.key_style else {
        return;
    };
    let noun = subject.tags.cloud.noun();
    let attribute = subject.tags.own_attribute;
    for key in subject.tags.own.keys() {
        if style.accepts(key) || config.is_style_exempt(key) {
            continue;
        }
        let advice = match style.suggest(key) {
            Some(better) => format!("; rename it to `{better}`"),
            None => String::new(),
        };
        let message = format!("{noun} key `{key}` is not {}{advice}", style.name());
        out.report(RULE.id, subject.rc, &format!("{attribute}.{key}"), message);
    }
}
