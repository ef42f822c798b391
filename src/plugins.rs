//! Decides which plugins run: the built-ins, the configuration's entries and
//! `--plugin` flags, each with its settings, limits and sha256 pin.

use std::borrow::Cow;
use std::path::Path;

use miette::Diagnostic;
use sha2::{Digest, Sha256};
use thiserror::Error;

use crate::builtin;
use crate::cli::PluginArgs;
use crate::engine::PluginSpec;
use crate::policy::config::{Config, ConfigError, PluginConfig};
use crate::runtime::hex;

/// A plugin that cannot even be handed to the runtime.
#[derive(Debug, Error, Diagnostic)]
pub enum SelectError {
    #[error(transparent)]
    #[diagnostic(transparent)]
    Config(#[from] ConfigError),

    #[error("plugin file {path} could not be read: {reason}")]
    #[diagnostic(
        code(tfwarden::plugins::unreadable),
        help("build it with `cargo build --target wasm32-wasip2 --release`")
    )]
    Unreadable { path: String, reason: String },

    #[error("plugin file {path} has sha256 {actual}, but the configuration pins {expected}")]
    #[diagnostic(
        code(tfwarden::plugins::sha256_mismatch),
        help("if the new file is the one you meant to run, update `sha256` in the configuration")
    )]
    Sha256Mismatch {
        path: String,
        expected: String,
        actual: String,
    },
}

/// The plugins to run, in a stable order: built-ins, then configured, then flags.
pub fn select(args: &PluginArgs, config: &Config) -> Result<Vec<PluginSpec>, SelectError> {
    let mut specs = Vec::new();
    let default_entry = PluginConfig::default();
    if !args.no_builtins {
        for name in builtin::names() {
            let entry = config.plugins.get(name).unwrap_or(&default_entry);
            if entry.enabled != Some(false) && entry.path.is_none() {
                let wasm = builtin::wasm(name).expect("listed built-ins exist");
                specs.push(spec(name, Cow::Borrowed(wasm), entry));
            }
        }
    }
    for (name, entry) in &config.plugins {
        if entry.enabled == Some(false) || (builtin::wasm(name).is_some() && entry.path.is_none()) {
            continue;
        }
        let Some(path) = &entry.path else {
            return Err(unknown(name, config));
        };
        let wasm = read_pinned(path, entry.sha256.as_deref())?;
        specs.push(spec(name, Cow::Owned(wasm), entry));
    }
    for path in &args.plugins {
        let wasm = read_pinned(path, None)?;
        let name = path
            .file_stem()
            .map_or_else(|| "plugin".into(), |s| s.to_string_lossy().into_owned());
        let entry = config.plugins.get(&name).unwrap_or(&default_entry);
        specs.push(spec(&name, Cow::Owned(wasm), entry));
    }
    Ok(specs)
}

fn spec(name: &str, wasm: Cow<'static, [u8]>, entry: &PluginConfig) -> PluginSpec {
    PluginSpec {
        name: name.to_owned(),
        wasm,
        settings: entry.settings_json(),
        limits: entry.limits(),
    }
}

fn read_pinned(path: &Path, expected: Option<&str>) -> Result<Vec<u8>, SelectError> {
    let wasm = std::fs::read(path).map_err(|e| SelectError::Unreadable {
        path: path.display().to_string(),
        reason: e.to_string(),
    })?;
    if let Some(expected) = expected {
        let actual = hex(&Sha256::digest(&wasm));
        if !actual.eq_ignore_ascii_case(expected.trim()) {
            return Err(SelectError::Sha256Mismatch {
                path: path.display().to_string(),
                expected: expected.to_owned(),
                actual,
            });
        }
    }
    Ok(wasm)
}

fn unknown(name: &str, config: &Config) -> SelectError {
    let builtins: Vec<&str> = builtin::names().collect();
    let hint = match crate::suggest::closest(name, builtins.iter().copied()) {
        Some(s) => format!("did you mean `{s}`? "),
        None => String::new(),
    };
    let help = format!(
        "{hint}built-in plugins are: {}; a plugin of your own needs `path = \"policy.wasm\"`",
        builtins.join(", ")
    );
    let message = format!("plugin `{name}` is not built in and has no `path`");
    match config.plugin_keys.get(name) {
        Some((origin, span)) => {
            SelectError::Config(ConfigError::at(origin, Some(*span), message, help))
        }
        None => SelectError::Config(ConfigError::Unreadable {
            path: config.nearest_file(),
            reason: message,
        }),
    }
}
