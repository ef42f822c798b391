//! The settings users may give the security plugin in `tfwarden.toml`,
//! checked once at load so a typo fails before any plan is read.

use serde::Deserialize;

/// Ports that SEC012 treats as database ports unless `database_ports` says otherwise.
pub const DEFAULT_DATABASE_PORTS: &[u16] = &[
    1433,  // SQL Server
    1521,  // Oracle
    2483,  // Oracle TCPS
    3306,  // MySQL, MariaDB, Aurora
    5432,  // PostgreSQL
    5439,  // Redshift
    6379,  // Redis
    7474,  // Neo4j
    8529,  // ArangoDB
    9042,  // Cassandra
    9200,  // Elasticsearch and OpenSearch
    11211, // Memcached
    27017, // MongoDB, DocumentDB
];

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Settings {
    /// The TCP ports SEC012 protects from internet ingress.
    pub database_ports: Vec<u16>,
    /// Whether SEC027 requires customer-managed keys on GCP disks.
    pub require_gcp_disk_cmek: bool,
    /// The longest automatic rotation period SEC071 accepts for Cloud KMS keys.
    pub gcp_kms_max_rotation_days: u32,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            database_ports: DEFAULT_DATABASE_PORTS.to_vec(),
            require_gcp_disk_cmek: false,
            gcp_kms_max_rotation_days: 365,
        }
    }
}

impl Settings {
    /// Rejects settings that parse but make no sense, naming the setting and the fix.
    pub fn validate(&self) -> Result<(), String> {
        if self.database_ports.is_empty() {
            return Err("`database_ports` is empty: list at least one port, or remove the setting to use the defaults".into());
        }
        if self.database_ports.contains(&0) {
            return Err(
                "`database_ports` contains 0, which is not a port: use numbers from 1 to 65535"
                    .into(),
            );
        }
        if !(1..=3650).contains(&self.gcp_kms_max_rotation_days) {
            return Err(format!(
                "`gcp_kms_max_rotation_days` is {}: use a number of days from 1 to 3650 (CIS recommends 90)",
                self.gcp_kms_max_rotation_days
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_valid() {
        assert_eq!(Settings::default().validate(), Ok(()));
    }

    #[test]
    fn rejects_nonsense_with_the_setting_named() {
        let empty = Settings {
            database_ports: vec![],
            ..Settings::default()
        };
        assert!(empty.validate().unwrap_err().contains("database_ports"));
        let zero = Settings {
            database_ports: vec![0],
            ..Settings::default()
        };
        assert!(zero.validate().unwrap_err().contains("database_ports"));
        let days = Settings {
            gcp_kms_max_rotation_days: 0,
            ..Settings::default()
        };
        assert!(
            days.validate()
                .unwrap_err()
                .contains("gcp_kms_max_rotation_days")
        );
    }

    #[test]
    fn unknown_fields_are_typos() {
        let err = serde_json::from_str::<Settings>(r#"{"database_port":[1]}"#).unwrap_err();
        assert!(err.to_string().contains("database_port"));
        let partial: Settings = serde_json::from_str(r#"{"require_gcp_disk_cmek":true}"#).unwrap();
        assert_eq!(partial.database_ports, DEFAULT_DATABASE_PORTS);
    }
}
