//! Runtime configuration, read once from the environment at start-up.

use std::{net::SocketAddr, time::Duration};

/// Printed by `rehearse --help`.
pub const HELP: &str = "\
Rehearse: self-hosted mock interviews for backend developers.

USAGE:
    rehearse                         serve the app (default)
    rehearse serve                   same as above
    rehearse admin grant <username>  make an existing account an admin
    rehearse --help                  show this help

ENVIRONMENT (all optional):
    REHEARSE_DATABASE_URL    sqlite://FILE, or postgres://USER:PASSWORD@HOST/DATABASE
                             [default: sqlite://data/rehearse.db]
    REHEARSE_ADDR            address to listen on       [default: LEPTOS_SITE_ADDR or 127.0.0.1:3000]
    REHEARSE_LOG             log filter (tracing)       [default: RUST_LOG or info]
    REHEARSE_SECURE_COOKIES  mark cookies Secure and use the __Host- prefix;
                             turn on when served over HTTPS  [default: false]
    REHEARSE_REQUEST_TIMEOUT_SECS  per-request time limit    [default: 30]
    REHEARSE_BODY_LIMIT_BYTES      largest request body       [default: 262144]
    REHEARSE_HEADER_TIMEOUT_SECS   time a client gets to send a request's
                                   headers, and to start its next request on
                                   a kept-alive connection   [default: 10]
    REHEARSE_MAX_CONNECTIONS       open connections at most   [default: 1024]
    REHEARSE_TRUSTED_PROXIES       comma-separated addresses or CIDR ranges of
                                   reverse proxies whose X-Forwarded-For /
                                   Forwarded / X-Forwarded-Proto headers are
                                   believed, e.g. 127.0.0.1,10.0.0.0/8
                                   [default: none: the peer is the client]
    REHEARSE_FORWARDED_HEADER      which header trusted proxies set: x-forwarded-for
                                   (with X-Forwarded-Proto) or forwarded; the
                                   other is ignored, so a client can't supply
                                   it through a proxy that passes it along
                                   [default: x-forwarded-for]
    REHEARSE_REGISTRATIONS_PER_HOUR  new accounts per client address [default: 10]
    REHEARSE_GUESTS_PER_HOUR       new guest practice accounts per client
                                   address                    [default: 20]
    REHEARSE_GUEST_RETENTION_DAYS  a guest unseen this long is deleted with
                                   all its data               [default: 30]
    REHEARSE_RECRUITER_SIGNUP      open: anyone may register as a recruiter;
                                   invite: only through a team's invitation
                                   or an admin                [default: open]
    LEPTOS_SITE_ROOT         where the built site (pkg/, CSS) lives [default: target/site]
";

#[derive(Debug, Clone)]
pub struct Config {
    pub database_url: String,
    pub addr: SocketAddr,
    pub log_filter: String,
    pub secure_cookies: bool,
    pub request_timeout: Duration,
    pub body_limit_bytes: usize,
    pub header_read_timeout: Duration,
    pub max_connections: usize,
    /// Peers whose forwarding headers are believed.
    pub trusted_proxies: Vec<ipnet::IpNet>,
    /// The one forwarding header trusted proxies set.
    pub forwarded_header: ForwardedHeader,
    pub registrations_per_hour: u32,
    pub guests_per_hour: u32,
    pub guest_retention_days: u32,
    /// Who may register as a recruiter: anyone (`open`), or only those a
    /// team invites or an admin grants (`invite`).
    pub recruiter_signup: RecruiterSignup,
    /// Tests only: `POST /__test/clock` moves the server's clock. `make run`
    /// never sets `REHEARSE_TEST_CLOCK`.
    pub test_clock: bool,
}

/// `REHEARSE_RECRUITER_SIGNUP`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecruiterSignup {
    /// Anyone registering may choose to be a recruiter (the default).
    Open,
    /// Recruiters come only through a team invitation or an admin.
    Invite,
}

/// Which header a trusted reverse proxy writes the client into. Only that
/// one is read: proxies append to their own header and pass the other one
/// through untouched, so reading both would let a client pick its address.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ForwardedHeader {
    /// `X-Forwarded-For`, with `X-Forwarded-Proto` for the scheme.
    XForwardedFor,
    /// RFC 7239 `Forwarded` (`for=` and `proto=`).
    Forwarded,
}

#[derive(Debug, thiserror::Error)]
#[error("invalid configuration: {name} = {value:?}: {reason}")]
pub struct ConfigError {
    name: &'static str,
    value: String,
    reason: &'static str,
}

impl Config {
    /// Reads the configuration through `get`, so tests can pass a map
    /// instead of touching the process environment.
    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let addr_raw = get("REHEARSE_ADDR")
            .or_else(|| get("LEPTOS_SITE_ADDR"))
            .unwrap_or_else(|| "127.0.0.1:3000".to_owned());
        let addr = addr_raw.parse().map_err(|_| ConfigError {
            name: "REHEARSE_ADDR",
            value: addr_raw.clone(),
            reason: "expected host:port, e.g. 127.0.0.1:3000",
        })?;
        let database_url =
            get("REHEARSE_DATABASE_URL").unwrap_or_else(|| "sqlite://data/rehearse.db".to_owned());
        if !(database_url.starts_with("sqlite:") || super::db::is_postgres(&database_url)) {
            return Err(ConfigError {
                name: "REHEARSE_DATABASE_URL",
                value: super::db::redacted(&database_url),
                reason: "expected sqlite://FILE or postgres://USER:PASSWORD@HOST/DATABASE",
            });
        }
        Ok(Self {
            database_url,
            addr,
            log_filter: get("REHEARSE_LOG")
                .or_else(|| get("RUST_LOG"))
                .unwrap_or_else(|| "info".to_owned()),
            secure_cookies: parse_bool(&get, "REHEARSE_SECURE_COOKIES", false)?,
            request_timeout: Duration::from_secs(parse_num(
                &get,
                "REHEARSE_REQUEST_TIMEOUT_SECS",
                30,
            )?),
            body_limit_bytes: parse_num(&get, "REHEARSE_BODY_LIMIT_BYTES", 256 * 1024)?,
            header_read_timeout: Duration::from_secs(
                parse_num(&get, "REHEARSE_HEADER_TIMEOUT_SECS", 10_u64)?.max(1),
            ),
            max_connections: parse_num(&get, "REHEARSE_MAX_CONNECTIONS", 1024_usize)?.max(1),
            trusted_proxies: parse_nets(&get, "REHEARSE_TRUSTED_PROXIES")?,
            forwarded_header: match get("REHEARSE_FORWARDED_HEADER")
                .map(|v| v.trim().to_ascii_lowercase())
                .as_deref()
            {
                None | Some("" | "x-forwarded-for") => ForwardedHeader::XForwardedFor,
                Some("forwarded") => ForwardedHeader::Forwarded,
                Some(other) => {
                    return Err(ConfigError {
                        name: "REHEARSE_FORWARDED_HEADER",
                        value: other.to_owned(),
                        reason: "expected x-forwarded-for or forwarded",
                    })
                }
            },
            registrations_per_hour: parse_num(&get, "REHEARSE_REGISTRATIONS_PER_HOUR", 10)?,
            guests_per_hour: parse_num(&get, "REHEARSE_GUESTS_PER_HOUR", 20)?,
            guest_retention_days: parse_num(
                &get,
                "REHEARSE_GUEST_RETENTION_DAYS",
                super::defaults::DEFAULT_GUEST_RETENTION_DAYS,
            )?
            .max(1),
            recruiter_signup: match get("REHEARSE_RECRUITER_SIGNUP")
                .map(|v| v.trim().to_ascii_lowercase())
                .as_deref()
            {
                None | Some("" | "open") => RecruiterSignup::Open,
                Some("invite") => RecruiterSignup::Invite,
                Some(other) => {
                    return Err(ConfigError {
                        name: "REHEARSE_RECRUITER_SIGNUP",
                        value: other.to_owned(),
                        reason: "expected open or invite",
                    })
                }
            },
            test_clock: parse_bool(&get, "REHEARSE_TEST_CLOCK", false)?,
        })
    }

    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// Name of the session cookie: the `__Host-` prefix makes browsers refuse
    /// it unless it is Secure, host-only and Path=/, so it only fits HTTPS.
    pub fn session_cookie_name(&self) -> &'static str {
        if self.secure_cookies {
            "__Host-rehearse_session"
        } else {
            "rehearse_session"
        }
    }
}

fn parse_bool(
    get: &impl Fn(&str) -> Option<String>,
    name: &'static str,
    default: bool,
) -> Result<bool, ConfigError> {
    match get(name).as_deref().map(str::trim) {
        None | Some("") => Ok(default),
        Some("1" | "true" | "yes" | "on") => Ok(true),
        Some("0" | "false" | "no" | "off") => Ok(false),
        Some(other) => Err(ConfigError {
            name,
            value: other.to_owned(),
            reason: "expected true or false",
        }),
    }
}

fn parse_num<T: std::str::FromStr>(
    get: &impl Fn(&str) -> Option<String>,
    name: &'static str,
    default: T,
) -> Result<T, ConfigError> {
    match get(name) {
        None => Ok(default),
        Some(raw) => raw.trim().parse().map_err(|_| ConfigError {
            name,
            value: raw,
            reason: "expected a whole number",
        }),
    }
}

/// A comma-separated list of addresses (`10.0.0.1`) and ranges (`10.0.0.0/8`).
fn parse_nets(
    get: &impl Fn(&str) -> Option<String>,
    name: &'static str,
) -> Result<Vec<ipnet::IpNet>, ConfigError> {
    let Some(raw) = get(name) else {
        return Ok(Vec::new());
    };
    raw.split(',')
        .map(str::trim)
        .filter(|item| !item.is_empty())
        .map(|item| {
            item.parse::<ipnet::IpNet>()
                .or_else(|_| item.parse::<std::net::IpAddr>().map(ipnet::IpNet::from))
                .map_err(|_| ConfigError {
                    name,
                    value: item.to_owned(),
                    reason: "expected an IP address or a CIDR range such as 10.0.0.0/8",
                })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn config(pairs: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Config::from_lookup(|k| map.get(k).cloned())
    }

    #[test]
    fn defaults_are_local_and_safe() -> Result<(), ConfigError> {
        let c = config(&[])?;
        assert_eq!(c.addr.to_string(), "127.0.0.1:3000");
        assert!(!c.secure_cookies);
        assert_eq!(c.session_cookie_name(), "rehearse_session");
        assert_eq!(c.database_url, "sqlite://data/rehearse.db");
        Ok(())
    }

    #[test]
    fn the_database_url_names_one_of_the_two_backends() {
        let pg = "postgres://rehearse:s3cret@db.internal/rehearse";
        assert!(config(&[("REHEARSE_DATABASE_URL", pg)]).is_ok());
        assert!(config(&[("REHEARSE_DATABASE_URL", "sqlite::memory:")]).is_ok());
        let refused = config(&[("REHEARSE_DATABASE_URL", "mysql://root:s3cret@db/rehearse")]);
        let message = refused.map(|_| ()).map_err(|e| e.to_string());
        assert!(
            matches!(&message, Err(m) if m.contains("postgres://")),
            "{message:?}"
        );
        assert!(
            !format!("{message:?}").contains("s3cret"),
            "the password stays out"
        );
    }

    #[test]
    fn secure_cookies_use_host_prefix() -> Result<(), ConfigError> {
        let c = config(&[("REHEARSE_SECURE_COOKIES", "true")])?;
        assert_eq!(c.session_cookie_name(), "__Host-rehearse_session");
        Ok(())
    }

    #[test]
    fn bad_values_are_named() {
        let err = config(&[("REHEARSE_BODY_LIMIT_BYTES", "lots")]).err();
        let msg = err.map(|e| e.to_string()).unwrap_or_default();
        assert!(msg.contains("REHEARSE_BODY_LIMIT_BYTES"), "{msg}");
    }

    #[test]
    fn trusted_proxies_take_addresses_and_ranges() -> Result<(), ConfigError> {
        let c = config(&[("REHEARSE_TRUSTED_PROXIES", "127.0.0.1, 10.0.0.0/8,::1")])?;
        assert_eq!(c.trusted_proxies.len(), 3);
        assert!(
            c.trusted_proxies[1].contains(&"10.1.2.3".parse::<std::net::IpAddr>().map_err(
                |_| ConfigError {
                    name: "x",
                    value: String::new(),
                    reason: ""
                }
            )?)
        );
        assert!(config(&[("REHEARSE_TRUSTED_PROXIES", "everyone")]).is_err());
        assert!(config(&[])?.trusted_proxies.is_empty());
        Ok(())
    }
}
