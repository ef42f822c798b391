//! A guest built against a newer plugin contract (`tfwarden:policy@0.2.0`), so
//! the tests can show that the host refuses it with a clear version message.

#[cfg(target_arch = "wasm32")]
mod guest {
    wit_bindgen::generate!({ path: "wit", world: "policy" });

    struct Future;

    impl Guest for Future {
        fn describe() -> String {
            "from the future".into()
        }
        fn check(_plan: String) -> Vec<String> {
            Vec::new()
        }
    }

    export!(Future);
}
