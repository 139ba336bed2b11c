//! Who is on the other end: the client's address and scheme, read through
//! trusted reverse proxies only.
//!
//! Behind a proxy every connection comes from the proxy, so throttling by
//! peer address would lump every client together. The proxy says who the
//! client is in `Forwarded` (RFC 7239) or `X-Forwarded-For`, but anyone can
//! send those headers, so they are believed only when the peer is a proxy
//! the operator listed (`REHEARSE_TRUSTED_PROXIES`). Walking the list from
//! the right, each trusted hop vouches for the one before it; the first
//! address that is not a trusted proxy is the client.
//!
//! Only the one header the operator names is read: proxies append to their
//! own header and pass any other through, so reading both would let a
//! client choose its address.
//!
//! The parsing is a few lines over `str::split`, tested below: the crates
//! that do it either pick a fixed position in the list (wrong with more
//! than one proxy) or are unmaintained.

use std::net::{IpAddr, SocketAddr};

use axum::extract::ConnectInfo;
use http::{request::Parts, HeaderMap};
use ipnet::IpNet;

use super::config::{Config, ForwardedHeader};

fn is_trusted(ip: IpAddr, trusted: &[IpNet]) -> bool {
    let ip = canonical(ip);
    trusted.iter().any(|net| net.contains(&ip))
}

/// IPv4-mapped IPv6 (`::ffff:10.0.0.1`) compares as the IPv4 address.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        v4 => v4,
    }
}

/// One `for=` value or X-Forwarded-For entry: `1.2.3.4`, `1.2.3.4:80`,
/// `"[2001:db8::1]:4711"`, `2001:db8::1`. Obfuscated identifiers
/// (`unknown`, `_hidden`) are not addresses.
fn parse_node(raw: &str) -> Option<IpAddr> {
    let node = raw.trim().trim_matches('"');
    if let Ok(ip) = node.parse::<IpAddr>() {
        return Some(canonical(ip));
    }
    if let Ok(sock) = node.parse::<SocketAddr>() {
        return Some(canonical(sock.ip()));
    }
    let inner = node.strip_prefix('[')?.split(']').next()?;
    inner.parse::<IpAddr>().ok().map(canonical)
}

/// The values of every cookie called `name` the request carries, in order:
/// the one cookie reader (session token, theme, the page cache's key).
pub fn cookies<'a>(headers: &'a HeaderMap, name: &'a str) -> impl Iterator<Item = &'a str> {
    headers
        .get_all(http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .filter(move |(n, _)| *n == name)
        .map(|(_, value)| value)
}

/// The `key=value` pairs of each element of a `Forwarded` header, in order.
fn forwarded_elements(headers: &HeaderMap) -> Vec<Vec<(String, String)>> {
    headers
        .get_all(http::header::FORWARDED)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|element| {
            element
                .split(';')
                .filter_map(|pair| pair.split_once('='))
                .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned()))
                .collect()
        })
        .collect()
}

/// The hops a trusted proxy reported in `header`, nearest last. `None`
/// marks an entry that is not an address.
fn reported_hops(headers: &HeaderMap, header: ForwardedHeader) -> Vec<Option<IpAddr>> {
    match header {
        ForwardedHeader::Forwarded => forwarded_elements(headers)
            .iter()
            .filter_map(|pairs| pairs.iter().find(|(k, _)| k == "for"))
            .map(|(_, v)| parse_node(v))
            .collect(),
        ForwardedHeader::XForwardedFor => headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .map(parse_node)
            .collect(),
    }
}

/// The client's address given the connection's peer.
pub fn client_ip(
    headers: &HeaderMap,
    peer: IpAddr,
    trusted: &[IpNet],
    header: ForwardedHeader,
) -> IpAddr {
    let mut client = canonical(peer);
    if !is_trusted(client, trusted) {
        return client;
    }
    for hop in reported_hops(headers, header).into_iter().rev() {
        match hop {
            // The trusted hop we are at vouches for this one.
            Some(ip) => {
                client = ip;
                if !is_trusted(ip, trusted) {
                    break;
                }
            }
            // Garbage: stop at the last address a trusted hop gave us.
            None => break,
        }
    }
    client
}

/// The scheme the client used: what a trusted proxy says, else ours.
pub fn client_scheme(
    headers: &HeaderMap,
    peer: Option<IpAddr>,
    trusted: &[IpNet],
    header: ForwardedHeader,
    secure: bool,
) -> &'static str {
    let ours = if secure { "https" } else { "http" };
    if !peer.is_some_and(|p| is_trusted(p, trusted)) {
        return ours;
    }
    let reported = match header {
        ForwardedHeader::Forwarded => {
            forwarded_elements(headers)
                .into_iter()
                .rev()
                .find_map(|pairs| {
                    pairs
                        .into_iter()
                        .find(|(k, _)| k == "proto")
                        .map(|(_, v)| v)
                })
        }
        ForwardedHeader::XForwardedFor => headers
            .get("x-forwarded-proto")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.rsplit(',').next())
            .map(|v| v.trim().to_owned()),
    };
    match reported.map(|p| p.trim_matches('"').to_ascii_lowercase()) {
        Some(p) if p == "https" => "https",
        Some(p) if p == "http" => "http",
        _ => ours,
    }
}

fn peer(parts: &Parts) -> Option<IpAddr> {
    parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip())
}

/// The client's address for this request, as the key rate limits count
/// by: an IPv4 address, or an IPv6 /64 (one subscriber's usual share, so
/// rotating through it gains nothing). "unknown" when there is no
/// connection, as in router tests.
pub fn client_address(parts: &Parts, config: &Config) -> String {
    let Some(peer) = peer(parts) else {
        return "unknown".to_owned();
    };
    match client_ip(
        &parts.headers,
        peer,
        &config.trusted_proxies,
        config.forwarded_header,
    ) {
        IpAddr::V6(v6) => ipnet::Ipv6Net::new(v6, 64)
            .map_or_else(|_| v6.to_string(), |net| net.trunc().to_string()),
        v4 => v4.to_string(),
    }
}

/// `scheme://host` as the client's browser sees this site, for comparing
/// with `Origin`. `None` without a `Host` header.
pub fn client_origin(parts: &Parts, config: &Config) -> Option<String> {
    let host = parts.headers.get(http::header::HOST)?.to_str().ok()?;
    let scheme = client_scheme(
        &parts.headers,
        peer(parts),
        &config.trusted_proxies,
        config.forwarded_header,
        config.secure_cookies,
    );
    Some(format!("{scheme}://{}", host.to_ascii_lowercase()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::HeaderValue;
    use ForwardedHeader::{Forwarded as Fwd, XForwardedFor as Xff};

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap_or(IpAddr::from([0, 0, 0, 0]))
    }

    fn nets(list: &[&str]) -> Vec<IpNet> {
        list.iter().filter_map(|n| n.parse().ok()).collect()
    }

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.append(*k, HeaderValue::from_static(v));
        }
        h
    }

    #[test]
    fn an_untrusted_peer_is_the_client_whatever_it_claims() {
        let h = headers(&[("x-forwarded-for", "1.1.1.1"), ("forwarded", "for=2.2.2.2")]);
        let trusted = nets(&["10.0.0.0/8"]);
        assert_eq!(client_ip(&h, ip("9.9.9.9"), &trusted, Xff), ip("9.9.9.9"));
        assert_eq!(client_ip(&h, ip("9.9.9.9"), &[], Fwd), ip("9.9.9.9"));
    }

    #[test]
    fn behind_a_trusted_proxy_the_rightmost_untrusted_hop_is_the_client() {
        let trusted = nets(&["10.0.0.0/8"]);
        let proxy = ip("10.0.0.1");
        // The client forged the first entry; the proxy appended the real one.
        let h = headers(&[("x-forwarded-for", "6.6.6.6, 203.0.113.7, 10.0.0.2")]);
        assert_eq!(client_ip(&h, proxy, &trusted, Xff), ip("203.0.113.7"));
        // Split across two header lines.
        let h = headers(&[
            ("x-forwarded-for", "6.6.6.6"),
            ("x-forwarded-for", "203.0.113.7"),
        ]);
        assert_eq!(client_ip(&h, proxy, &trusted, Xff), ip("203.0.113.7"));
        // Nothing reported: the proxy itself.
        assert_eq!(client_ip(&HeaderMap::new(), proxy, &trusted, Xff), proxy);
        // Garbage stops the walk at the last trusted word.
        let h = headers(&[("x-forwarded-for", "203.0.113.7, nonsense")]);
        assert_eq!(client_ip(&h, proxy, &trusted, Xff), proxy);
        // A Forwarded header the client sent, passed through by a proxy
        // that writes X-Forwarded-For, is not believed.
        let h = headers(&[
            ("forwarded", "for=6.6.6.6"),
            ("x-forwarded-for", "203.0.113.7"),
        ]);
        assert_eq!(client_ip(&h, proxy, &trusted, Xff), ip("203.0.113.7"));
    }

    #[test]
    fn forwarded_forms_parse() {
        let trusted = nets(&["127.0.0.1/32", "::1/128"]);
        let h = headers(&[
            (
                "forwarded",
                r#"for=6.6.6.6, for="[2001:db8:cafe::17]:4711";proto=https"#,
            ),
            ("x-forwarded-for", "5.5.5.5"),
        ]);
        assert_eq!(
            client_ip(&h, ip("::1"), &trusted, Fwd),
            ip("2001:db8:cafe::17")
        );
        let h = headers(&[("forwarded", "for=198.51.100.3:8080;by=127.0.0.1")]);
        let mapped = ip("::ffff:127.0.0.1");
        assert_eq!(client_ip(&h, mapped, &trusted, Fwd), ip("198.51.100.3"));
        let h = headers(&[("forwarded", "for=unknown")]);
        assert_eq!(
            client_ip(&h, ip("127.0.0.1"), &trusted, Fwd),
            ip("127.0.0.1")
        );
    }

    #[test]
    fn the_scheme_comes_from_a_trusted_proxy_only() {
        let trusted = nets(&["10.0.0.0/8"]);
        let proxy = Some(ip("10.0.0.1"));
        let h = headers(&[("x-forwarded-proto", "https")]);
        assert_eq!(client_scheme(&h, proxy, &trusted, Xff, false), "https");
        assert_eq!(
            client_scheme(&h, Some(ip("8.8.8.8")), &trusted, Xff, false),
            "http"
        );
        assert_eq!(client_scheme(&h, None, &trusted, Xff, true), "https");
        let h = headers(&[("forwarded", "for=1.2.3.4;proto=http")]);
        assert_eq!(client_scheme(&h, proxy, &trusted, Fwd, true), "http");
        assert_eq!(client_scheme(&h, proxy, &trusted, Xff, true), "https");
    }
}
