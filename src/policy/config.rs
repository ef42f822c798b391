//! `tfwarden.toml`: which plugins run with which settings and limits, how each
//! rule is enforced, and waivers. Files nest: a monorepo keeps one at its root
//! and refines it per target directory, nearer files winning. Errors point at
//! the offending key.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use miette::{Diagnostic, NamedSource, SourceSpan};
use schemars::JsonSchema;
use serde::Deserialize;
use tfwarden_sdk::policy::Severity;
use thiserror::Error;
use toml::Spanned;

use crate::runtime::Limits;

/// The name of the configuration file.
pub const FILE_NAME: &str = "tfwarden.toml";

/// The label that overrides `soft` rules unless the configuration names another.
pub const DEFAULT_OVERRIDE_LABEL: &str = "tfwarden-override";

/// A configuration file: the schema users write, also published as JSON Schema.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "tfwarden.toml")]
pub struct ConfigFile {
    /// The lowest severity that blocks a merge; `--fail-on` wins over it. Default: high.
    #[schemars(schema_with = "severity_schema")]
    pub fail_on: Option<Severity>,
    /// The pull-request label that overrides `soft` rules. Default: tfwarden-override.
    pub override_label: Option<String>,
    /// Whether findings the resource already had before this plan block. Default: false.
    pub block_pre_existing: Option<bool>,
    /// Whether findings that depend on values known only after apply block. Default: false.
    pub block_indeterminate: Option<bool>,
    /// Plugins by name: built-in names configure the built-ins; other names need a `path`.
    #[serde(default)]
    #[schemars(with = "BTreeMap<String, PluginConfig>")]
    pub plugins: BTreeMap<Spanned<String>, PluginConfig>,
    /// Per-rule severity and enforcement, by rule id.
    #[serde(default)]
    #[schemars(with = "BTreeMap<String, RuleConfig>")]
    pub rules: BTreeMap<Spanned<String>, RuleConfig>,
    /// Exceptions, each with a reason and, ideally, an owner and an expiry date.
    #[serde(default)]
    pub waivers: Vec<WaiverConfig>,
}

/// One plugin's entry.
#[derive(Debug, Default, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PluginConfig {
    /// `false` turns the plugin off.
    pub enabled: Option<bool>,
    /// A `.wasm` component, relative to the file that names it.
    pub path: Option<PathBuf>,
    /// The sha256 the `.wasm` must have.
    pub sha256: Option<String>,
    /// Passed to the plugin, which validates it before any check runs.
    #[schemars(with = "serde_json::Value")]
    pub settings: Option<toml::Value>,
    /// Seconds each call into the plugin may take. Default: 30.
    pub deadline_seconds: Option<f64>,
    /// MiB of memory the plugin may use. Default: 1024.
    pub memory_mib: Option<u64>,
}

/// How strictly a rule gates a merge.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Enforcement {
    /// Reported, never blocks.
    Advisory,
    /// Blocks unless overridden by the override label or `--override`.
    Soft,
    /// Always blocks.
    Hard,
}

/// One rule's entry.
#[derive(Debug, Default, Clone, Copy, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RuleConfig {
    /// Replaces the rule's default severity.
    #[schemars(schema_with = "severity_schema")]
    pub severity: Option<Severity>,
    /// Default: soft.
    pub enforcement: Option<Enforcement>,
}

/// An exception for findings of a rule on matching addresses.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct WaiverConfig {
    /// A rule id, or `*` for every rule.
    #[schemars(with = "String")]
    pub rule: Spanned<String>,
    /// An address pattern where `*` matches anything: `module.legacy.*`, `aws_s3_bucket.logs["*"]`.
    pub address: String,
    /// Why the exception is acceptable. Required.
    #[schemars(with = "String")]
    pub reason: Option<Spanned<String>>,
    /// Who answers for it.
    pub owner: Option<String>,
    /// The last day it applies (YYYY-MM-DD); afterwards it is reported as expired.
    #[schemars(with = "String")]
    pub expires: Option<toml::value::Datetime>,
}

fn severity_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
    schemars::json_schema!({ "type": "string", "enum": ["info", "low", "medium", "high", "critical"] })
}

/// The text of one configuration file, kept for diagnostics.
#[derive(Debug, Clone)]
pub struct Origin {
    pub path: PathBuf,
    pub text: Arc<str>,
}

impl Origin {
    /// A diagnostic span in this file.
    pub fn source(&self) -> NamedSource<String> {
        NamedSource::new(self.path.display().to_string(), self.text.to_string())
    }
}

/// A rule entry with the file it came from.
#[derive(Debug, Clone)]
pub struct RuleEntry {
    pub config: RuleConfig,
    pub origin: Origin,
    pub span: SourceSpan,
}

/// A waiver with the file it came from.
#[derive(Debug, Clone)]
pub struct Waiver {
    pub config: WaiverConfig,
    pub origin: Origin,
    /// For `# tfwarden:ignore` comments: the line, and the address is a
    /// declaration that covers every instance of the resource.
    pub inline_line: Option<usize>,
}

/// The configuration in force: every file from the repository root down to
/// the working directory, merged.
#[derive(Debug, Default)]
pub struct Config {
    pub fail_on: Option<Severity>,
    pub override_label: Option<String>,
    pub block_pre_existing: bool,
    pub block_indeterminate: bool,
    /// Plugin entries, with `path` already resolved against their file.
    pub plugins: BTreeMap<String, PluginConfig>,
    /// Where each plugin was last named, for errors about it.
    pub plugin_keys: BTreeMap<String, (Origin, SourceSpan)>,
    pub rules: BTreeMap<String, RuleEntry>,
    pub waivers: Vec<Waiver>,
    /// The files read, farthest first.
    pub files: Vec<PathBuf>,
}

/// A configuration file that could not be used.
#[derive(Debug, Error, Diagnostic)]
pub enum ConfigError {
    #[error("{path} could not be read: {reason}")]
    #[diagnostic(code(tfwarden::config::unreadable))]
    Unreadable { path: String, reason: String },

    #[error(transparent)]
    #[diagnostic(transparent)]
    Invalid(Box<InvalidConfig>),
}

/// A configuration file with a mistake, pointing at the place.
#[derive(Debug, Error, Diagnostic)]
#[error("{path}: {message}")]
#[diagnostic(code(tfwarden::config::invalid))]
pub struct InvalidConfig {
    pub path: String,
    pub message: String,
    #[source_code]
    pub src: NamedSource<String>,
    #[label("here")]
    pub span: Option<SourceSpan>,
    #[help]
    pub help: String,
}

impl ConfigError {
    /// An error at `span` of the file `origin`.
    pub fn at(
        origin: &Origin,
        span: Option<SourceSpan>,
        message: impl Into<String>,
        help: impl Into<String>,
    ) -> Self {
        ConfigError::Invalid(Box::new(InvalidConfig {
            path: origin.path.display().to_string(),
            message: message.into(),
            src: origin.source(),
            span,
            help: help.into(),
        }))
    }
}

impl PluginConfig {
    /// The plugin's limits, defaults where unset.
    pub fn limits(&self) -> Limits {
        let default = Limits::default();
        Limits {
            deadline: self.deadline_seconds.map_or(default.deadline, |s| {
                Duration::from_secs_f64(s.clamp(0.01, 3600.0))
            }),
            memory: self
                .memory_mib
                .map_or(default.memory, |m| (m.clamp(1, 64 * 1024) as usize) << 20),
        }
    }

    /// The settings as JSON text (`null` when none).
    pub fn settings_json(&self) -> String {
        self.settings
            .as_ref()
            .and_then(|s| serde_json::to_string(s).ok())
            .unwrap_or_else(|| "null".into())
    }

    /// `nearer` refines `self`: set fields win; settings tables merge key by key.
    fn refine(&mut self, nearer: PluginConfig) {
        self.enabled = nearer.enabled.or(self.enabled);
        if nearer.path.is_some() {
            self.path = nearer.path;
            self.sha256 = nearer.sha256;
        } else if nearer.sha256.is_some() {
            self.sha256 = nearer.sha256;
        }
        self.deadline_seconds = nearer.deadline_seconds.or(self.deadline_seconds);
        self.memory_mib = nearer.memory_mib.or(self.memory_mib);
        self.settings = match (self.settings.take(), nearer.settings) {
            (Some(far), Some(near)) => Some(merge_values(far, near)),
            (far, near) => near.or(far),
        };
    }
}

/// Deep-merges TOML tables; anything else in `near` replaces `far`.
fn merge_values(far: toml::Value, near: toml::Value) -> toml::Value {
    match (far, near) {
        (toml::Value::Table(mut far), toml::Value::Table(near)) => {
            for (k, v) in near {
                let merged = match far.remove(&k) {
                    Some(old) => merge_values(old, v),
                    None => v,
                };
                far.insert(k, merged);
            }
            toml::Value::Table(far)
        }
        (_, near) => near,
    }
}

impl Config {
    /// Reads one file as the whole configuration.
    pub fn read(path: &Path) -> Result<Self, ConfigError> {
        let mut config = Config::default();
        config.refine_with(path)?;
        Ok(config)
    }

    /// Every `tfwarden.toml` from the repository root (the nearest folder with
    /// `.git`, else the filesystem root) down to `dir`, merged; nearer files win.
    pub fn discover(dir: &Path) -> Result<Self, ConfigError> {
        let mut config = Config::default();
        for path in Self::chain(dir) {
            config.refine_with(&path)?;
        }
        Ok(config)
    }

    /// The configuration files that apply to `dir`, farthest first.
    pub fn chain(dir: &Path) -> Vec<PathBuf> {
        let Ok(dir) = std::fs::canonicalize(dir) else {
            return Vec::new();
        };
        let mut files = Vec::new();
        for folder in dir.ancestors() {
            let candidate = folder.join(FILE_NAME);
            if candidate.is_file() {
                files.push(candidate);
            }
            if folder.join(".git").exists() {
                break;
            }
        }
        files.reverse();
        files
    }

    /// Reads `path` and lays it over what is configured so far.
    fn refine_with(&mut self, path: &Path) -> Result<(), ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|e| ConfigError::Unreadable {
            path: path.display().to_string(),
            reason: e.to_string(),
        })?;
        let origin = Origin {
            path: path.to_owned(),
            text: text.into(),
        };
        let file: ConfigFile = toml::from_str(&origin.text).map_err(|e| {
            ConfigError::at(&origin, e.span().map(SourceSpan::from), e.message(), "the configuration section of README.md lists every key; `tfwarden schema` prints them as JSON Schema")
        })?;
        let base = path.parent().unwrap_or(Path::new("."));

        self.fail_on = file.fail_on.or(self.fail_on);
        self.override_label = file.override_label.or(self.override_label.take());
        self.block_pre_existing = file.block_pre_existing.unwrap_or(self.block_pre_existing);
        self.block_indeterminate = file.block_indeterminate.unwrap_or(self.block_indeterminate);
        for (name, mut entry) in file.plugins {
            let span = SourceSpan::from(name.span());
            let name = name.into_inner();
            self.plugin_keys
                .insert(name.clone(), (origin.clone(), span));
            entry.path = entry.path.map(|p| base.join(p));
            match self.plugins.get_mut(&name) {
                Some(existing) => existing.refine(entry),
                None => {
                    self.plugins.insert(name, entry);
                }
            }
        }
        for (id, rule) in file.rules {
            let span = SourceSpan::from(id.span());
            let id = id.into_inner();
            let config = match self.rules.get(&id) {
                Some(far) => RuleConfig {
                    severity: rule.severity.or(far.config.severity),
                    enforcement: rule.enforcement.or(far.config.enforcement),
                },
                None => rule,
            };
            self.rules.insert(
                id,
                RuleEntry {
                    config,
                    origin: origin.clone(),
                    span,
                },
            );
        }
        for waiver in file.waivers {
            let reason_is_blank = waiver
                .reason
                .as_ref()
                .is_none_or(|r| r.get_ref().trim().is_empty());
            if reason_is_blank {
                let span = waiver
                    .reason
                    .as_ref()
                    .map_or(waiver.rule.span(), |r| r.span());
                return Err(ConfigError::at(
                    &origin,
                    Some(span.into()),
                    format!(
                        "the waiver for `{}` on `{}` has no reason",
                        waiver.rule.get_ref(),
                        waiver.address
                    ),
                    "every waiver needs `reason = \"...\"` saying why the exception is acceptable",
                ));
            }
            self.waivers.push(Waiver {
                config: waiver,
                origin: origin.clone(),
                inline_line: None,
            });
        }
        self.files.push(path.to_owned());
        Ok(())
    }

    /// The label that overrides `soft` rules.
    pub fn override_label(&self) -> &str {
        self.override_label
            .as_deref()
            .unwrap_or(DEFAULT_OVERRIDE_LABEL)
    }

    /// The nearest file, for messages that say where to fix something.
    pub fn nearest_file(&self) -> String {
        self.files
            .last()
            .map_or_else(|| FILE_NAME.into(), |p| p.display().to_string())
    }
}

/// The JSON Schema of `tfwarden.toml`, generated from the types above.
pub fn json_schema() -> String {
    let schema = schemars::schema_for!(ConfigFile);
    serde_json::to_string_pretty(&schema).expect("a schema serializes") + "\n"
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, text: &str) -> PathBuf {
        std::fs::create_dir_all(dir).unwrap();
        let path = dir.join(FILE_NAME);
        std::fs::write(&path, text).unwrap();
        path
    }

    fn invalid(result: Result<Config, ConfigError>) -> InvalidConfig {
        match result.unwrap_err() {
            ConfigError::Invalid(e) => *e,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn bad_keys_point_at_the_key() {
        let dir = tempfile::tempdir().unwrap();
        let path = write(dir.path(), "[plugins.tagging]\nsetings = {}\n");
        let e = invalid(Config::read(&path));
        assert!(
            e.message.contains("unknown field `setings`"),
            "{}",
            e.message
        );
        assert_eq!(e.span.unwrap().offset(), 18);
    }

    #[test]
    fn settings_and_limits() {
        let dir = tempfile::tempdir().unwrap();
        let path = write(
            dir.path(),
            "fail_on = \"medium\"\n[plugins.tagging]\nsettings = { required = [\"team\"] }\ndeadline_seconds = 2\nmemory_mib = 64\n",
        );
        let config = Config::read(&path).unwrap();
        let tagging = &config.plugins["tagging"];
        assert_eq!(config.fail_on, Some(Severity::Medium));
        assert_eq!(tagging.settings_json(), r#"{"required":["team"]}"#);
        assert_eq!(
            tagging.limits(),
            Limits {
                deadline: Duration::from_secs(2),
                memory: 64 << 20
            }
        );
    }

    #[test]
    fn nearer_files_refine_farther_ones() {
        let repo = tempfile::tempdir().unwrap();
        std::fs::create_dir(repo.path().join(".git")).unwrap();
        write(
            repo.path(),
            r#"
fail_on = "medium"
override_label = "ship-it"
[plugins.tagging]
settings = { required = ["owner"], key_style = "snake_case" }
[plugins.custom]
path = "policies/custom.wasm"
[rules.SEC001]
enforcement = "hard"
severity = "critical"
[[waivers]]
rule = "*"
address = "module.legacy.*"
reason = "being retired"
"#,
        );
        let target = repo.path().join("services/api");
        write(
            &target,
            r#"
fail_on = "high"
[plugins.tagging]
settings = { required = ["owner", "team"] }
[plugins.cost]
enabled = false
[rules.SEC001]
enforcement = "soft"
[[waivers]]
rule = "TAG001"
address = "aws_s3_bucket.scratch"
reason = "throwaway"
"#,
        );
        // Folders above the repository root are ignored.
        write(
            repo.path()
                .parent()
                .unwrap()
                .join("ignored-above-repo")
                .as_path(),
            "fail_on = \"info\"\n",
        );

        let config = Config::discover(&target).unwrap();
        assert_eq!(config.files.len(), 2);
        assert_eq!(config.fail_on, Some(Severity::High), "nearer scalar wins");
        assert_eq!(
            config.override_label(),
            "ship-it",
            "farther value stays when nearer is silent"
        );
        assert_eq!(
            config.plugins["tagging"].settings_json(),
            r#"{"key_style":"snake_case","required":["owner","team"]}"#,
            "settings merge key by key"
        );
        assert_eq!(config.plugins["cost"].enabled, Some(false));
        assert!(
            config.plugins["custom"]
                .path
                .as_ref()
                .unwrap()
                .starts_with(repo.path()),
            "paths resolve against their file"
        );
        let sec = config.rules["SEC001"].config;
        assert_eq!(
            (sec.enforcement, sec.severity),
            (Some(Enforcement::Soft), Some(Severity::Critical))
        );
        assert_eq!(config.waivers.len(), 2, "waivers accumulate");
    }

    #[test]
    fn a_waiver_needs_a_reason() {
        let dir = tempfile::tempdir().unwrap();
        let path = write(
            dir.path(),
            "[[waivers]]\nrule = \"SEC001\"\naddress = \"aws_s3_bucket.x\"\nreason = \"  \"\n",
        );
        let e = invalid(Config::read(&path));
        assert!(e.message.contains("has no reason"), "{}", e.message);
        assert_eq!(e.span.unwrap().offset(), path_offset(&path, "\"  \""));
        let path = write(
            dir.path(),
            "[[waivers]]\nrule = \"SEC001\"\naddress = \"x\"\n",
        );
        assert!(
            invalid(Config::read(&path))
                .message
                .contains("has no reason")
        );
    }

    fn path_offset(path: &Path, needle: &str) -> usize {
        std::fs::read_to_string(path).unwrap().find(needle).unwrap()
    }

    #[test]
    fn the_schema_lists_every_key() {
        let schema = json_schema();
        for key in [
            "fail_on",
            "override_label",
            "plugins",
            "rules",
            "waivers",
            "enforcement",
            "sha256",
            "expires",
        ] {
            assert!(schema.contains(&format!("\"{key}\"")), "{key}");
        }
    }
}
