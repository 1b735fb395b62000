//! Manifest text → positioned YAML parse → editor problems list → strict decode (all three field
//! validation levels) → typed object → defaulting → validation: the path every pasted manifest takes,
//! minus the cluster. Must never panic and never take unbounded time on any input.
#![no_main]

use libfuzzer_sys::fuzz_target;
use stsplay_model::decode::{self, FieldValidation};
use stsplay_model::defaults::{self, FeatureGates};
use stsplay_model::kinds::{Kind, Object};
use stsplay_model::lint::{self, ClusterContext};
use stsplay_model::{problems, validation};

fuzz_target!(|data: &[u8]| {
    // Files reach the model as text (the CLI reads them lossily), so non-UTF-8 bytes become U+FFFD.
    let text = String::from_utf8_lossy(data);
    let ctx = ClusterContext::default_cluster();
    let _ = lint::problems(&text, &ctx);
    for doc in problems::parse_manifest(&text) {
        if let Err(e) = &doc.result {
            let _ = e.kubectl_message(&text);
        }
        let Some(root) = doc.root() else { continue };
        let body = root.to_json();
        let av = body.get("apiVersion").and_then(|v| v.as_str()).unwrap_or("").to_string();
        let kind = body.get("kind").and_then(|v| v.as_str()).unwrap_or("").to_string();
        for level in [FieldValidation::Strict, FieldValidation::Warn, FieldValidation::Ignore] {
            let Ok(decoded) = decode::decode(&av, &kind, &body, level) else { continue };
            let Some(k) = Kind::from_api(&av, &kind) else { continue };
            let Ok(mut obj) = Object::from_json(k, &decoded.value) else { continue };
            match &mut obj {
                Object::StatefulSet(s) => {
                    defaults::default_stateful_set(s, FeatureGates { max_unavailable_stateful_set: true })
                }
                Object::Pod(p) => defaults::default_pod(p),
                Object::PersistentVolumeClaim(c) => defaults::default_pvc_spec(&mut c.spec),
                Object::PersistentVolume(v) => defaults::default_pv(v),
                Object::StorageClass(c) => defaults::default_storage_class(c),
                Object::Service(s) => defaults::default_service(s),
                _ => {}
            }
            let _ = validation::validate_create(&obj);
            // Round trip: what `kubectl get -o json` would print must be readable again.
            let _ = Object::from_json(k, &obj.to_json());
        }
    }
});
