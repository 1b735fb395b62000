//! The structural schema of the supported kinds, generated from k8s-openapi (Kubernetes v1.34)
//! by `tools/schema-gen` into `data/schema.json` (bundled) and `data/descriptions.json` (field
//! documentation for `kubectl explain`, NOT bundled: load it lazily and pass the text to
//! [`descriptions_from_json`]).
//!
//! Type expressions in `schema.json` (`types.<key>.f.<field>`):
//! `string[:GoName][|enum,values]`, `int32`, `int64`, `float64`, `bool`, `bytes`, `quantity`,
//! `intstr`, `time`, `microtime`, `any`, `@<type key>` (object), `[]<expr>` (array),
//! `{}<expr>` / `{GoName}<expr>` (map with string keys). `types.<key>.r` lists required fields.

use std::collections::{BTreeMap, HashMap};
use std::sync::OnceLock;

/// The bundled schema text.
pub const SCHEMA_JSON: &str = include_str!("../data/schema.json");

/// A field's type.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FieldType {
    /// A string; `go` is the Go named type (e.g. `v1.PullPolicy`) when it is not plain `string`.
    String {
        go: Option<String>,
        enum_values: Vec<String>,
    },
    Int32,
    Int64,
    Float64,
    Bool,
    /// `[]byte` (base64 in JSON).
    Bytes,
    /// `resource.Quantity`.
    Quantity,
    /// `intstr.IntOrString`.
    IntOrString,
    /// `v1.Time` (RFC 3339).
    Time,
    /// `v1.MicroTime` (RFC 3339 with microseconds).
    MicroTime,
    /// Arbitrary JSON (`runtime.RawExtension`, `v1.FieldsV1`).
    Any,
    Array(Box<FieldType>),
    /// Map with string keys; `go` is the Go named map type (e.g. `v1.ResourceList`).
    Map {
        go: Option<String>,
        value: Box<FieldType>,
    },
    /// A struct; the key into [`Schema::type_def`].
    Object(String),
}

/// One field of a struct type.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Field {
    /// JSON name.
    pub name: String,
    pub ty: FieldType,
    pub required: bool,
}

/// A struct type.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TypeDef {
    /// Schema key, e.g. `core.v1.Container`.
    pub key: String,
    /// Go type as printed by `reflect.Type.String()`, e.g. `v1.Container`.
    pub go_name: String,
    /// Go struct name as used in json errors (`Go struct field Container.xxx`), e.g. `Container`.
    pub struct_name: String,
    /// Fields sorted by JSON name.
    pub fields: Vec<Field>,
}

impl TypeDef {
    /// The field with JSON name `name` (case-sensitive, like the API server's decoder).
    pub fn field(&self, name: &str) -> Option<&Field> {
        self.fields.binary_search_by(|f| f.name.as_str().cmp(name)).ok().and_then(|i| self.fields.get(i))
    }

    /// Names of all fields (sorted).
    pub fn field_names(&self) -> impl Iterator<Item = &str> {
        self.fields.iter().map(|f| f.name.as_str())
    }

    /// Names of the required fields (sorted).
    pub fn required_fields(&self) -> impl Iterator<Item = &str> {
        self.fields.iter().filter(|f| f.required).map(|f| f.name.as_str())
    }
}

/// A supported kind.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KindDef {
    pub api_version: String,
    pub kind: String,
    /// Resource name (`statefulsets`).
    pub plural: String,
    pub namespaced: bool,
    /// Root type key, e.g. `apps.v1.StatefulSet`.
    pub type_key: String,
}

impl KindDef {
    /// API group (`""` for the core group).
    pub fn group(&self) -> &str {
        match self.api_version.rsplit_once('/') {
            Some((g, _)) => g,
            None => "",
        }
    }

    /// API version without the group (`v1`).
    pub fn version(&self) -> &str {
        match self.api_version.rsplit_once('/') {
            Some((_, v)) => v,
            None => &self.api_version,
        }
    }
}

/// The parsed schema.
#[derive(Clone, Debug, Default)]
pub struct Schema {
    kinds: Vec<KindDef>,
    types: HashMap<String, TypeDef>,
}

impl Schema {
    /// Parses a schema.json text.
    pub fn from_json(text: &str) -> Result<Schema, String> {
        let v: serde_json::Value = serde_json::from_str(text).map_err(|e| e.to_string())?;
        let mut kinds = Vec::new();
        for k in v.get("kinds").and_then(|k| k.as_array()).ok_or("schema: missing kinds")? {
            let s = |name: &str| {
                k.get(name)
                    .and_then(|x| x.as_str())
                    .map(str::to_string)
                    .ok_or_else(|| format!("schema: kind without {name}"))
            };
            kinds.push(KindDef {
                api_version: s("apiVersion")?,
                kind: s("kind")?,
                plural: s("plural")?,
                namespaced: k.get("namespaced").and_then(|x| x.as_bool()).unwrap_or(true),
                type_key: s("type")?,
            });
        }
        let mut types = HashMap::new();
        let tmap = v.get("types").and_then(|t| t.as_object()).ok_or("schema: missing types")?;
        for (key, t) in tmap {
            let required: Vec<&str> = t
                .get("r")
                .and_then(|r| r.as_array())
                .map(|r| r.iter().filter_map(|x| x.as_str()).collect())
                .unwrap_or_default();
            let mut fields = Vec::new();
            if let Some(f) = t.get("f").and_then(|f| f.as_object()) {
                for (name, expr) in f {
                    let expr = expr.as_str().ok_or("schema: field type is not a string")?;
                    fields.push(Field {
                        name: name.clone(),
                        ty: parse_type_expr(expr)?,
                        required: required.contains(&name.as_str()),
                    });
                }
            }
            fields.sort_by(|a, b| a.name.cmp(&b.name));
            let struct_name = key.rsplit('.').next().unwrap_or(key).to_string();
            let go_name = go_name_of_key(key);
            types.insert(key.clone(), TypeDef { key: key.clone(), go_name, struct_name, fields });
        }
        Ok(Schema { kinds, types })
    }

    /// All supported kinds, in schema order.
    pub fn kinds(&self) -> &[KindDef] {
        &self.kinds
    }

    /// The kind for (apiVersion, kind), exact match.
    pub fn kind(&self, api_version: &str, kind: &str) -> Option<&KindDef> {
        self.kinds.iter().find(|k| k.api_version == api_version && k.kind == kind)
    }

    /// The root struct type of (apiVersion, kind).
    pub fn root_type(&self, api_version: &str, kind: &str) -> Option<&TypeDef> {
        self.kind(api_version, kind).and_then(|k| self.types.get(&k.type_key))
    }

    /// A struct type by key (`core.v1.Container`).
    pub fn type_def(&self, key: &str) -> Option<&TypeDef> {
        self.types.get(key)
    }

    /// Iterates all struct types (unordered).
    pub fn types(&self) -> impl Iterator<Item = &TypeDef> {
        self.types.values()
    }

    /// Go type string for error messages (`[]v1.Container`, `int32`, `map[string]string`,
    /// `v1.ResourceList`, `resource.Quantity`, ...).
    pub fn go_type(&self, ty: &FieldType) -> String {
        go_type(ty)
    }

    /// Follows a dotted field path (no indexes; arrays and maps are stepped through) from a
    /// root type, e.g. `spec.template.spec.containers` from `apps.v1.StatefulSet`.
    pub fn field_at(&self, root_key: &str, path: &[&str]) -> Option<&Field> {
        let mut cur = self.type_def(root_key)?;
        let mut found: Option<&Field> = None;
        for (i, seg) in path.iter().enumerate() {
            let f = cur.field(seg)?;
            found = Some(f);
            if i + 1 < path.len() {
                let key = object_key(&f.ty)?;
                cur = self.type_def(key)?;
            }
        }
        found
    }
}

/// The struct key reached through arrays/maps of `ty`, if any.
pub fn object_key(ty: &FieldType) -> Option<&str> {
    match ty {
        FieldType::Object(k) => Some(k),
        FieldType::Array(inner) => object_key(inner),
        FieldType::Map { value, .. } => object_key(value),
        _ => None,
    }
}

/// `core.v1.Container` -> `v1.Container`.
fn go_name_of_key(key: &str) -> String {
    let mut parts = key.rsplitn(3, '.');
    let name = parts.next().unwrap_or(key);
    match parts.next() {
        Some(pkg) => format!("{pkg}.{name}"),
        None => name.to_string(),
    }
}

/// Go type string of a field type (see [`Schema::go_type`]).
pub fn go_type(ty: &FieldType) -> String {
    match ty {
        FieldType::String { go, .. } => go.clone().unwrap_or_else(|| "string".into()),
        FieldType::Int32 => "int32".into(),
        FieldType::Int64 => "int64".into(),
        FieldType::Float64 => "float64".into(),
        FieldType::Bool => "bool".into(),
        FieldType::Bytes => "[]uint8".into(),
        FieldType::Quantity => "resource.Quantity".into(),
        FieldType::IntOrString => "intstr.IntOrString".into(),
        FieldType::Time => "v1.Time".into(),
        FieldType::MicroTime => "v1.MicroTime".into(),
        FieldType::Any => "runtime.RawExtension".into(),
        FieldType::Array(inner) => format!("[]{}", go_type(inner)),
        FieldType::Map { go, value } => go.clone().unwrap_or_else(|| format!("map[string]{}", go_type(value))),
        FieldType::Object(key) => go_name_of_key(key),
    }
}

/// How `kubectl explain` (v2 plaintext) shows a field type: `<string>`, `<integer>`,
/// `<boolean>`, `<number>`, `<Object>`, `<[]Container>`, `<map[string]string>`, `<Quantity>`,
/// `<IntOrString>`, `<string>` for times.
pub fn explain_type(ty: &FieldType) -> String {
    fn inner(ty: &FieldType) -> String {
        match ty {
            FieldType::String { .. } | FieldType::Time | FieldType::MicroTime | FieldType::Bytes => "string".into(),
            FieldType::Int32 | FieldType::Int64 => "integer".into(),
            FieldType::Float64 => "number".into(),
            FieldType::Bool => "boolean".into(),
            FieldType::Quantity => "Quantity".into(),
            FieldType::IntOrString => "IntOrString".into(),
            FieldType::Any => "Object".into(),
            FieldType::Array(i) => format!("[]{}", inner(i)),
            FieldType::Map { value, .. } => format!("map[string]{}", inner(value)),
            FieldType::Object(key) => key.rsplit('.').next().unwrap_or(key).to_string(),
        }
    }
    match ty {
        FieldType::Object(_) => "<Object>".into(),
        other => format!("<{}>", inner(other)),
    }
}

/// Enum values of a (possibly array-of) string field, if known.
pub fn enum_values(ty: &FieldType) -> &[String] {
    match ty {
        FieldType::String { enum_values, .. } => enum_values,
        FieldType::Array(inner) => enum_values(inner),
        _ => &[],
    }
}

/// Parses a type expression (see the module docs).
pub fn parse_type_expr(expr: &str) -> Result<FieldType, String> {
    parse_expr(expr, 0)
}

fn parse_expr(expr: &str, depth: usize) -> Result<FieldType, String> {
    if depth > 16 {
        return Err(format!("schema: type expression too deep: {expr}"));
    }
    if let Some(rest) = expr.strip_prefix("[]") {
        return Ok(FieldType::Array(Box::new(parse_expr(rest, depth + 1)?)));
    }
    if let Some(rest) = expr.strip_prefix('{') {
        let (name, inner) = rest.split_once('}').ok_or_else(|| format!("schema: bad map type {expr}"))?;
        return Ok(FieldType::Map {
            go: (!name.is_empty()).then(|| name.to_string()),
            value: Box::new(parse_expr(inner, depth + 1)?),
        });
    }
    if let Some(key) = expr.strip_prefix('@') {
        return Ok(FieldType::Object(key.to_string()));
    }
    let (base_and_go, enums) = match expr.split_once('|') {
        Some((a, b)) => (a, Some(b)),
        None => (expr, None),
    };
    let (base, go) = match base_and_go.split_once(':') {
        Some((a, b)) => (a, Some(b.to_string())),
        None => (base_and_go, None),
    };
    Ok(match base {
        "string" => FieldType::String {
            go,
            enum_values: enums.map(|e| e.split(',').map(str::to_string).collect()).unwrap_or_default(),
        },
        "int32" => FieldType::Int32,
        "int64" => FieldType::Int64,
        "float64" => FieldType::Float64,
        "bool" => FieldType::Bool,
        "bytes" => FieldType::Bytes,
        "quantity" => FieldType::Quantity,
        "intstr" => FieldType::IntOrString,
        "time" => FieldType::Time,
        "microtime" => FieldType::MicroTime,
        "any" => FieldType::Any,
        other => return Err(format!("schema: unknown type {other}")),
    })
}

/// The bundled schema, parsed once per process. Never panics: if the bundled text were broken
/// the schema would be empty (a unit test guards against that).
pub fn schema() -> &'static Schema {
    static SCHEMA: OnceLock<Schema> = OnceLock::new();
    SCHEMA.get_or_init(|| Schema::from_json(SCHEMA_JSON).unwrap_or_default())
}

/// The supported (apiVersion, kind) pairs.
pub fn supported_kinds() -> Vec<(&'static str, &'static str)> {
    schema().kinds().iter().map(|k| (k.api_version.as_str(), k.kind.as_str())).collect()
}

/// Field documentation (from `data/descriptions.json`).
#[derive(Clone, Debug, Default)]
pub struct Descriptions {
    types: HashMap<String, BTreeMap<String, String>>,
}

impl Descriptions {
    /// Description of a struct type (`core.v1.Container`).
    pub fn type_description(&self, key: &str) -> Option<&str> {
        self.types.get(key).and_then(|m| m.get("")).map(String::as_str)
    }

    /// Description of a field of a struct type.
    pub fn field_description(&self, key: &str, field: &str) -> Option<&str> {
        if field.is_empty() {
            return None;
        }
        self.types.get(key).and_then(|m| m.get(field)).map(String::as_str)
    }
}

/// Parses the lazily loaded `descriptions.json`.
pub fn descriptions_from_json(text: &str) -> Result<Descriptions, String> {
    let v: serde_json::Value = serde_json::from_str(text).map_err(|e| e.to_string())?;
    let tmap = v.get("types").and_then(|t| t.as_object()).ok_or("descriptions: missing types")?;
    let mut types = HashMap::new();
    for (key, fields) in tmap {
        let mut m = BTreeMap::new();
        if let Some(obj) = fields.as_object() {
            for (f, d) in obj {
                if let Some(d) = d.as_str() {
                    m.insert(f.clone(), d.to_string());
                }
            }
        }
        types.insert(key.clone(), m);
    }
    Ok(Descriptions { types })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundled_schema_parses_and_has_all_kinds() {
        let s = Schema::from_json(SCHEMA_JSON).expect("bundled schema.json parses");
        let kinds: Vec<(String, String)> = s.kinds().iter().map(|k| (k.api_version.clone(), k.kind.clone())).collect();
        for (av, k) in [
            ("v1", "Service"),
            ("v1", "Pod"),
            ("v1", "PersistentVolume"),
            ("v1", "PersistentVolumeClaim"),
            ("apps/v1", "StatefulSet"),
            ("apps/v1", "ControllerRevision"),
            ("storage.k8s.io/v1", "StorageClass"),
            ("v1", "Node"),
            ("v1", "Event"),
        ] {
            assert!(kinds.contains(&(av.to_string(), k.to_string())), "{av} {k}");
            assert!(s.root_type(av, k).is_some());
        }
        // every object reference resolves
        for t in s.types() {
            for f in &t.fields {
                if let Some(key) = object_key(&f.ty) {
                    assert!(s.type_def(key).is_some(), "{}.{} -> {key}", t.key, f.name);
                }
            }
        }
        assert_eq!(supported_kinds().len(), 9);
        assert!(!s.kind("apps/v1", "StatefulSet").unwrap().plural.is_empty());
        assert!(!s.kind("v1", "Node").unwrap().namespaced);
    }

    #[test]
    fn statefulset_types() {
        let s = schema();
        let sts = s.root_type("apps/v1", "StatefulSet").unwrap();
        assert_eq!(sts.go_name, "v1.StatefulSet");
        let spec = s.type_def("apps.v1.StatefulSetSpec").unwrap();
        assert_eq!(spec.struct_name, "StatefulSetSpec");
        assert_eq!(spec.required_fields().collect::<Vec<_>>(), vec!["selector", "template"]);
        let vct = spec.field("volumeClaimTemplates").unwrap();
        assert_eq!(go_type(&vct.ty), "[]v1.PersistentVolumeClaim");
        assert_eq!(go_type(&spec.field("replicas").unwrap().ty), "int32");
        let pmp = spec.field("podManagementPolicy").unwrap();
        assert_eq!(go_type(&pmp.ty), "v1.PodManagementPolicyType");
        assert_eq!(enum_values(&pmp.ty), ["OrderedReady", "Parallel"]);
        let containers = s.field_at("apps.v1.StatefulSet", &["spec", "template", "spec", "containers"]).unwrap();
        assert_eq!(go_type(&containers.ty), "[]v1.Container");
        assert_eq!(explain_type(&containers.ty), "<[]Container>");
        let c = s.type_def("core.v1.Container").unwrap();
        assert_eq!(go_type(&c.field("resources").unwrap().ty), "v1.ResourceRequirements");
        let rr = s.type_def("core.v1.ResourceRequirements").unwrap();
        assert_eq!(go_type(&rr.field("limits").unwrap().ty), "v1.ResourceList");
        let meta = s.type_def("meta.v1.ObjectMeta").unwrap();
        assert_eq!(go_type(&meta.field("labels").unwrap().ty), "map[string]string");
        assert_eq!(meta.field("creationTimestamp").unwrap().ty, FieldType::Time);
        assert_eq!(go_type(&meta.field("uid").unwrap().ty), "types.UID");
        let port = s.type_def("core.v1.ServicePort").unwrap();
        assert_eq!(port.field("targetPort").unwrap().ty, FieldType::IntOrString);
        assert!(spec.field("volumeClaimTemolates").is_none());
        assert!(spec.field("Replicas").is_none());
    }

    #[test]
    fn descriptions_load() {
        let text = include_str!("../data/descriptions.json");
        let d = descriptions_from_json(text).unwrap();
        assert!(d.field_description("apps.v1.StatefulSetSpec", "replicas").unwrap().contains("replicas"));
        assert!(d.type_description("apps.v1.StatefulSet").is_some());
        assert!(descriptions_from_json("{").is_err());
        assert!(Schema::from_json("[]").is_err());
    }
}
