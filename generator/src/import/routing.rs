//! Which imported CDN-type components only route.
//!
//! The source platform draws DNS-based routing (GeoDNS, a global DNS name,
//! an anycast IP, edge routers) with the `cdn` type, the same as a real
//! content delivery network. The simulator gives a cdn the catalog's hit
//! ratio, so such a router would answer most reads itself and hide the
//! regions behind it. A `cdn` component whose name says it routes — a word
//! (or camel-case part) that is `DNS`, or starts with `Anycast` or `Router`,
//! case-insensitively ("GeoDNS", "Global DNS", "Anycast IP", "Edge
//! Routers") — is imported with `hit_ratio: 0`: it forwards every request.

use meridian_engine::spec::Component;

/// Does this component name describe a pure router (DNS, anycast, router)?
pub fn routes_only(name: &str) -> bool {
    words(name).iter().any(|w| {
        let w = w.to_lowercase();
        w == "dns" || w.starts_with("anycast") || w.starts_with("router")
    })
}

/// Sets `hit_ratio: 0` on the `cdn` components that only route (see module docs).
pub fn mark_routers(components: &mut [Component]) {
    for c in components {
        if c.component_type == "cdn" && c.hit_ratio.is_none() && routes_only(&c.name) {
            c.hit_ratio = Some(0.0);
        }
    }
}

/// Splits on anything not alphanumeric, then at camel-case boundaries
/// ("GeoDNS" → "Geo", "DNS"; "DNSServer" → "DNS", "Server").
fn words(name: &str) -> Vec<String> {
    let mut out = Vec::new();
    for token in name.split(|c: char| !c.is_alphanumeric()) {
        let chars: Vec<char> = token.chars().collect();
        let mut cur = String::new();
        for (i, &ch) in chars.iter().enumerate() {
            let prev = i.checked_sub(1).map(|j| chars[j]);
            let next = chars.get(i + 1).copied();
            let boundary = ch.is_uppercase()
                && match prev {
                    Some(p) if p.is_lowercase() || p.is_numeric() => true,
                    Some(p) if p.is_uppercase() => next.is_some_and(char::is_lowercase),
                    _ => false,
                };
            if boundary && !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            cur.push(ch);
        }
        if !cur.is_empty() {
            out.push(cur);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn comp(name: &str, ty: &str) -> Component {
        Component {
            name: name.into(),
            component_type: ty.into(),
            region: "global".into(),
            replicas: 1,
            hit_ratio: None,
            autoscale: None,
            service: None,
        }
    }

    #[test]
    fn routing_names() {
        for n in [
            "GeoDNS",
            "Global DNS",
            "Anycast IP",
            "Edge Routers",
            "Route 53 DNS",
            "geo-dns",
            "DNSServer",
            "Router",
            "anycast",
        ] {
            assert!(routes_only(n), "{n}");
        }
        for n in [
            "CDN",
            "Global CDN",
            "Edge POPs",
            "Edge Network",
            "Dynamo DB",
            "Routing Table",
            "Redundancy",
            "WindowsServer",
        ] {
            assert!(!routes_only(n), "{n}");
        }
    }

    #[test]
    fn only_cdn_components_are_marked() {
        let mut cs = vec![
            comp("GeoDNS", "cdn"),
            comp("Global CDN", "cdn"),
            comp("Edge Routers", "lb"),
            comp("Anycast IP", "cdn"),
        ];
        let mut kept = comp("Global DNS", "cdn");
        kept.hit_ratio = Some(0.5);
        cs.push(kept);
        mark_routers(&mut cs);
        let hits: Vec<Option<f64>> = cs.iter().map(|c| c.hit_ratio).collect();
        assert_eq!(hits, [Some(0.0), None, None, Some(0.0), Some(0.5)]);
    }
}
