//! The built-in plugins, compiled to wasm by `build.rs` and embedded in the binary.

include!(concat!(env!("OUT_DIR"), "/builtins.rs"));

/// The wasm of the built-in plugin `name`.
pub fn wasm(name: &str) -> Option<&'static [u8]> {
    BUILTINS.iter().find(|(n, _)| *n == name).map(|(_, w)| *w)
}

/// The names of all built-in plugins.
pub fn names() -> impl Iterator<Item = &'static str> {
    BUILTINS.iter().map(|(n, _)| *n)
}
