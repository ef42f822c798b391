//! The sandboxed plugin runtime: the only module that knows wasmtime.
//!
//! One engine and one epoch ticker serve every plugin. Each plugin run gets a
//! fresh store with its own deadline and memory cap, so plugins can run in
//! parallel and one cannot starve or crash another.

mod bindings;
mod cache;
mod sandbox;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;
use std::time::Duration;

use tfwarden_sdk::findings::{Finding, Summary};
use tfwarden_sdk::input::CheckInput;
use tfwarden_sdk::policy::Metadata;
use wasmtime::component::{Component, HasSelf, Linker};
use wasmtime::{Config, Engine, Store, Trap};

pub use cache::{Cache, hex};
use sandbox::HostState;

/// How often the engine's epoch advances; the unit of every deadline.
const TICK: Duration = Duration::from_millis(10);
/// At most this many findings are taken from one plugin run.
pub const MAX_FINDINGS: usize = 100_000;
/// Longer finding messages are cut to this many bytes.
pub const MAX_MESSAGE: usize = 4096;

/// The limits of one plugin run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    pub deadline: Duration,
    pub memory: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            deadline: Duration::from_secs(30),
            memory: 1 << 30,
        }
    }
}

/// What went wrong with a plugin. Each variant names the plugin.
#[derive(Debug, Clone, thiserror::Error, PartialEq, Eq)]
pub enum PluginError {
    #[error("plugin `{plugin}` is not a valid WebAssembly component: {detail}")]
    Invalid { plugin: String, detail: String },
    #[error("plugin `{plugin}` was built for another plugin contract than {expected}: {detail}")]
    Incompatible {
        plugin: String,
        expected: &'static str,
        detail: String,
    },
    #[error("plugin `{plugin}` was stopped at its deadline of {} s during {phase}", deadline.as_secs_f64())]
    Deadline {
        plugin: String,
        phase: &'static str,
        deadline: Duration,
    },
    #[error("plugin `{plugin}` was stopped at its memory cap of {} MiB during {phase}", limit >> 20)]
    Memory {
        plugin: String,
        phase: &'static str,
        limit: usize,
    },
    #[error("plugin `{plugin}` crashed during {phase}: {detail}")]
    Crashed {
        plugin: String,
        phase: &'static str,
        detail: String,
    },
    #[error("plugin `{plugin}` rejected its settings: {message}")]
    InvalidSettings { plugin: String, message: String },
    #[error("plugin `{plugin}` reported an error: {message}")]
    CheckFailed { plugin: String, message: String },
}

impl PluginError {
    /// The plugin this error is about.
    pub fn plugin(&self) -> &str {
        match self {
            PluginError::Invalid { plugin, .. }
            | PluginError::Incompatible { plugin, .. }
            | PluginError::Deadline { plugin, .. }
            | PluginError::Memory { plugin, .. }
            | PluginError::Crashed { plugin, .. }
            | PluginError::InvalidSettings { plugin, .. }
            | PluginError::CheckFailed { plugin, .. } => plugin,
        }
    }
}

/// The shared engine, linker and epoch ticker.
pub struct Runtime {
    engine: Engine,
    linker: Linker<HostState>,
    cache: Cache,
    ticker: Option<JoinHandle<()>>,
    stop: Arc<AtomicBool>,
}

impl Runtime {
    pub fn new(cache: Cache) -> wasmtime::Result<Self> {
        let mut config = Config::new();
        config.epoch_interruption(true).parallel_compilation(true);
        let engine = Engine::new(&config)?;
        let mut linker = Linker::new(&engine);
        wasmtime_wasi::p2::add_to_linker_sync(&mut linker)?;
        bindings::Policy::add_to_linker::<HostState, HasSelf<HostState>>(&mut linker, |s| s)?;

        let stop = Arc::new(AtomicBool::new(false));
        let ticker = {
            let (engine, stop) = (engine.clone(), stop.clone());
            std::thread::Builder::new()
                .name("tfwarden-epoch".into())
                .spawn(move || {
                    while !stop.load(Ordering::Relaxed) {
                        std::thread::sleep(TICK);
                        engine.increment_epoch();
                    }
                })?
        };
        Ok(Runtime {
            engine,
            linker,
            cache,
            ticker: Some(ticker),
            stop,
        })
    }

    /// Compiles (or loads from the cache) a plugin and checks it against the contract.
    pub fn load(&self, name: &str, wasm: &[u8]) -> Result<Plugin, PluginError> {
        let component =
            self.cache
                .component(&self.engine, wasm)
                .map_err(|e| PluginError::Invalid {
                    plugin: name.into(),
                    detail: format!("{e:#}"),
                })?;
        let pre = self
            .linker
            .instantiate_pre(&component)
            .map_err(|e| incompatible(name, &e))?;
        let pre = bindings::PolicyPre::new(pre).map_err(|e| incompatible(name, &e))?;
        Ok(Plugin {
            name: name.into(),
            pre,
            _component: component,
        })
    }

    /// Starts a run of `plugin` under `limits`: instantiates it and reads its metadata.
    pub fn start(&self, plugin: &Plugin, limits: Limits) -> Result<Run, PluginError> {
        let mut store = Store::new(&self.engine, HostState::new(limits.memory));
        store.limiter(|s| &mut s.memory);
        let ticks = limits
            .deadline
            .as_millis()
            .div_ceil(TICK.as_millis())
            .max(1);
        store.set_epoch_deadline(u64::try_from(ticks).unwrap_or(u64::MAX));
        store.epoch_deadline_trap();
        match plugin.pre.instantiate(&mut store) {
            Ok(policy) => Ok(Run {
                name: plugin.name.clone(),
                limits,
                store,
                policy,
            }),
            Err(e) => Err(trap(&plugin.name, &limits, &store, "instantiation", e)),
        }
    }
}

impl Drop for Runtime {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(ticker) = self.ticker.take() {
            let _ = ticker.join();
        }
    }
}

fn incompatible(name: &str, e: &wasmtime::Error) -> PluginError {
    PluginError::Incompatible {
        plugin: name.into(),
        expected: tfwarden_sdk::WIT_PACKAGE,
        detail: format!("{e:#}"),
    }
}

/// A compiled, linked plugin, ready to instantiate.
pub struct Plugin {
    name: String,
    pre: bindings::PolicyPre<HostState>,
    _component: Component,
}

impl Plugin {
    pub fn name(&self) -> &str {
        &self.name
    }
}

/// One instance of a plugin in its own store.
pub struct Run {
    name: String,
    limits: Limits,
    store: Store<HostState>,
    policy: bindings::Policy,
}

/// The result of a check call.
#[derive(Debug, Default)]
pub struct CheckOutput {
    pub findings: Vec<Finding>,
    pub summary: Option<Summary>,
    /// Findings beyond [`MAX_FINDINGS`] that were dropped.
    pub dropped: usize,
}

impl Run {
    pub fn metadata(&mut self) -> Result<Metadata, PluginError> {
        arm_deadline(&mut self.store, &self.limits);
        let result = self.policy.call_metadata(&mut self.store);
        Ok(bindings::metadata(
            result.map_err(|e| self.trap("metadata", e))?,
        ))
    }

    /// Hands the plugin its settings as JSON; the plugin keeps them for `check`.
    pub fn validate_settings(&mut self, settings: &str) -> Result<(), PluginError> {
        let result = self
            .policy
            .call_validate_settings(&mut self.store, settings);
        result
            .map_err(|e| self.trap("validate-settings", e))?
            .map_err(|message| PluginError::InvalidSettings {
                plugin: self.name.clone(),
                message,
            })
    }

    /// Checks `input`, which is handed back unchanged (its strings are moved
    /// into the call and back out, not copied).
    pub fn check(&mut self, input: &mut CheckInput) -> Result<CheckOutput, PluginError> {
        let wit_input = bindings::check_input(std::mem::take(input));
        arm_deadline(&mut self.store, &self.limits);
        let result = self.policy.call_check(&mut self.store, &wit_input);
        *input = bindings::check_input_back(wit_input);
        let output = result
            .map_err(|e| self.trap("check", e))?
            .map_err(|message| PluginError::CheckFailed {
                plugin: self.name.clone(),
                message,
            })?;
        let dropped = output.findings.len().saturating_sub(MAX_FINDINGS);
        let findings = output
            .findings
            .into_iter()
            .take(MAX_FINDINGS)
            .map(bindings::finding)
            .map(|mut f| {
                truncate(&mut f.message, MAX_MESSAGE);
                f
            })
            .collect();
        Ok(CheckOutput {
            findings,
            summary: output.summary.map(bindings::summary),
            dropped,
        })
    }

    /// The plugin's log lines, for `--verbose`.
    pub fn logs(&self) -> &[String] {
        &self.store.data().logs
    }

    fn trap(&self, phase: &'static str, e: wasmtime::Error) -> PluginError {
        trap(&self.name, &self.limits, &self.store, phase, e)
    }
}

/// Gives the next guest call the full deadline: each call is timed on its own,
/// so waiting for other plugins never eats into this one's time.
fn arm_deadline(store: &mut Store<HostState>, limits: &Limits) {
    let ticks = limits
        .deadline
        .as_millis()
        .div_ceil(TICK.as_millis())
        .max(1);
    store.set_epoch_deadline(u64::try_from(ticks).unwrap_or(u64::MAX));
}

/// Describes a crash by the guest's panic message when it printed one,
/// else by the trap, without the wasm backtrace.
fn crash_detail(stderr: &str, e: &wasmtime::Error) -> String {
    let panic = stderr.split_once("panicked at ").map(|(_, rest)| {
        let (location, message) = rest.split_once(":\n").unwrap_or((rest, ""));
        let message = message
            .lines()
            .take_while(|l| !l.starts_with("note: "))
            .collect::<Vec<_>>()
            .join(" ");
        format!("panicked: {} (at {location})", message.trim())
    });
    panic.unwrap_or_else(|| {
        if format!("{e:#}").contains("hostcalls has been exhausted") {
            // wasmtime caps what one call may hand the host (128 MiB by default).
            return "it returned more data than the host accepts from one call; report fewer or shorter findings"
                .to_owned();
        }
        let trap = e.downcast_ref::<Trap>().map_or_else(|| e.to_string(), |t| t.to_string());
        trap.lines().next().unwrap_or_default().to_owned()
    })
}

/// Names what stopped the guest: the deadline, the memory cap, or a crash.
fn trap(
    name: &str,
    limits: &Limits,
    store: &Store<HostState>,
    phase: &'static str,
    e: wasmtime::Error,
) -> PluginError {
    let plugin = name.to_owned();
    if store.data().memory.hit {
        return PluginError::Memory {
            plugin,
            phase,
            limit: limits.memory,
        };
    }
    if let Some(Trap::Interrupt) = e.downcast_ref::<Trap>() {
        return PluginError::Deadline {
            plugin,
            phase,
            deadline: limits.deadline,
        };
    }
    PluginError::Crashed {
        plugin,
        phase,
        detail: crash_detail(&store.data().stderr(), &e),
    }
}

/// Cuts `s` to at most `max` bytes on a character boundary, marking the cut.
fn truncate(s: &mut String, max: usize) {
    if s.len() > max {
        let cut = (0..=max)
            .rev()
            .find(|&i| s.is_char_boundary(i))
            .unwrap_or(0);
        s.truncate(cut);
        s.push_str("… (truncated)");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn truncates_on_char_boundaries() {
        let mut s = "ééé".to_string();
        truncate(&mut s, 3);
        assert_eq!(s, "é… (truncated)");
        let mut short = "ok".to_string();
        truncate(&mut short, 3);
        assert_eq!(short, "ok");
    }
}
