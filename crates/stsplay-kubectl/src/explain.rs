//! `kubectl explain RESOURCE[.field.path] [--recursive] [--api-version=G/V]` in kubectl 1.34's default
//! renderer ("explain v2": `k8s.io/kubectl/pkg/explain/v2/templates/plaintext.tmpl` over the server's
//! OpenAPI v3 document), built from the playground's structural schema (`stsplay_model::schema`).
//!
//! Field documentation is large, so it is not bundled into the browser build by default: the page hands
//! the text of `descriptions.json` to [`set_descriptions`] when it has fetched it. Native builds (feature
//! `explain-descriptions`, on by default) fall back to a copy compiled in. With neither, the layout is still
//! kubectl's, with `<description not loaded>` where the text would be, and a hint.

use crate::flags::{self, flag, FlagSpec};
use crate::output::Output;
use crate::terminal::Terminal;
use std::cell::RefCell;
use std::rc::Rc;
use stsplay_model::kinds::{Kind, ALL_KINDS};
use stsplay_model::schema::{self, Descriptions, FieldType, KindDef, Schema, TypeDef};

/// What kubectl prints where a description is missing (`<no description>` per field, `<empty>` for a type).
const NOT_LOADED: &str = "<description not loaded>";

thread_local! {
    static LOADED: RefCell<Option<Rc<Descriptions>>> = const { RefCell::new(None) };
}

/// Hands the text of `stsplay-model/data/descriptions.json` to the terminal (the browser fetches it lazily).
/// Replaces any earlier set. Errors when the text does not parse.
pub fn set_descriptions(json: &str) -> Result<(), String> {
    let d = schema::descriptions_from_json(json)?;
    LOADED.with(|l| *l.borrow_mut() = Some(Rc::new(d)));
    Ok(())
}

/// Whether field documentation is available (set at run time, or compiled in).
pub fn descriptions_available() -> bool {
    descriptions().is_some()
}

#[cfg(feature = "explain-descriptions")]
fn bundled() -> Option<Rc<Descriptions>> {
    thread_local! {
        static BUNDLED: RefCell<Option<Rc<Descriptions>>> = const { RefCell::new(None) };
    }
    const TEXT: &str = include_str!("../../stsplay-model/data/descriptions.json");
    BUNDLED.with(|b| {
        let mut b = b.borrow_mut();
        if b.is_none() {
            *b = schema::descriptions_from_json(TEXT).ok().map(Rc::new);
        }
        b.clone()
    })
}

#[cfg(not(feature = "explain-descriptions"))]
fn bundled() -> Option<Rc<Descriptions>> {
    None
}

fn descriptions() -> Option<Rc<Descriptions>> {
    #[cfg(test)]
    if tests::NO_BUNDLED.with(|n| n.get()) {
        return LOADED.with(|l| l.borrow().clone());
    }
    LOADED.with(|l| l.borrow().clone()).or_else(bundled)
}

const EXPLAIN_FLAGS: &[FlagSpec] =
    &[flag("recursive", None, false), flag("api-version", None, true), flag("output", Some('o'), true)];

/// Group/versions a 1.34 API server publishes OpenAPI v3 documents for (others: "couldn't find resource").
const SERVED_GROUP_VERSIONS: &[&str] = &[
    "v1",
    "apps/v1",
    "batch/v1",
    "autoscaling/v1",
    "autoscaling/v2",
    "policy/v1",
    "networking.k8s.io/v1",
    "storage.k8s.io/v1",
    "rbac.authorization.k8s.io/v1",
    "discovery.k8s.io/v1",
    "events.k8s.io/v1",
    "coordination.k8s.io/v1",
    "node.k8s.io/v1",
    "scheduling.k8s.io/v1",
    "certificates.k8s.io/v1",
    "admissionregistration.k8s.io/v1",
    "apiextensions.k8s.io/v1",
    "apiregistration.k8s.io/v1",
    "authentication.k8s.io/v1",
    "authorization.k8s.io/v1",
    "flowcontrol.apiserver.k8s.io/v1",
    "resource.k8s.io/v1",
];

/// `kubectl explain`.
pub fn explain(_t: &mut Terminal, args: &[String], out: &mut Output) {
    let p = match flags::parse(args, EXPLAIN_FLAGS) {
        Ok(p) => p,
        Err(e) => return out.fail(format!("error: {e}\nSee 'kubectl explain --help' for usage.")),
    };
    if p.positional.is_empty() {
        out.errln("error: You must specify the type of resource to explain. Use \"kubectl api-resources\" for a complete list of supported resources.");
        out.exit = 1;
        return;
    }
    if p.positional.len() > 1 {
        out.errln("error: We accept only this format: explain RESOURCE");
        out.exit = 1;
        return;
    }
    let arg = p.positional[0].as_str();
    let recursive = p.bool("recursive");
    let api_version = p.get("api-version").map(str::to_string);
    let output = p.get("output").unwrap_or("plaintext").to_string();

    // Resource and field path (SplitAndParseResourceRequest[WithMatchingPrefix]).
    let trimmed = arg.strip_suffix('.').unwrap_or(arg);
    let first = trimmed.split('.').next().unwrap_or("");
    let Some(kind) = Kind::from_resource(first) else {
        out.fail(format!("error: the server doesn't have a resource type {first:?}"));
        if let Some(s) = suggest_resource(first) {
            out.hint(format!("did you mean `kubectl explain {s}`?"));
        } else if KNOWN_ELSEWHERE.contains(&first.to_ascii_lowercase().as_str()) {
            out.hint(format!(
                "{first:?} exists in a real cluster; this playground simulates only {}",
                simulated_list()
            ));
        }
        return;
    };
    let group_resource = kind.qualified_plural();
    let path: Vec<String> = if api_version.is_none() && trimmed.starts_with(&group_resource) {
        let suffix = &trimmed[group_resource.len()..];
        if suffix.is_empty() {
            Vec::new()
        } else {
            suffix.split('.').skip(1).map(str::to_string).collect()
        }
    } else {
        trimmed.split('.').skip(1).map(str::to_string).collect()
    };

    let (mut group, mut version) = (kind.group().to_string(), "v1".to_string());
    if let Some(av) = api_version.as_deref() {
        let parts: Vec<&str> = av.split('/').collect();
        match parts.as_slice() {
            [""] => {
                group.clear();
                version.clear();
            }
            [v] => {
                group.clear();
                version = v.to_string();
            }
            [g, v] => {
                group = g.to_string();
                version = v.to_string();
            }
            _ => return out.fail(format!("error: unexpected GroupVersion string: {av}")),
        }
    }
    if output == "plaintext-openapiv2" {
        // The old renderer reports the first segment that does not exist.
        if let Some(bad) = first_bad_segment(kind, &path) {
            out.fail(format!("error: field {bad:?} does not exist"));
            return;
        }
        out.fail("stsplay: --output=plaintext-openapiv2 (the pre-1.27 renderer) is not simulated");
        out.hint("drop --output to see kubectl's default explain output");
        return;
    }
    let gv = if group.is_empty() { version.clone() } else { format!("{group}/{version}") };
    let gvr = format!("{group}/{version}, Resource={}", kind.plural());
    if !SERVED_GROUP_VERSIONS.contains(&gv.as_str()) {
        return out.fail(format!("error: couldn't find resource for {gvr:?}"));
    }
    if output != "plaintext" {
        return out.fail(format!("error: unrecognized format: {output}"));
    }
    let schema = schema::schema();
    let kind_def = schema.kind(&gv, kind.name());
    let Some(kind_def) = kind_def else {
        return out.fail(format!("error: GVR ({gvr}) not found in OpenAPI schema"));
    };
    let descs = descriptions();
    match render(schema, kind_def, &path, recursive, descs.as_deref()) {
        Ok(text) => {
            out.out(text);
            if descs.is_none() {
                out.hint(
                    "field descriptions are not loaded in this terminal yet; the layout and types above are kubectl's",
                );
            }
        }
        Err(field) => {
            out.fail(format!("error: field {field:?} does not exist"));
            if let Some(fixed) = suggest_path(schema, kind_def, &path) {
                out.hint(format!("did you mean {first}.{fixed}?"));
            }
        }
    }
}

/// Resource names a real cluster serves that the playground does not simulate.
const KNOWN_ELSEWHERE: &[&str] = &[
    "deployments",
    "deployment",
    "deploy",
    "replicasets",
    "replicaset",
    "rs",
    "daemonsets",
    "daemonset",
    "ds",
    "jobs",
    "job",
    "cronjobs",
    "cronjob",
    "cj",
    "configmaps",
    "configmap",
    "cm",
    "secrets",
    "secret",
    "namespaces",
    "namespace",
    "ns",
    "ingresses",
    "ingress",
    "ing",
    "serviceaccounts",
    "serviceaccount",
    "sa",
    "endpoints",
    "ep",
    "endpointslices",
    "endpointslice",
];

fn simulated_list() -> String {
    ALL_KINDS.iter().map(|k| k.plural()).collect::<Vec<_>>().join(", ")
}

/// The renderer's output, or the (last) field name it could not find.
fn render(
    schema: &Schema,
    kind: &KindDef,
    path: &[String],
    recursive: bool,
    descs: Option<&Descriptions>,
) -> Result<String, String> {
    let missing = || path.last().cloned().unwrap_or_default();
    let root = schema.type_def(&kind.type_key).ok_or_else(missing)?;
    let mut out = String::new();
    let group = kind.group();
    if !group.is_empty() {
        out.push_str(&format!("GROUP:      {group}\n"));
    }
    out.push_str(&format!("KIND:       {}\n", kind.kind));
    out.push_str(&format!("VERSION:    {}\n", kind.version()));
    out.push('\n');
    let r = Renderer { schema, descs };
    if path.is_empty() {
        r.node_output(&mut out, &Node::Struct(root), recursive);
    } else {
        // Walk to the last segment (through arrays and maps, like the template's "output").
        let mut cur: &TypeDef = root;
        for (i, seg) in path.iter().enumerate() {
            let field = cur.field(seg).ok_or_else(missing)?;
            if i + 1 == path.len() {
                out.push_str(&format!("FIELD: {} <{}>\n", field.name, type_guess(&cur.key, &field.name, &field.ty)));
                let enums = direct_enum(&field.ty);
                if !enums.is_empty() {
                    out.push_str("ENUM:");
                    for e in enums {
                        out.push_str("\n    ");
                        out.push_str(&enum_value(e));
                    }
                }
                out.push('\n');
                out.push('\n');
                r.node_output(&mut out, &Node::Field { parent: &cur.key, name: &field.name, ty: &field.ty }, recursive);
            } else {
                let key = schema::object_key(&field.ty).ok_or_else(missing)?;
                cur = schema.type_def(key).ok_or_else(missing)?;
            }
        }
    }
    out.push('\n');
    Ok(out)
}

/// What the template's "output" renders with an empty field path: a kind's root type or a field's schema.
enum Node<'a> {
    Struct(&'a TypeDef),
    Field { parent: &'a str, name: &'a str, ty: &'a FieldType },
}

struct Renderer<'a> {
    schema: &'a Schema,
    descs: Option<&'a Descriptions>,
}

impl Renderer<'_> {
    /// `DESCRIPTION:` (the field's and then its type's description, wrapped at 76 and indented 4) and `FIELDS:`.
    fn node_output(&self, out: &mut String, node: &Node, recursive: bool) {
        let mut desc = String::new();
        let struct_key: Option<&str> = match node {
            Node::Struct(t) => {
                self.push_type_desc(&mut desc, &t.key);
                Some(t.key.as_str())
            }
            Node::Field { parent, name, ty } => {
                if let Some(d) = self.descs {
                    if let Some(text) = d.field_description(parent, name).filter(|t| !t.is_empty()) {
                        desc.push_str(text);
                        desc.push('\n');
                    }
                }
                self.push_value_desc(&mut desc, ty);
                schema::object_key(ty)
            }
        };
        if desc.is_empty() {
            desc = if self.descs.is_some() { "<empty>".into() } else { NOT_LOADED.into() };
        }
        out.push_str("DESCRIPTION:\n");
        out.push_str(&indent(4, &wrap(&desc, 76)));
        out.push('\n');
        if let Some(def) = struct_key.and_then(|k| self.schema.type_def(k)) {
            if !def.fields.is_empty() {
                out.push_str("FIELDS:\n");
                let mut seen = Vec::new();
                self.field_list(out, def, 1, recursive, &mut seen);
            }
        }
    }

    fn push_type_desc(&self, desc: &mut String, key: &str) {
        if let Some(text) = self.descs.and_then(|d| d.type_description(key)).filter(|t| !t.is_empty()) {
            desc.push_str(text);
            desc.push('\n');
        }
    }

    /// The description of what a field's schema refers to (through arrays and maps).
    fn push_value_desc(&self, desc: &mut String, ty: &FieldType) {
        match ty {
            FieldType::Object(key) => self.push_type_desc(desc, key),
            FieldType::Array(inner) | FieldType::Map { value: inner, .. } => self.push_value_desc(desc, inner),
            FieldType::Time => push_known(desc, self.descs, TIME_DESCRIPTION),
            FieldType::MicroTime => push_known(desc, self.descs, MICROTIME_DESCRIPTION),
            FieldType::IntOrString => push_known(desc, self.descs, INTORSTRING_DESCRIPTION),
            _ => {}
        }
    }

    /// The template's "fieldList": fields sorted by name; with `recursive`, one line each and their children.
    fn field_list(&self, out: &mut String, def: &TypeDef, level: usize, recursive: bool, seen: &mut Vec<String>) {
        if level > 64 {
            return;
        }
        let indent_amount = level * 2;
        for f in &def.fields {
            out.push_str(&" ".repeat(indent_amount));
            out.push_str(&f.name);
            out.push('\t');
            out.push('<');
            out.push_str(&type_guess(&def.key, &f.name, &f.ty));
            out.push('>');
            if is_required(def, f) {
                out.push_str(" -required-");
            }
            let enums = direct_enum(&f.ty);
            if !enums.is_empty() {
                out.push('\n');
                out.push_str(&" ".repeat(indent_amount));
                out.push_str("enum: ");
                for (i, e) in enums.iter().enumerate() {
                    if i >= 4 {
                        out.push_str(", ....");
                        break;
                    }
                    if i > 0 {
                        out.push_str(", ");
                    }
                    out.push_str(&enum_value(e));
                }
            }
            out.push('\n');
            if recursive {
                if let Some(child) = schema::object_key(&f.ty).and_then(|k| self.schema.type_def(k)) {
                    // A type already on the path is not expanded again (cycle).
                    if !seen.contains(&child.key) {
                        seen.push(child.key.clone());
                        self.field_list(out, child, level + 1, recursive, seen);
                        seen.pop();
                    }
                }
            } else {
                let text = match self.descs {
                    Some(d) => {
                        d.field_description(&def.key, &f.name).filter(|t| !t.is_empty()).unwrap_or("<no description>")
                    }
                    None => NOT_LOADED,
                };
                let width = 78usize.saturating_sub(indent_amount);
                out.push_str(&indent(indent_amount + 2, &wrap(text, width)));
                out.push('\n');
                out.push('\n');
            }
        }
    }
}

const TIME_DESCRIPTION: &str = "Time is a wrapper around time.Time which supports correct marshaling to YAML and JSON.  Wrappers are provided for many of the factory methods that the time package offers.";
const MICROTIME_DESCRIPTION: &str = "MicroTime is version of Time with microsecond level precision.";
const INTORSTRING_DESCRIPTION: &str = "IntOrString is a type that can hold an int32 or a string.  When used in JSON or YAML marshalling and unmarshalling, it produces or consumes the inner type.  This allows you to have, for example, a JSON field that can accept a name or number.";

fn push_known(desc: &mut String, descs: Option<&Descriptions>, text: &str) {
    if descs.is_some() {
        desc.push_str(text);
        desc.push('\n');
    }
}

/// Whether the OpenAPI document lists the field as required. The schema data (from k8s-openapi) marks every
/// `metadata` required; the API's own document does so only where the Go field has no `omitempty` (Event).
fn is_required(def: &TypeDef, f: &schema::Field) -> bool {
    f.required && !(f.name == "metadata" && def.key != "core.v1.Event")
}

/// Enum values on the field itself (arrays carry them on their items, which explain does not show).
fn direct_enum(ty: &FieldType) -> &[String] {
    match ty {
        FieldType::String { enum_values, .. } => enum_values,
        _ => &[],
    }
}

fn enum_value(v: &str) -> String {
    if v.is_empty() {
        "\"\"".into()
    } else {
        v.to_string()
    }
}

/// The template's "typeGuess": `string`, `integer`, `boolean`, `number`, `[]T`, `map[string]T`, or the
/// referenced type's name (`ObjectMeta`, `Quantity`, `IntOrString`).
fn type_guess(parent: &str, name: &str, ty: &FieldType) -> String {
    match ty {
        FieldType::String { .. } | FieldType::Time | FieldType::MicroTime | FieldType::Bytes => "string".into(),
        FieldType::Int32 | FieldType::Int64 => "integer".into(),
        FieldType::Float64 => "number".into(),
        FieldType::Bool => "boolean".into(),
        FieldType::Quantity => "Quantity".into(),
        FieldType::IntOrString => "IntOrString".into(),
        FieldType::Any => match (parent, name) {
            (_, "fieldsV1") => "FieldsV1".into(),
            ("apps.v1.ControllerRevision", "data") => "RawExtension".into(),
            _ => "Object".into(),
        },
        FieldType::Array(inner) => format!("[]{}", type_guess(parent, name, inner)),
        FieldType::Map { value, .. } => format!("map[string]{}", type_guess(parent, name, value)),
        FieldType::Object(key) => key.rsplit('.').next().unwrap_or(key).to_string(),
    }
}

/// The template's `indent`: every line (and the text after a final newline) prefixed with `n` spaces.
fn indent(n: usize, s: &str) -> String {
    let pad = " ".repeat(n);
    format!("{pad}{}", s.replace('\n', &format!("\n{pad}")))
}

/// `github.com/mitchellh/go-wordwrap` `WrapString` (v1.0.1), as kubectl's `term.NewWordWrapWriter` uses it:
/// breaks at whitespace so lines stay within `lim` runes; existing newlines are kept; a word longer than
/// the limit is not split.
pub fn wrap(s: &str, lim: usize) -> String {
    // kubectl 1.32+ (`funcs.go`, "realign all line breaks"): every newline is removed before wrapping, so a
    // field's description and its type's description run together (`...Template.StatefulSetUpdateStrategy`).
    let joined = s.replace('\n', "");
    let s = joined.as_str();
    let mut buf = String::with_capacity(s.len() + s.len() / 8);
    let mut current = 0usize;
    let mut word = String::new();
    let mut space = String::new();
    let (mut word_len, mut space_len) = (0usize, 0usize);
    for ch in s.chars() {
        if ch == '\n' {
            buf.push_str(&space);
            space.clear();
            space_len = 0;
            buf.push_str(&word);
            word.clear();
            word_len = 0;
            buf.push(ch);
            current = 0;
        } else if ch.is_whitespace() && ch != '\u{a0}' {
            if space.is_empty() || !word.is_empty() {
                current += space_len + word_len;
                buf.push_str(&space);
                space.clear();
                space_len = 0;
                buf.push_str(&word);
                word.clear();
                word_len = 0;
            }
            space.push(ch);
            space_len += 1;
        } else {
            word.push(ch);
            word_len += 1;
            if current + space_len + word_len > lim && word_len < lim {
                buf.push('\n');
                current = 0;
                space.clear();
                space_len = 0;
            }
        }
    }
    if word.is_empty() {
        if current + space_len <= lim {
            buf.push_str(&space);
        }
    } else {
        buf.push_str(&space);
        buf.push_str(&word);
    }
    buf
}

/// The first segment that does not exist (the pre-1.27 renderer's error).
fn first_bad_segment(kind: Kind, path: &[String]) -> Option<String> {
    let schema = schema::schema();
    let def = schema.kinds().iter().find(|k| k.kind == kind.name())?;
    let mut cur = schema.type_def(&def.type_key)?;
    for seg in path {
        let Some(f) = cur.field(seg) else { return Some(seg.clone()) };
        match schema::object_key(&f.ty).and_then(|k| schema.type_def(k)) {
            Some(next) => cur = next,
            None => return None,
        }
    }
    None
}

// ------------------------------------------------------------------------------------------ hints

/// Levenshtein distance (the one cobra uses for "Did you mean this?").
use crate::dispatch::distance;

/// A resource name close to what was typed (`statefulsett` → `statefulset`).
fn suggest_resource(typed: &str) -> Option<String> {
    let t = typed.to_ascii_lowercase();
    if t.is_empty() || t.len() > 64 {
        return None;
    }
    let mut best: Option<(usize, String)> = None;
    for k in ALL_KINDS {
        let mut names = vec![k.singular().to_string(), k.plural().to_string(), k.name().to_ascii_lowercase()];
        names.extend(k.short_names().iter().map(|s| s.to_string()));
        for n in names {
            let d = distance(&t, &n);
            let limit = if n.len() <= 3 { 1 } else { 2 };
            if d <= limit && best.as_ref().is_none_or(|(bd, _)| d < *bd) {
                best = Some((d, n));
            }
        }
    }
    best.map(|(_, n)| n)
}

/// Fixes each path segment against the schema (exact, case-insensitive, or closest by edit distance) and drops
/// empty segments; None when that does not give a different, existing path.
fn suggest_path(schema: &Schema, kind: &KindDef, path: &[String]) -> Option<String> {
    let mut cur = schema.type_def(&kind.type_key)?;
    let segs: Vec<&String> = path.iter().filter(|s| !s.is_empty()).collect();
    if segs.is_empty() || segs.len() > 32 {
        return None;
    }
    let mut fixed: Vec<String> = Vec::new();
    for (i, seg) in segs.iter().enumerate() {
        let field = match cur.field(seg) {
            Some(f) => f,
            None => {
                let lower = seg.to_ascii_lowercase();
                let by_case = cur.fields.iter().find(|f| f.name.to_ascii_lowercase() == lower);
                let closest = || {
                    cur.fields
                        .iter()
                        .map(|f| (distance(&lower, &f.name.to_ascii_lowercase()), f))
                        .filter(|(d, f)| *d <= (f.name.chars().count() / 3).clamp(1, 3))
                        .min_by_key(|(d, _)| *d)
                        .map(|(_, f)| f)
                };
                by_case.or_else(closest)?
            }
        };
        fixed.push(field.name.clone());
        if i + 1 < segs.len() {
            cur = schema::object_key(&field.ty).and_then(|k| schema.type_def(k))?;
        }
    }
    let fixed = fixed.join(".");
    (fixed != path.join(".")).then_some(fixed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::terminal::NoFiles;

    thread_local! {
        /// Simulates a build without the bundled documentation.
        pub(super) static NO_BUNDLED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    }

    fn run(cmd: &str) -> Output {
        if !descriptions_available() {
            // Builds without the bundled copy: load it the way the browser does.
            set_descriptions(include_str!("../../stsplay-model/data/descriptions.json")).unwrap();
        }
        let mut t = Terminal::new(1);
        let mut out = Output::default();
        let args: Vec<String> = cmd.split_whitespace().skip(2).map(String::from).collect();
        explain(&mut t, &args, &mut out);
        let _ = NoFiles;
        out
    }

    fn stdout(cmd: &str) -> String {
        let o = run(cmd);
        assert_eq!(o.exit, 0, "{cmd}: {}", o.stderr());
        o.stdout()
    }

    // Errors: reference §4.16 / §5.5, and the v2 template's `field "<last segment>" does not exist`.
    #[test]
    fn errors_table() {
        let cases: &[(&str, &str)] = &[
            ("kubectl explain sts.spc..updateStrategy.rollingUpdate", "error: field \"rollingUpdate\" does not exist\n"),
            ("kubectl explain sts.spc..updateStrategy", "error: field \"updateStrategy\" does not exist\n"),
            ("kubectl explain sts.spec.updatestrategy", "error: field \"updatestrategy\" does not exist\n"),
            ("kubectl explain statefulsett", "error: the server doesn't have a resource type \"statefulsett\"\n"),
            ("kubectl explain stss", "error: the server doesn't have a resource type \"stss\"\n"),
            ("kubectl explain stss.spec", "error: the server doesn't have a resource type \"stss\"\n"),
            ("kubectl explain sts.spec.replicas.foo", "error: field \"foo\" does not exist\n"),
            (
                "kubectl explain",
                "error: You must specify the type of resource to explain. Use \"kubectl api-resources\" for a complete list of supported resources.\n",
            ),
            ("kubectl explain sts pods", "error: We accept only this format: explain RESOURCE\n"),
            ("kubectl explain sts --output=yaml", "error: unrecognized format: yaml\n"),
            ("kubectl explain sts --api-version=apps/v2", "error: couldn't find resource for \"apps/v2, Resource=statefulsets\"\n"),
            (
                "kubectl explain sts --api-version=v1",
                "error: GVR (/v1, Resource=statefulsets) not found in OpenAPI schema\n",
            ),
            ("kubectl explain sts.spc --output=plaintext-openapiv2", "error: field \"spc\" does not exist\n"),
        ];
        for (cmd, want) in cases {
            let o = run(cmd);
            assert_eq!(o.exit, 1, "{cmd}");
            let err = o.stderr();
            assert!(err.starts_with(want), "{cmd}:\n{err}");
            // kubectl's text comes first; anything else is a marked hint on its own line.
            for extra in err[want.len()..].lines() {
                assert!(extra.starts_with("hint (stsplay): "), "{cmd}: {extra}");
            }
            assert_eq!(o.stdout(), "", "{cmd}");
        }
    }

    #[test]
    fn hints_fix_the_path() {
        let o = run("kubectl explain sts.spc..updateStrategy.rollingUpdate");
        assert!(
            o.stderr().ends_with("hint (stsplay): did you mean sts.spec.updateStrategy.rollingUpdate?\n"),
            "{}",
            o.stderr()
        );
        let o = run("kubectl explain sts.spec.updatestrategy");
        assert!(o.stderr().contains("did you mean sts.spec.updateStrategy?"), "{}", o.stderr());
        let o = run("kubectl explain statefulsett");
        assert!(o.stderr().contains("did you mean `kubectl explain statefulset`?"), "{}", o.stderr());
        let o = run("kubectl explain sts.spec.zzzzzzzzzzzz");
        assert!(!o.stderr().contains("did you mean"), "{}", o.stderr());
    }

    // Layout from reference §4.16 and plaintext.tmpl: header padded to 12, FIELD line, DESCRIPTION wrapped and
    // indented 4 ending with a 4-space line, FIELDS entries `  name\t<type>` with descriptions indented 4.
    #[test]
    fn update_strategy_layout() {
        let s = stdout("kubectl explain sts.spec.updateStrategy");
        let want = "GROUP:      apps\nKIND:       StatefulSet\nVERSION:    v1\n\nFIELD: updateStrategy <StatefulSetUpdateStrategy>\n\n\nDESCRIPTION:\n    updateStrategy indicates the StatefulSetUpdateStrategy that will be employed\n";
        assert!(s.starts_with(want), "{s}");
        assert!(s.contains("strategy.\nFIELDS:\n  rollingUpdate\t<RollingUpdateStatefulSetStrategy>\n    RollingUpdate is used to communicate parameters when Type is\n    RollingUpdateStatefulSetStrategyType.\n\n  type\t<string>\n  enum: OnDelete, RollingUpdate\n    Type indicates the type of the StatefulSetUpdateStrategy. Default is\n    RollingUpdate.\n\n"), "{s}");
        // The field's description, then its type's: kubectl 1.32+ removes every newline before wrapping, so
        // the two run together (funcs.go "realign all line breaks").
        assert!(s.contains("Template.StatefulSetUpdateStrategy indicates the strategy"), "{s}");
    }

    #[test]
    fn layouts_table() {
        let cases: &[(&str, &[&str])] = &[
            (
                "kubectl explain sts",
                &["GROUP:      apps\nKIND:       StatefulSet\nVERSION:    v1\n\nDESCRIPTION:\n    StatefulSet represents a set of pods with consistent identities.", "FIELDS:\n  apiVersion\t<string>\n", "  spec\t<StatefulSetSpec>\n"],
            ),
            ("kubectl explain statefulsets.apps", &["KIND:       StatefulSet\n"]),
            ("kubectl explain statefulsets.apps.spec", &["FIELD: spec <StatefulSetSpec>\n"]),
            ("kubectl explain StatefulSet.spec.replicas", &["FIELD: replicas <integer>\n"]),
            (
                "kubectl explain pods.spec.containers",
                &["KIND:       Pod\nVERSION:    v1\n\nFIELD: containers <[]Container>\n", "  image\t<string>\n", "  name\t<string> -required-\n", "  imagePullPolicy\t<string>\n  enum: Always, IfNotPresent, Never\n"],
            ),
            ("kubectl explain po.spec.containers.resources.limits", &["FIELD: limits <map[string]Quantity>\n"]),
            ("kubectl explain pvc.spec", &["KIND:       PersistentVolumeClaim\n", "FIELD: spec <PersistentVolumeClaimSpec>\n", "  accessModes\t<[]string>\n"]),
            ("kubectl explain sts.spec.selector", &["FIELD: selector <LabelSelector>\n", "  matchLabels\t<map[string]string>\n"]),
            ("kubectl explain sts.spec.template", &["FIELD: template <PodTemplateSpec>\n", "  metadata\t<ObjectMeta>\n"]),
            ("kubectl explain sts.spec.updateStrategy.rollingUpdate", &["  maxUnavailable\t<IntOrString>\n", "  partition\t<integer>\n"]),
            ("kubectl explain sts.spec.updateStrategy.type", &["FIELD: type <string>\nENUM:\n    OnDelete\n    RollingUpdate\n\nDESCRIPTION:\n"]),
            ("kubectl explain sts.spec.", &["FIELD: spec <StatefulSetSpec>\n", "  selector\t<LabelSelector> -required-\n", "  template\t<PodTemplateSpec> -required-\n", "  volumeClaimTemplates\t<[]PersistentVolumeClaim>\n"]),
            ("kubectl explain sts --api-version=apps/v1", &["GROUP:      apps\n"]),
            ("kubectl explain svc --api-version=v1", &["KIND:       Service\nVERSION:    v1\n"]),
        ];
        for (cmd, wants) in cases {
            let s = stdout(cmd);
            for w in *wants {
                assert!(s.contains(w), "{cmd}: missing {w:?} in\n{s}");
            }
            assert!(!s.starts_with("GROUP:      \n"), "{cmd}");
        }
        // Core kinds have no GROUP line.
        assert!(stdout("kubectl explain pods").starts_with("KIND:       Pod\n"));
    }

    #[test]
    fn recursive_prints_the_tree() {
        let s = stdout("kubectl explain sts.spec.updateStrategy --recursive");
        assert!(s.ends_with("FIELDS:\n  rollingUpdate\t<RollingUpdateStatefulSetStrategy>\n    maxUnavailable\t<IntOrString>\n    partition\t<integer>\n  type\t<string>\n  enum: OnDelete, RollingUpdate\n\n"), "{s}");
        let s = stdout("kubectl explain pods --recursive");
        assert!(s.contains("\n  spec\t<PodSpec>\n"), "{s}");
        assert!(s.contains("\n    containers\t<[]Container> -required-\n      args\t<[]string>\n"), "{s}");
    }

    #[test]
    fn descriptions_wrap_at_80_columns() {
        for cmd in [
            "kubectl explain pods",
            "kubectl explain pods.spec",
            "kubectl explain sts.spec",
            "kubectl explain nodes.status",
        ] {
            for line in stdout(cmd).lines().filter(|l| !l.contains('\t')) {
                let words = line.split_whitespace().count();
                assert!(line.chars().count() <= 80 || words <= 1, "{cmd}: {line}");
            }
        }
    }

    // go-wordwrap's own cases (TestWrapString) and kubectl funcs_test `wrap 3`.
    #[test]
    fn wordwrap_table() {
        let cases: &[(&str, usize, &str)] = &[
            ("", 0, ""),
            ("foo", 0, "foo"),
            ("foobarbaz", 3, "foobarbaz"),
            ("foo bar baz", 3, "foo\nbar\nbaz"),
            ("foo bar baz", 4, "foo\nbar\nbaz"),
            ("foo bar baz", 7, "foo bar\nbaz"),
            ("foo bar\nbaz", 80, "foo barbaz"),
            ("foo bar  baz", 4, "foo\nbar\nbaz"),
            ("this is a really good test", 3, "this\nis\na\nreally\ngood\ntest"),
        ];
        for (s, lim, want) in cases {
            assert_eq!(wrap(s, *lim), *want, "{s:?} {lim}");
        }
        assert_eq!(indent(4, "a\nb\n"), "    a\n    b\n    ");
    }

    #[test]
    fn never_panics_on_odd_input() {
        for cmd in [
            "kubectl explain .",
            "kubectl explain ..",
            "kubectl explain .spec",
            "kubectl explain sts....",
            "kubectl explain sts.spec..",
            "kubectl explain statefulsets.appsx.spec",
            "kubectl explain sts --api-version=",
            "kubectl explain sts --api-version=a/b/c",
            "kubectl explain ☃.☃",
            "kubectl explain sts.☃",
            "kubectl explain sts.metadata.labels.x",
            "kubectl explain controllerrevisions.data",
            "kubectl explain events --recursive",
        ] {
            let _ = run(cmd);
        }
    }

    // Like the template's `<empty>` (no trailing newline, so no 4-space line before FIELDS).
    #[test]
    fn without_descriptions_the_layout_stays() {
        NO_BUNDLED.with(|n| n.set(true));
        LOADED.with(|l| *l.borrow_mut() = None);
        assert!(!descriptions_available());
        let mut t = Terminal::new(1);
        let mut o = Output::default();
        explain(&mut t, &["sts.spec.updateStrategy".to_string()], &mut o);
        assert_eq!(o.exit, 0);
        assert_eq!(
            o.stdout(),
            "GROUP:      apps\nKIND:       StatefulSet\nVERSION:    v1\n\nFIELD: updateStrategy <StatefulSetUpdateStrategy>\n\n\nDESCRIPTION:\n    <description not loaded>\nFIELDS:\n  rollingUpdate\t<RollingUpdateStatefulSetStrategy>\n    <description not loaded>\n\n  type\t<string>\n  enum: OnDelete, RollingUpdate\n    <description not loaded>\n\n\n"
        );
        assert!(o.stderr().starts_with("hint (stsplay): "), "{}", o.stderr());
        NO_BUNDLED.with(|n| n.set(false));
    }

    #[test]
    fn set_descriptions_replaces_and_rejects_bad_text() {
        assert!(set_descriptions("{").is_err());
        set_descriptions(r#"{"types":{"apps.v1.StatefulSet":{"":"Custom text."}}}"#).unwrap();
        let s = stdout("kubectl explain sts");
        assert!(s.contains("DESCRIPTION:\n    Custom text.\nFIELDS:\n"), "{s}");
        assert!(s.contains("  apiVersion\t<string>\n    <no description>\n"), "{s}");
        LOADED.with(|l| *l.borrow_mut() = None);
        assert!(descriptions_available() == cfg!(feature = "explain-descriptions"));
    }
}
