//! The kinds the playground supports, their REST names (as kubectl prints them), and a sum type over them.

use crate::objects::*;
use serde_json::{Map, Value};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    Service,
    Pod,
    PersistentVolume,
    PersistentVolumeClaim,
    StatefulSet,
    ControllerRevision,
    StorageClass,
    Node,
    Event,
}

pub const ALL_KINDS: [Kind; 9] = [
    Kind::Service,
    Kind::Pod,
    Kind::PersistentVolume,
    Kind::PersistentVolumeClaim,
    Kind::StatefulSet,
    Kind::ControllerRevision,
    Kind::StorageClass,
    Kind::Node,
    Kind::Event,
];

/// Kinds a user may create from a manifest (the rest are made by the cluster itself).
pub const MANIFEST_KINDS: [Kind; 6] = [
    Kind::Service,
    Kind::Pod,
    Kind::PersistentVolume,
    Kind::PersistentVolumeClaim,
    Kind::StatefulSet,
    Kind::StorageClass,
];

impl Kind {
    pub fn name(self) -> &'static str {
        match self {
            Kind::Service => "Service",
            Kind::Pod => "Pod",
            Kind::PersistentVolume => "PersistentVolume",
            Kind::PersistentVolumeClaim => "PersistentVolumeClaim",
            Kind::StatefulSet => "StatefulSet",
            Kind::ControllerRevision => "ControllerRevision",
            Kind::StorageClass => "StorageClass",
            Kind::Node => "Node",
            Kind::Event => "Event",
        }
    }
    pub fn api_version(self) -> &'static str {
        match self {
            Kind::StatefulSet | Kind::ControllerRevision => "apps/v1",
            Kind::StorageClass => "storage.k8s.io/v1",
            _ => "v1",
        }
    }
    pub fn group(self) -> &'static str {
        match self {
            Kind::StatefulSet | Kind::ControllerRevision => "apps",
            Kind::StorageClass => "storage.k8s.io",
            _ => "",
        }
    }
    /// Lower-case plural resource name (`statefulsets`).
    pub fn plural(self) -> &'static str {
        match self {
            Kind::Service => "services",
            Kind::Pod => "pods",
            Kind::PersistentVolume => "persistentvolumes",
            Kind::PersistentVolumeClaim => "persistentvolumeclaims",
            Kind::StatefulSet => "statefulsets",
            Kind::ControllerRevision => "controllerrevisions",
            Kind::StorageClass => "storageclasses",
            Kind::Node => "nodes",
            Kind::Event => "events",
        }
    }
    pub fn singular(self) -> &'static str {
        match self {
            Kind::Service => "service",
            Kind::Pod => "pod",
            Kind::PersistentVolume => "persistentvolume",
            Kind::PersistentVolumeClaim => "persistentvolumeclaim",
            Kind::StatefulSet => "statefulset",
            Kind::ControllerRevision => "controllerrevision",
            Kind::StorageClass => "storageclass",
            Kind::Node => "node",
            Kind::Event => "event",
        }
    }
    pub fn short_names(self) -> &'static [&'static str] {
        match self {
            Kind::Service => &["svc"],
            Kind::Pod => &["po"],
            Kind::PersistentVolume => &["pv"],
            Kind::PersistentVolumeClaim => &["pvc"],
            Kind::StatefulSet => &["sts"],
            Kind::StorageClass => &["sc"],
            Kind::Node => &["no"],
            Kind::Event => &["ev"],
            Kind::ControllerRevision => &[],
        }
    }
    pub fn namespaced(self) -> bool {
        !matches!(self, Kind::PersistentVolume | Kind::StorageClass | Kind::Node)
    }
    /// `statefulset.apps`, `pod`: the prefix kubectl prints in `statefulset.apps/web created`.
    pub fn qualified_singular(self) -> String {
        match self.group() {
            "" => self.singular().to_string(),
            g => format!("{}.{g}", self.singular()),
        }
    }
    /// `statefulsets.apps`, `pods`: the resource named in API errors (`statefulsets.apps "web" not found`).
    pub fn qualified_plural(self) -> String {
        match self.group() {
            "" => self.plural().to_string(),
            g => format!("{}.{g}", self.plural()),
        }
    }
    /// Resolves what a user typed as a resource (`sts`, `statefulset`, `statefulsets.apps`, `StatefulSet`).
    pub fn from_resource(arg: &str) -> Option<Kind> {
        let a = arg.to_ascii_lowercase();
        ALL_KINDS.into_iter().find(|k| {
            a == k.plural()
                || a == k.singular()
                || k.short_names().contains(&a.as_str())
                || a == k.qualified_plural()
                || a == k.qualified_singular()
                || (!k.group().is_empty() && (a == format!("{}.{}", k.short_names().first().unwrap_or(&""), k.group())))
        })
    }
    pub fn from_api(api_version: &str, kind: &str) -> Option<Kind> {
        ALL_KINDS.into_iter().find(|k| k.name() == kind && k.api_version() == api_version)
    }
    pub fn from_kind_name(kind: &str) -> Option<Kind> {
        ALL_KINDS.into_iter().find(|k| k.name() == kind)
    }
}

/// Any stored object. Variants differ in size (a Pod is large); objects are cloned rarely enough that
/// boxing every variant would cost more clarity than it saves.
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Debug, PartialEq)]
pub enum Object {
    Service(Service),
    Pod(Pod),
    PersistentVolume(PersistentVolume),
    PersistentVolumeClaim(PersistentVolumeClaim),
    StatefulSet(StatefulSet),
    ControllerRevision(ControllerRevision),
    StorageClass(StorageClass),
    Node(Node),
    Event(Event),
}

macro_rules! each_object {
    ($o:expr, $v:ident => $body:expr) => {
        match $o {
            Object::Service($v) => $body,
            Object::Pod($v) => $body,
            Object::PersistentVolume($v) => $body,
            Object::PersistentVolumeClaim($v) => $body,
            Object::StatefulSet($v) => $body,
            Object::ControllerRevision($v) => $body,
            Object::StorageClass($v) => $body,
            Object::Node($v) => $body,
            Object::Event($v) => $body,
        }
    };
}

impl Object {
    pub fn kind(&self) -> Kind {
        match self {
            Object::Service(_) => Kind::Service,
            Object::Pod(_) => Kind::Pod,
            Object::PersistentVolume(_) => Kind::PersistentVolume,
            Object::PersistentVolumeClaim(_) => Kind::PersistentVolumeClaim,
            Object::StatefulSet(_) => Kind::StatefulSet,
            Object::ControllerRevision(_) => Kind::ControllerRevision,
            Object::StorageClass(_) => Kind::StorageClass,
            Object::Node(_) => Kind::Node,
            Object::Event(_) => Kind::Event,
        }
    }
    pub fn meta(&self) -> &ObjectMeta {
        each_object!(self, o => &o.metadata)
    }
    pub fn meta_mut(&mut self) -> &mut ObjectMeta {
        each_object!(self, o => &mut o.metadata)
    }
    /// The object as the API returns it: `apiVersion` and `kind` first-class, keys sorted by serde_json.
    pub fn to_json(&self) -> Value {
        let body = each_object!(self, o => serde_json::to_value(o).unwrap_or(Value::Null));
        let mut map = match body {
            Value::Object(m) => m,
            _ => Map::new(),
        };
        let k = self.kind();
        map.insert("apiVersion".into(), Value::String(k.api_version().into()));
        map.insert("kind".into(), Value::String(k.name().into()));
        if k == Kind::PersistentVolumeClaim {
            // The typed struct carries apiVersion/kind only for claim templates; the top-level values win.
        }
        Value::Object(map)
    }
    /// Builds a typed object from a decoded body (apiVersion/kind are ignored here).
    pub fn from_json(kind: Kind, v: &Value) -> Result<Object, String> {
        let mut v = v.clone();
        if let Value::Object(m) = &mut v {
            m.remove("apiVersion");
            m.remove("kind");
        }
        fn de<T: serde::de::DeserializeOwned>(v: Value) -> Result<T, String> {
            serde_json::from_value(v).map_err(|e| e.to_string())
        }
        Ok(match kind {
            Kind::Service => Object::Service(de(v)?),
            Kind::Pod => Object::Pod(de(v)?),
            Kind::PersistentVolume => Object::PersistentVolume(de(v)?),
            Kind::PersistentVolumeClaim => Object::PersistentVolumeClaim(de(v)?),
            Kind::StatefulSet => Object::StatefulSet(de(v)?),
            Kind::ControllerRevision => Object::ControllerRevision(de(v)?),
            Kind::StorageClass => Object::StorageClass(de(v)?),
            Kind::Node => Object::Node(de(v)?),
            Kind::Event => Object::Event(de(v)?),
        })
    }
}

macro_rules! accessors {
    ($($variant:ident, $as_ref:ident, $as_mut:ident;)*) => {
        impl Object {
            $(
                pub fn $as_ref(&self) -> Option<&$variant> {
                    if let Object::$variant(o) = self { Some(o) } else { None }
                }
                pub fn $as_mut(&mut self) -> Option<&mut $variant> {
                    if let Object::$variant(o) = self { Some(o) } else { None }
                }
            )*
        }
    };
}

accessors! {
    Service, as_service, as_service_mut;
    Pod, as_pod, as_pod_mut;
    PersistentVolume, as_pv, as_pv_mut;
    PersistentVolumeClaim, as_pvc, as_pvc_mut;
    StatefulSet, as_sts, as_sts_mut;
    ControllerRevision, as_revision, as_revision_mut;
    StorageClass, as_storage_class, as_storage_class_mut;
    Node, as_node, as_node_mut;
    Event, as_event, as_event_mut;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resource_names() {
        assert_eq!(Kind::from_resource("sts"), Some(Kind::StatefulSet));
        assert_eq!(Kind::from_resource("statefulsets.apps"), Some(Kind::StatefulSet));
        assert_eq!(Kind::from_resource("PVC"), Some(Kind::PersistentVolumeClaim));
        assert_eq!(Kind::from_resource("po"), Some(Kind::Pod));
        assert_eq!(Kind::from_resource("stss"), None);
        assert_eq!(Kind::StatefulSet.qualified_singular(), "statefulset.apps");
        assert_eq!(Kind::Pod.qualified_plural(), "pods");
    }
}
