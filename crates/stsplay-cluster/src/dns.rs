//! Endpoints and cluster DNS (CoreDNS's kubernetes plugin): per-pod names for headless Services,
//! Service names, readiness and `publishNotReadyAddresses` (reference §6).

use crate::world::World;
use stsplay_model::kinds::Kind;
use stsplay_model::labels::Selector;
use stsplay_model::objects::*;

pub const CLUSTER_DOMAIN: &str = "cluster.local";
pub const DNS_SERVER: &str = "10.96.0.10";

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

/// Resolves a name as a pod in namespace `ns` would (search path `<ns>.svc.cluster.local svc.cluster.local cluster.local`).
pub fn resolve(w: &World, ns: &str, name: &str) -> Option<Answer> {
    let name = name.trim_end_matches('.');
    let candidates: Vec<String> = if name.ends_with(CLUSTER_DOMAIN) {
        vec![name.to_string()]
    } else {
        vec![
            format!("{name}.{ns}.svc.{CLUSTER_DOMAIN}"),
            format!("{name}.svc.{CLUSTER_DOMAIN}"),
            format!("{name}.{CLUSTER_DOMAIN}"),
        ]
    };
    candidates.into_iter().find_map(|fqdn| lookup(w, &fqdn).map(|addresses| Answer { fqdn, addresses }))
}

/// A lookup of a fully qualified name.
fn lookup(w: &World, fqdn: &str) -> Option<Vec<(String, Option<String>)>> {
    let rest = fqdn.strip_suffix(&format!(".svc.{CLUSTER_DOMAIN}"))?;
    let parts: Vec<&str> = rest.split('.').collect();
    match parts.as_slice() {
        [svc, ns] => {
            let s = w.store.get_by(Kind::Service, ns, svc)?.as_service()?;
            if s.is_headless() {
                let eps = published(w, s);
                if eps.is_empty() {
                    return None;
                }
                Some(
                    eps.into_iter()
                        .map(|e| {
                            let ptr = e.hostname.map(|h| format!("{h}.{svc}.{ns}.svc.{CLUSTER_DOMAIN}"));
                            (e.ip, ptr)
                        })
                        .collect(),
                )
            } else {
                let ip = s.spec.cluster_ip.clone()?;
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
