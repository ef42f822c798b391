//! Address ranges, ports and protocols as the three clouds spell them, so the
//! ingress and database rules can ask "is this the whole internet?" in one way.

/// True for a CIDR that spans every address: `0.0.0.0/0`, `::/0`, or any
/// other base with a zero-length prefix (AWS and GCP accept `10.0.0.0/0`).
pub fn is_internet_cidr(cidr: &str) -> bool {
    cidr.trim()
        .split_once('/')
        .is_some_and(|(_, prefix)| prefix.trim().parse::<u8>() == Ok(0))
}

/// True for an Azure address prefix that means "anyone": Azure also accepts the
/// service tags `Internet` and `*`, and a bare `0.0.0.0`.
pub fn is_azure_internet_prefix(prefix: &str) -> bool {
    let prefix = prefix.trim();
    ["*", "internet", "any", "0.0.0.0"]
        .iter()
        .any(|p| prefix.eq_ignore_ascii_case(p))
        || is_internet_cidr(prefix)
}

/// An inclusive range of ports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PortRange {
    pub from: u16,
    pub to: u16,
}

impl PortRange {
    pub const ALL: PortRange = PortRange { from: 0, to: 65535 };

    pub fn single(port: u16) -> Self {
        PortRange {
            from: port,
            to: port,
        }
    }

    /// A range from two numbers as AWS gives them; `None` when they are not ports.
    pub fn from_numbers(from: i64, to: i64) -> Option<Self> {
        let from = u16::try_from(from).ok()?;
        let to = u16::try_from(to).ok()?;
        (from <= to).then_some(PortRange { from, to })
    }

    /// Parses `22`, `1000-2000` or `*` (Azure), as GCP and Azure write ports.
    pub fn parse(spec: &str) -> Option<Self> {
        let spec = spec.trim();
        if spec == "*" {
            return Some(Self::ALL);
        }
        match spec.split_once('-') {
            Some((from, to)) => {
                Self::from_numbers(from.trim().parse().ok()?, to.trim().parse().ok()?)
            }
            None => spec.parse().ok().map(Self::single),
        }
    }

    pub fn contains(&self, port: u16) -> bool {
        self.from <= port && port <= self.to
    }

    /// True when the range leaves no port out (port 0 is not a real port, so `1-65535` counts).
    pub fn is_all(&self) -> bool {
        self.from <= 1 && self.to == 65535
    }
}

impl std::fmt::Display for PortRange {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.is_all() {
            f.write_str("all ports")
        } else if self.from == self.to {
            write!(f, "port {}", self.from)
        } else {
            write!(f, "ports {}-{}", self.from, self.to)
        }
    }
}

/// The transport a rule opens, reduced to what port checks need.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Protocol {
    /// Every protocol, and therefore every port.
    All,
    Tcp,
    Udp,
    /// ICMP and the rest: no ports, so no port-based exposure.
    Other,
}

impl Protocol {
    /// Reads AWS (`-1`, `tcp`, `6`), GCP (`all`, `tcp`) and Azure (`*`, `Tcp`) spellings.
    pub fn parse(text: &str) -> Self {
        let text = text.trim();
        if ["-1", "all", "*"]
            .iter()
            .any(|p| text.eq_ignore_ascii_case(p))
        {
            Protocol::All
        } else if text.eq_ignore_ascii_case("tcp") || text == "6" {
            Protocol::Tcp
        } else if text.eq_ignore_ascii_case("udp") || text == "17" {
            Protocol::Udp
        } else {
            Protocol::Other
        }
    }

    /// True when traffic of this protocol can reach a TCP service.
    pub fn carries_tcp(self) -> bool {
        matches!(self, Protocol::All | Protocol::Tcp)
    }

    pub fn has_ports(self) -> bool {
        !matches!(self, Protocol::Other)
    }
}

impl std::fmt::Display for Protocol {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Protocol::All => "all protocols",
            Protocol::Tcp => "tcp",
            Protocol::Udp => "udp",
            Protocol::Other => "other protocol",
        })
    }
}

/// An IPv4 address as a number, for comparing the ranges Azure firewall rules give.
pub fn ipv4(text: &str) -> Option<u32> {
    let mut value: u32 = 0;
    let mut parts = 0;
    for part in text.trim().split('.') {
        value = (value << 8) | u32::from(part.parse::<u8>().ok()?);
        parts += 1;
    }
    (parts == 4).then_some(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn internet_cidrs() {
        assert!(is_internet_cidr("0.0.0.0/0"));
        assert!(is_internet_cidr("::/0"));
        assert!(is_internet_cidr(" 10.0.0.0/0 "));
        assert!(!is_internet_cidr("0.0.0.0/1"));
        assert!(!is_internet_cidr("10.0.0.0/8"));
        assert!(!is_internet_cidr("0.0.0.0"));
        assert!(is_azure_internet_prefix("Internet"));
        assert!(is_azure_internet_prefix("*"));
        assert!(!is_azure_internet_prefix("VirtualNetwork"));
        assert!(!is_azure_internet_prefix("10.0.0.0/16"));
    }

    #[test]
    fn port_ranges() {
        assert_eq!(PortRange::parse("22"), Some(PortRange::single(22)));
        assert_eq!(
            PortRange::parse("1000-2000"),
            Some(PortRange {
                from: 1000,
                to: 2000
            })
        );
        assert!(PortRange::parse("*").unwrap().is_all());
        assert!(PortRange::parse("1-65535").unwrap().is_all());
        assert_eq!(PortRange::parse("70000"), None);
        assert_eq!(PortRange::from_numbers(-1, -1), None);
        assert_eq!(PortRange::from_numbers(30, 20), None);
        assert!(PortRange { from: 0, to: 1024 }.contains(22));
        assert_eq!(PortRange::single(22).to_string(), "port 22");
    }

    #[test]
    fn protocols() {
        assert_eq!(Protocol::parse("-1"), Protocol::All);
        assert_eq!(Protocol::parse("Tcp"), Protocol::Tcp);
        assert_eq!(Protocol::parse("6"), Protocol::Tcp);
        assert_eq!(Protocol::parse("icmp"), Protocol::Other);
        assert!(Protocol::All.carries_tcp() && !Protocol::Udp.carries_tcp());
    }

    #[test]
    fn ipv4_numbers() {
        assert_eq!(ipv4("0.0.0.0"), Some(0));
        assert_eq!(ipv4("255.255.255.255"), Some(u32::MAX));
        assert_eq!(ipv4("10.0.0"), None);
        assert_eq!(ipv4("10.0.0.256"), None);
    }
}
