//! Write tfwarden policy plugins in Rust.
//!
//! A policy implements [`Policy`](policy::Policy), reads the plan through the
//! typed, tri-state [`Value`](value::Value) view, reports through
//! [`Findings`](findings::Findings), and is exported with [`export_policy!`].
//! The same code runs natively under `cargo test` through [`testing`].

pub mod findings;
pub mod glob;
pub mod input;
pub mod log;
pub mod plan;
pub mod policy;
pub mod redact;
pub mod testing;
pub mod value;
pub mod view;

#[cfg(target_arch = "wasm32")]
#[doc(hidden)]
pub mod guest;

/// The WIT contract this SDK implements; the host checks plugins against it.
pub const WIT_PACKAGE: &str = "tfwarden:policy@0.1.0";

/// Everything a policy needs, in one import.
pub mod prelude {
    pub use crate::export_policy;
    pub use crate::findings::Findings;
    pub use crate::log::{Level, log};
    pub use crate::plan::{Action, ChangeKind};
    pub use crate::policy::{Policy, Rule, Severity};
    pub use crate::value::Attr::{self, Absent, Known, Unknown};
    pub use crate::value::{Object, Value};
    pub use crate::view::{Plan, ResourceChange};
}

#[cfg(target_arch = "wasm32")]
#[doc(hidden)]
pub mod __guest {
    wit_bindgen::generate!({
        path: "wit",
        world: "policy",
        pub_export_macro: true,
        export_macro_name: "__export_policy_world",
        default_bindings_module: "tfwarden_sdk::__guest",
    });
}

/// Exports a [`Policy`](policy::Policy) as a tfwarden plugin. On native targets
/// it expands to nothing, so the crate also builds and tests natively.
#[macro_export]
macro_rules! export_policy {
    ($policy:ty) => {
        #[cfg(target_arch = "wasm32")]
        const _: () = {
            use $crate::__guest::tfwarden::policy::types as wit;
            ::std::thread_local! {
                static POLICY: ::std::cell::RefCell<Option<$policy>> = const { ::std::cell::RefCell::new(None) };
            }
            struct Glue;
            impl $crate::__guest::Guest for Glue {
                fn metadata() -> wit::Metadata {
                    $crate::guest::metadata::<$policy>(env!("CARGO_PKG_NAME"), env!("CARGO_PKG_VERSION"))
                }
                fn validate_settings(settings: String) -> Result<(), String> {
                    let policy = $crate::policy::configure::<$policy>(&settings)?;
                    POLICY.with(|p| *p.borrow_mut() = Some(policy));
                    Ok(())
                }
                fn check(input: wit::CheckInput) -> Result<wit::Output, String> {
                    let input = $crate::guest::input(input);
                    POLICY.with(|p| {
                        let mut slot = p.borrow_mut();
                        if slot.is_none() {
                            *slot = Some($crate::policy::configure::<$policy>("null")?);
                        }
                        Ok($crate::guest::check(slot.as_ref().expect("configured above"), &input))
                    })
                }
            }
            $crate::__guest::__export_policy_world!(Glue with_types_in $crate::__guest);
        };
    };
}
