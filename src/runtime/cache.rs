//! The on-disk cache of compiled plugins, keyed by what makes compiled code valid:
//! the wasm's sha256, the wasmtime version and the engine's compatibility hash.
//! Only files this cache wrote itself are ever deserialized.

use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};
use wasmtime::Engine;
use wasmtime::component::Component;

/// Where compiled plugins are kept, if anywhere.
#[derive(Debug, Clone)]
pub struct Cache {
    dir: Option<PathBuf>,
}

impl Cache {
    /// A cache in `dir`; `None` disables caching.
    pub fn new(dir: Option<PathBuf>) -> Self {
        Cache { dir }
    }

    /// The default location: `$TFWARDEN_CACHE_DIR`, else `$XDG_CACHE_HOME/tfwarden`,
    /// else `~/.cache/tfwarden`.
    pub fn default_dir() -> Option<PathBuf> {
        if let Some(dir) = std::env::var_os("TFWARDEN_CACHE_DIR") {
            return Some(dir.into());
        }
        let base = std::env::var_os("XDG_CACHE_HOME")
            .map(PathBuf::from)
            .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))?;
        Some(base.join("tfwarden"))
    }

    /// The compiled component for `wasm`: from the cache when present, else
    /// compiled now and stored. A cache that cannot be written is skipped silently;
    /// it only costs time.
    pub fn component(&self, engine: &Engine, wasm: &[u8]) -> wasmtime::Result<Component> {
        let Some(dir) = &self.dir else {
            return Component::new(engine, wasm);
        };
        let path = dir.join(format!("{}.cwasm", key(engine, wasm)));
        if path.is_file() {
            // SAFETY: the file name is the hash of the wasm and of the engine's
            // compatibility settings, and only `store` below writes such files.
            if let Ok(component) = unsafe { Component::deserialize_file(engine, &path) } {
                return Ok(component);
            }
        }
        let compiled = engine.precompile_component(wasm)?;
        store(dir, &path, &compiled);
        // SAFETY: these bytes were produced by this engine a moment ago.
        unsafe { Component::deserialize(engine, &compiled) }
    }
}

fn store(dir: &Path, path: &Path, bytes: &[u8]) {
    if std::fs::create_dir_all(dir).is_err() {
        return;
    }
    // Write then rename, so a concurrent run never reads half a file.
    let tmp = path.with_extension(format!("tmp{}", std::process::id()));
    if std::fs::write(&tmp, bytes).is_ok() && std::fs::rename(&tmp, path).is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
}

/// The cache key of `wasm` for `engine`.
pub fn key(engine: &Engine, wasm: &[u8]) -> String {
    let mut hasher = ShaHasher(Sha256::new());
    hasher.0.update(wasm);
    hasher.0.update(wasmtime_version().as_bytes());
    engine.precompile_compatibility_hash().hash(&mut hasher);
    hex(&hasher.0.finalize())
}

/// The wasmtime version this binary links, from Cargo.lock at build time.
fn wasmtime_version() -> &'static str {
    // Pinned with `=` in Cargo.toml, so the requirement is the version.
    "48.0.8"
}

/// Lower-case hex of some bytes.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Feeds `Hash` impls into sha256, so the key is stable across Rust versions.
struct ShaHasher(Sha256);

impl Hasher for ShaHasher {
    fn finish(&self) -> u64 {
        0
    }
    fn write(&mut self, bytes: &[u8]) {
        self.0.update(bytes);
    }
}
