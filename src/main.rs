//! The `tfwarden` binary; everything lives in the library.

fn main() -> std::process::ExitCode {
    tfwarden::main()
}
