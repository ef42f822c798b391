//! A deliberately misbehaving plugin for the sandbox tests. Its `mode` setting
//! picks the misbehaviour; the host must stop each one and name it.

use tfwarden_sdk::prelude::*;

#[derive(serde::Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
pub struct Settings {
    mode: String,
    count: usize,
}

pub struct Hostile {
    settings: Settings,
}

impl Policy for Hostile {
    const RULES: &'static [Rule] = &[Rule::new(
        "HOST001",
        Severity::High,
        "test",
        "hostile finding",
    )];
    type Settings = Settings;

    fn from_settings(settings: Settings) -> Result<Self, String> {
        match settings.mode.as_str() {
            "hang-in-validate" => loop {
                std::hint::black_box(0);
            },
            "" | "ok" | "loop" | "alloc" | "escape" | "panic" | "trap" | "many-findings"
            | "huge-message" | "bad-utf8" => Ok(Hostile { settings }),
            other => Err(format!("unknown mode `{other}`")),
        }
    }

    fn check(&self, plan: &Plan, out: &mut Findings) {
        match self.settings.mode.as_str() {
            "loop" => loop {
                std::hint::black_box(0);
            },
            "alloc" => {
                let mut hoard: Vec<Vec<u8>> = Vec::new();
                loop {
                    hoard.push(vec![1u8; 16 << 20]);
                }
            }
            "escape" => escape(out),
            "panic" => panic!("hostile plugin panicked on purpose"),
            "trap" => std::process::abort(),
            "many-findings" => {
                for i in 0..self.settings.count {
                    out.report_plan("HOST001", format!("finding {i}"));
                }
            }
            "huge-message" => {
                out.report_plan("HOST001", "x".repeat(self.settings.count));
            }
            "bad-utf8" => {
                // SAFETY: deliberately not UTF-8; the host must refuse it, not trust it.
                let bad = unsafe { String::from_utf8_unchecked(vec![b'o', b'k', 0xff, 0xfe]) };
                out.report_plan("HOST001", bad);
            }
            _ => {
                for rc in plan.changes() {
                    out.report("HOST001", &rc, "", "seen");
                }
            }
        }
    }
}

/// Tries every way out of the sandbox and reports what each attempt got.
fn escape(out: &mut Findings) {
    let file = std::fs::read_to_string("/etc/passwd").map(|s| s.len());
    let dir = std::fs::read_dir(".").map(|d| d.count());
    let env: Vec<(String, String)> = std::env::vars().collect();
    let args: Vec<String> = std::env::args().collect();
    let net = std::net::TcpStream::connect("127.0.0.1:80").map(|_| ());
    let dns = std::net::ToSocketAddrs::to_socket_addrs("localhost:80").map(|a| a.count());
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs());
    for (what, got) in [
        ("file", format!("{file:?}")),
        ("dir", format!("{dir:?}")),
        ("env", format!("{env:?}")),
        ("args", format!("{args:?}")),
        ("net", format!("{net:?}")),
        ("dns", format!("{dns:?}")),
        ("clock", format!("{now:?}")),
    ] {
        out.report_plan("HOST001", format!("{what}: {got}"));
    }
}

export_policy!(Hostile);
