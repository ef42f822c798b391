//! `tfwarden.toml`: which plugins run, their settings and limits, and what blocks.
//! Errors point at the offending key in the file.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use miette::{Diagnostic, NamedSource, SourceSpan};
use serde::Deserialize;
use tfwarden_sdk::policy::Severity;
use thiserror::Error;

use crate::runtime::Limits;

/// The name of the configuration file.
pub const FILE_NAME: &str = "tfwarden.toml";

/// The parsed configuration.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// The lowest severity that blocks; the command line's `--fail-on` wins.
    pub fail_on: Option<Severity>,
    /// Plugins by name: built-in names configure the built-ins; other names need a `path`.
    #[serde(default)]
    pub plugins: BTreeMap<String, PluginConfig>,
    /// Where the file was read from, if anywhere.
    #[serde(skip)]
    pub path: Option<PathBuf>,
}

/// One plugin's entry.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PluginConfig {
    /// `false` turns a built-in off.
    pub enabled: Option<bool>,
    /// A `.wasm` component, relative to the configuration file.
    pub path: Option<PathBuf>,
    /// The sha256 the `.wasm` must have.
    pub sha256: Option<String>,
    /// Passed to the plugin's `validate-settings` as JSON.
    pub settings: Option<toml::Value>,
    /// Seconds the plugin may run.
    pub deadline_seconds: Option<f64>,
    /// MiB of memory the plugin may use.
    pub memory_mib: Option<u64>,
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

/// A configuration file that parses badly, pointing at the place.
#[derive(Debug, Error, Diagnostic)]
#[error("{path}: {message}")]
#[diagnostic(
    code(tfwarden::config::invalid),
    help("the configuration section of README.md lists every key")
)]
pub struct InvalidConfig {
    pub path: String,
    pub message: String,
    #[source_code]
    pub src: NamedSource<String>,
    #[label("here")]
    pub span: Option<SourceSpan>,
}

impl Config {
    /// Reads the configuration at `path`.
    pub fn read(path: &Path) -> Result<Self, ConfigError> {
        let name = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|e| ConfigError::Unreadable {
            path: name.clone(),
            reason: e.to_string(),
        })?;
        let mut config: Config = toml::from_str(&text).map_err(|e| {
            ConfigError::Invalid(Box::new(InvalidConfig {
                path: name.clone(),
                message: e.message().to_owned(),
                span: e.span().map(SourceSpan::from),
                src: NamedSource::new(&name, text.clone()),
            }))
        })?;
        config.path = Some(path.to_owned());
        Ok(config)
    }

    /// The nearest `tfwarden.toml` in `dir` or its parents, stopping at the
    /// repository root (a folder with `.git`).
    pub fn discover(dir: &Path) -> Option<PathBuf> {
        let dir = std::fs::canonicalize(dir).ok()?;
        for folder in dir.ancestors() {
            let candidate = folder.join(FILE_NAME);
            if candidate.is_file() {
                return Some(candidate);
            }
            if folder.join(".git").exists() {
                break;
            }
        }
        None
    }

    /// The folder relative paths in the file are resolved against.
    pub fn base_dir(&self) -> PathBuf {
        self.path
            .as_deref()
            .and_then(Path::parent)
            .map(Path::to_path_buf)
            .unwrap_or_else(|| PathBuf::from("."))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_keys_point_at_the_key() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(FILE_NAME);
        std::fs::write(&path, "[plugins.tagging]\nsetings = {}\n").unwrap();
        match Config::read(&path).unwrap_err() {
            ConfigError::Invalid(e) => {
                assert!(
                    e.message.contains("unknown field `setings`"),
                    "{}",
                    e.message
                );
                assert_eq!(e.span.unwrap().offset(), 18);
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn settings_and_limits() {
        let config: Config = toml::from_str(
            "fail_on = \"medium\"\n[plugins.tagging]\nsettings = { required = [\"team\"] }\ndeadline_seconds = 2\nmemory_mib = 64\n",
        )
        .unwrap();
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
}
