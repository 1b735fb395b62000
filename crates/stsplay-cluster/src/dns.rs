//! Endpoints and cluster DNS (CoreDNS's kubernetes plugin): per-pod names for headless Services,
//! Service names, readiness and `publishNotReadyAddresses` (reference §6).
//!
//! What CoreDNS answers here:
//! * `<svc>.<ns>.svc.cluster.local`: a ClusterIP Service → its cluster IP; a headless Service → the IPs of
//!   its published endpoints (ready ones, or all with `publishNotReadyAddresses`), none → NXDOMAIN.
//! * `<hostname>.<svc>.<ns>.svc.cluster.local`: a published endpoint whose pod has `hostname` and
//!   `subdomain == <svc>` (a StatefulSet pod whose `serviceName` names this headless Service).
//! * `<a-b-c-d>.<ns>.pod.cluster.local`: `pods insecure` (kubeadm/kind's Corefile) answers the address
//!   written in the name without looking.
//! * PTR (reverse) for cluster IPs, and for endpoint IPs: `<hostname or a-b-c-d>.<svc>.<ns>.svc.cluster.local`.
//! * The Services every cluster has: `kubernetes.default` (10.96.0.1) and `kube-dns.kube-system` (10.96.0.10),
//!   even though the playground's store does not list them.
//!
//! Not modelled: names outside the cluster (there is no upstream resolver), caching (names resolve as soon as
//! endpoints change), the `loadbalance` plugin's shuffling (answers come in endpoint order), SRV records.

use crate::world::World;
use stsplay_model::kinds::Kind;
use stsplay_model::labels::Selector;
use stsplay_model::objects::*;

pub const CLUSTER_DOMAIN: &str = "cluster.local";
pub const DNS_SERVER: &str = "10.96.0.10";
/// The `kubernetes` Service's cluster IP (the API server).
pub const KUBERNETES_SERVICE_IP: &str = "10.96.0.1";

/// One address of a Service's endpoints.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Endpoint {
    pub ip: String,
    pub pod: String,
    pub hostname: Option<String>,
    pub ready: bool,
}

/// The pods behind a Service (ready ones first in `ready`), as the EndpointSlice controller sees them.
pub fn endpoints(w: &World, svc: &Service) -> Vec<Endpoint> {
    let Some(sel) = &svc.spec.selector else { return vec![] };
    if sel.is_empty() {
        return vec![];
    }
    let selector =
        Selector(sel.iter().map(|(k, v)| stsplay_model::labels::Requirement::Equals(k.clone(), v.clone())).collect());
    let mut out = Vec::new();
    for p in w.pods(&svc.metadata.namespace) {
        if !selector.matches(&p.metadata.labels) {
            continue;
        }
        let Some(ip) = p.status.pod_ip.clone() else { continue };
        if matches!(p.status.phase.as_str(), "Failed" | "Succeeded") {
            continue;
        }
        let ready = p.is_ready() && p.metadata.deletion_timestamp.is_none();
        let hostname =
            (!p.spec.hostname.is_empty() && p.spec.subdomain == svc.metadata.name).then(|| p.spec.hostname.clone());
        out.push(Endpoint { ip, pod: p.metadata.name.clone(), hostname, ready });
    }
    out
}

/// Addresses DNS would publish for a Service: ready ones, or all with publishNotReadyAddresses.
pub fn published(w: &World, svc: &Service) -> Vec<Endpoint> {
    endpoints(w, svc).into_iter().filter(|e| e.ready || svc.spec.publish_not_ready_addresses).collect()
}

/// An answer to an A query: the fully qualified name asked and (ip, ptr name) pairs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Answer {
    pub fqdn: String,
    pub addresses: Vec<(String, Option<String>)>,
}

/// The longest name a query may carry (RFC 1035: 253 characters in text form).
const MAX_NAME: usize = 253;

/// Resolves a name as a pod in namespace `ns` would (search path `<ns>.svc.cluster.local svc.cluster.local
/// cluster.local`, `ndots:5`: a name with fewer than five dots tries the search path first).
pub fn resolve(w: &World, ns: &str, name: &str) -> Option<Answer> {
    if name.is_empty() || name.len() > MAX_NAME {
        return None;
    }
    if name.ends_with('.') {
        let fqdn = name.trim_end_matches('.').to_ascii_lowercase();
        return lookup(w, &fqdn).map(|addresses| Answer { fqdn, addresses });
    }
    let lower = name.to_ascii_lowercase();
    let searched = [
        format!("{lower}.{ns}.svc.{CLUSTER_DOMAIN}"),
        format!("{lower}.svc.{CLUSTER_DOMAIN}"),
        format!("{lower}.{CLUSTER_DOMAIN}"),
    ];
    let absolute_first = lower.matches('.').count() >= 5;
    let mut candidates: Vec<String> = Vec::new();
    if absolute_first {
        candidates.push(lower.clone());
    }
    candidates.extend(searched);
    if !absolute_first {
        candidates.push(lower);
    }
    candidates.into_iter().find_map(|fqdn| lookup(w, &fqdn).map(|addresses| Answer { fqdn, addresses }))
}

/// The Services the playground's cluster has without listing them: (namespace, name, cluster IP).
const BUILTIN_SERVICES: [(&str, &str, &str); 2] =
    [("default", "kubernetes", KUBERNETES_SERVICE_IP), ("kube-system", "kube-dns", DNS_SERVER)];

/// A lookup of a fully qualified name.
fn lookup(w: &World, fqdn: &str) -> Option<Vec<(String, Option<String>)>> {
    let fqdn = fqdn.trim_end_matches('.');
    if let Some(rest) = fqdn.strip_suffix(&format!(".pod.{CLUSTER_DOMAIN}")) {
        // `pods insecure`: `10-244-1-5.default.pod.cluster.local` → 10.244.1.5.
        let (dashed, _ns) = rest.split_once('.')?;
        let octets: Vec<&str> = dashed.split('-').collect();
        let valid = octets.len() == 4 && octets.iter().all(|o| o.parse::<u8>().is_ok());
        return valid.then(|| vec![(octets.join("."), None)]);
    }
    let rest = fqdn.strip_suffix(&format!(".svc.{CLUSTER_DOMAIN}"))?;
    let parts: Vec<&str> = rest.split('.').collect();
    match parts.as_slice() {
        [svc, ns] => {
            let Some(s) = w.store.get_by(Kind::Service, ns, svc).and_then(|o| o.as_service()) else {
                let (_, _, ip) = BUILTIN_SERVICES.iter().find(|(bns, bname, _)| bns == ns && bname == svc)?;
                return Some(vec![(ip.to_string(), Some(fqdn.to_string()))]);
            };
            if s.is_headless() {
                let eps = published(w, s);
                if eps.is_empty() {
                    return None;
                }
                Some(
                    eps.into_iter()
                        .map(|e| {
                            let host = e.hostname.clone().unwrap_or_else(|| e.ip.replace('.', "-"));
                            (e.ip, Some(format!("{host}.{svc}.{ns}.svc.{CLUSTER_DOMAIN}")))
                        })
                        .collect(),
                )
            } else {
                let ip = s.spec.cluster_ip.clone().filter(|ip| !ip.is_empty())?;
                Some(vec![(ip, Some(format!("{svc}.{ns}.svc.{CLUSTER_DOMAIN}")))])
            }
        }
        [host, svc, ns] => {
            let s = w.store.get_by(Kind::Service, ns, svc)?.as_service()?;
            if !s.is_headless() {
                return None;
            }
            let e = published(w, s).into_iter().find(|e| e.hostname.as_deref() == Some(*host))?;
            Some(vec![(e.ip, Some(fqdn.to_string()))])
        }
        _ => None,
    }
}

/// The PTR answer for an IPv4 address, as CoreDNS gives it: a Service's cluster IP → the Service's name; an
/// endpoint's IP → `<hostname or a-b-c-d>.<svc>.<ns>.svc.cluster.local`; anything else → none.
pub fn reverse(w: &World, ip: &str) -> Option<String> {
    if let Some((ns, name, _)) = BUILTIN_SERVICES.iter().find(|(_, _, bip)| *bip == ip) {
        return Some(format!("{name}.{ns}.svc.{CLUSTER_DOMAIN}"));
    }
    let mut services: Vec<&Service> = w.store.list(Kind::Service, None).filter_map(|o| o.as_service()).collect();
    services.sort_by(|a, b| {
        (a.metadata.namespace.as_str(), a.metadata.name.as_str())
            .cmp(&(b.metadata.namespace.as_str(), b.metadata.name.as_str()))
    });
    if let Some(s) = services.iter().find(|s| s.spec.cluster_ip.as_deref() == Some(ip)) {
        return Some(format!("{}.{}.svc.{CLUSTER_DOMAIN}", s.metadata.name, s.metadata.namespace));
    }
    // CoreDNS answers one PTR per Service whose endpoints hold the address, in no fixed order; the C library
    // takes the first. Here: a per-pod name (hostname) first, then by Service name.
    let mut names: Vec<(bool, String)> = Vec::new();
    for s in services {
        if let Some(e) = published(w, s).into_iter().find(|e| e.ip == ip) {
            let named = e.hostname.is_some();
            let host = e.hostname.unwrap_or_else(|| e.ip.replace('.', "-"));
            names.push((!named, format!("{host}.{}.{}.svc.{CLUSTER_DOMAIN}", s.metadata.name, s.metadata.namespace)));
        }
    }
    names.sort_by_key(|(unnamed, _)| *unnamed);
    names.into_iter().next().map(|(_, n)| n)
}

/// Whether `s` is a dotted-quad IPv4 address.
pub fn is_ipv4(s: &str) -> bool {
    let parts: Vec<&str> = s.split('.').collect();
    parts.len() == 4 && parts.iter().all(|p| !p.is_empty() && p.len() <= 3 && p.parse::<u8>().is_ok())
}

/// Where traffic to an IP address goes: a running pod that has it, or a Service's cluster IP.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    /// A pod (namespace, name).
    Pod(String, String),
    /// A ClusterIP Service (namespace, name).
    Service(String, String),
    /// Nothing has this address.
    Nothing,
}

pub fn target_of(w: &World, ip: &str) -> Target {
    let mut services: Vec<&Service> = w.store.list(Kind::Service, None).filter_map(|o| o.as_service()).collect();
    services.sort_by(|a, b| a.metadata.name.cmp(&b.metadata.name));
    if let Some(s) = services.iter().find(|s| !s.is_headless() && s.spec.cluster_ip.as_deref() == Some(ip)) {
        return Target::Service(s.metadata.namespace.clone(), s.metadata.name.clone());
    }
    let pod = w
        .store
        .list(Kind::Pod, None)
        .filter_map(|o| o.as_pod())
        .filter(|p| {
            p.status.pod_ip.as_deref() == Some(ip) && !matches!(p.status.phase.as_str(), "Failed" | "Succeeded")
        })
        .min_by_key(|p| p.metadata.deletion_timestamp.is_some());
    match pod {
        Some(p) => Target::Pod(p.metadata.namespace.clone(), p.metadata.name.clone()),
        None => Target::Nothing,
    }
}

/// The endpoint kube-proxy sends a connection to a ClusterIP Service's `port` to: the first ready one (real
/// kube-proxy picks at random), with the target port.
pub fn service_backend(w: &World, ns: &str, name: &str, port: u16) -> Option<(String, u16)> {
    let s = w.store.get_by(Kind::Service, ns, name)?.as_service()?;
    let sp = s.spec.ports.iter().find(|p| p.port == i32::from(port))?;
    let target = match &sp.target_port {
        Some(serde_json::Value::Number(n)) => n.as_u64().and_then(|n| u16::try_from(n).ok()).unwrap_or(port),
        Some(serde_json::Value::String(named)) => {
            let e = endpoints(w, s).into_iter().find(|e| e.ready)?;
            let pod = w.get_pod(ns, &e.pod)?;
            let p =
                pod.spec.containers.iter().flat_map(|c| c.ports.iter()).find(|p| p.name.as_deref() == Some(named))?;
            u16::try_from(p.container_port).ok()?
        }
        _ => port,
    };
    let e = endpoints(w, s).into_iter().find(|e| e.ready)?;
    Some((e.pod, target))
}

#[cfg(test)]
mod tests {
    use super::*;
    use stsplay_model::kinds::Object;

    fn apply(w: &mut World, v: serde_json::Value) {
        let obj = match v["kind"].as_str() {
            Some("Service") => Object::Service(serde_json::from_value(v).unwrap()),
            _ => Object::StatefulSet(serde_json::from_value(v).unwrap()),
        };
        w.api_create(obj).unwrap();
    }

    fn world(publish: bool, service_name: &str) -> World {
        let mut w = World::new(5);
        apply(
            &mut w,
            serde_json::json!({"kind": "Service", "metadata": {"name": "nginx"},
                "spec": {"clusterIP": "None", "publishNotReadyAddresses": publish, "selector": {"app": "nginx"}}}),
        );
        apply(
            &mut w,
            serde_json::json!({"kind": "Service", "metadata": {"name": "front"},
                "spec": {"selector": {"app": "nginx"}, "ports": [{"port": 80}]}}),
        );
        apply(
            &mut w,
            serde_json::json!({"kind": "StatefulSet", "metadata": {"name": "web"}, "spec": {
                "serviceName": service_name, "replicas": 2, "selector": {"matchLabels": {"app": "nginx"}},
                "template": {"metadata": {"labels": {"app": "nginx"}},
                    "spec": {"containers": [{"name": "nginx", "image": "nginx:1.25"}]}}}}),
        );
        w
    }

    fn ip(w: &World, pod: &str) -> String {
        w.get_pod("default", pod).and_then(|p| p.status.pod_ip.clone()).unwrap_or_default()
    }

    #[test]
    fn records_follow_readiness() {
        let mut w = world(false, "nginx");
        assert_eq!(resolve(&w, "default", "web-0.nginx"), None);
        assert!(w.settle(600_000));
        let a = resolve(&w, "default", "web-0.nginx").unwrap();
        assert_eq!(a.fqdn, "web-0.nginx.default.svc.cluster.local");
        assert_eq!(a.addresses, vec![(ip(&w, "web-0"), Some("web-0.nginx.default.svc.cluster.local".into()))]);
        let svc = resolve(&w, "default", "nginx").unwrap();
        assert_eq!(svc.addresses.len(), 2);
        // From another namespace, the namespace must be named.
        assert_eq!(resolve(&w, "other", "web-0.nginx"), None);
        assert!(resolve(&w, "other", "web-0.nginx.default").is_some());
        assert!(resolve(&w, "other", "web-0.nginx.default.svc.cluster.local.").is_some());
        // A ClusterIP Service resolves to its cluster IP only, and has no per-pod names.
        let front = resolve(&w, "default", "front").unwrap();
        assert_eq!(front.addresses.len(), 1);
        assert_ne!(front.addresses[0].0, ip(&w, "web-0"));
        assert_eq!(resolve(&w, "default", "web-0.front"), None);
        assert_eq!(reverse(&w, &front.addresses[0].0).as_deref(), Some("front.default.svc.cluster.local"));
        assert_eq!(reverse(&w, &ip(&w, "web-1")).as_deref(), Some("web-1.nginx.default.svc.cluster.local"));
        assert_eq!(reverse(&w, "10.9.9.9"), None);
        // Built-in Services and pod A records.
        let k = resolve(&w, "default", "kubernetes.default").unwrap();
        assert_eq!(
            k.addresses,
            vec![(KUBERNETES_SERVICE_IP.into(), Some("kubernetes.default.svc.cluster.local".into()))]
        );
        assert_eq!(reverse(&w, DNS_SERVER).as_deref(), Some("kube-dns.kube-system.svc.cluster.local"));
        let pod_name = resolve(&w, "default", "10-244-1-7.default.pod.cluster.local").unwrap();
        assert_eq!(pod_name.addresses[0].0, "10.244.1.7");
        assert_eq!(resolve(&w, "default", "10-244-1-300.default.pod.cluster.local"), None);
        // Terminating pods leave DNS at once.
        w.api_delete(stsplay_model::kinds::Kind::Pod, "default", "web-0", Default::default()).unwrap();
        assert_eq!(resolve(&w, "default", "web-0.nginx"), None);
        assert_eq!(resolve(&w, "default", "nginx").unwrap().addresses.len(), 1);
    }

    #[test]
    fn publish_not_ready_and_service_name_mismatch() {
        let mut w = world(true, "nginx");
        // Run until web-0 has an IP but is not yet Ready.
        for _ in 0..10_000 {
            let p = w.get_pod("default", "web-0").cloned();
            if p.as_ref().is_some_and(|p| p.status.pod_ip.is_some()) {
                assert!(!p.unwrap().is_ready());
                break;
            }
            if !w.step() {
                break;
            }
        }
        assert!(resolve(&w, "default", "web-0.nginx").is_some());
        let mut w = world(false, "nginx-svc");
        assert!(w.settle(600_000));
        assert_eq!(resolve(&w, "default", "web-0.nginx"), None);
        assert_eq!(resolve(&w, "default", "web-0.nginx-svc"), None);
        let svc = resolve(&w, "default", "nginx").unwrap();
        let ip0 = ip(&w, "web-0");
        assert!(svc
            .addresses
            .contains(&(ip0.clone(), Some(format!("{}.nginx.default.svc.cluster.local", ip0.replace('.', "-"))))));
        assert_eq!(target_of(&w, &ip0), Target::Pod("default".into(), "web-0".into()));
        assert_eq!(target_of(&w, "10.9.9.9"), Target::Nothing);
        assert!(service_backend(&w, "default", "front", 80).is_some());
        assert_eq!(service_backend(&w, "default", "front", 81), None);
    }

    #[test]
    fn hostile_names() {
        let w = World::new(1);
        for n in [
            "",
            ".",
            "..",
            "a..b",
            &"a.".repeat(200),
            "x.svc.cluster.local",
            "...svc.cluster.local",
            "-.pod.cluster.local",
        ] {
            let _ = resolve(&w, "default", n);
        }
        assert!(is_ipv4("10.0.0.1"));
        assert!(!is_ipv4("10.0.0"));
        assert!(!is_ipv4("10.0.0.256"));
        assert!(!is_ipv4("1.2.3.4.5"));
    }
}
