//! Patches as the API server applies them: strategic merge patch (with the merge keys of the core and
//! apps types, `$patch: replace|delete`, null deletes), JSON merge patch (RFC 7386) and JSON patch
//! (RFC 6902).

use serde_json::{Map, Value};

/// The patchMergeKey of list fields, by field name (as declared on the Kubernetes types).
fn merge_key(field: &str) -> Option<&'static str> {
    Some(match field {
        "containers"
        | "initContainers"
        | "ephemeralContainers"
        | "volumes"
        | "env"
        | "imagePullSecrets"
        | "resourceClaims" => "name",
        "volumeMounts" => "mountPath",
        "volumeDevices" => "devicePath",
        "hostAliases" => "ip",
        "topologySpreadConstraints" => "topologyKey",
        "ownerReferences" => "uid",
        "conditions" => "type",
        _ => return None,
    })
}

/// Container ports merge on containerPort; Service ports on port.
fn merge_key_in(parent: &str, field: &str) -> Option<&'static str> {
    if field == "ports" {
        return Some(if parent == "service" { "port" } else { "containerPort" });
    }
    merge_key(field)
}

/// Strategic merge patch of `patch` onto `original`.
pub fn strategic_merge(original: &Value, patch: &Value, is_service: bool) -> Result<Value, String> {
    smp(original, patch, if is_service { "service" } else { "" }, 0)
}

fn smp(original: &Value, patch: &Value, ctx: &str, depth: usize) -> Result<Value, String> {
    if depth > 200 {
        return Err("patch is too deeply nested".into());
    }
    let Value::Object(p) = patch else { return Ok(patch.clone()) };
    if p.get("$patch").and_then(|v| v.as_str()) == Some("replace") {
        let mut m = p.clone();
        m.remove("$patch");
        return Ok(Value::Object(m));
    }
    if p.get("$patch").and_then(|v| v.as_str()) == Some("delete") {
        return Ok(Value::Null);
    }
    let mut out = match original {
        Value::Object(o) => o.clone(),
        _ => Map::new(),
    };
    for (k, pv) in p {
        if k.starts_with("$setElementOrder/") || k == "$retainKeys" || k.starts_with("$deleteFromPrimitiveList/") {
            continue;
        }
        if pv.is_null() {
            out.remove(k);
            continue;
        }
        let ov = out.get(k).cloned().unwrap_or(Value::Null);
        let child_ctx = if ctx == "service" && k == "spec" { "service" } else { "" };
        let merged = match (pv, &ov) {
            (Value::Object(_), _) => smp(&ov, pv, child_ctx, depth + 1)?,
            (Value::Array(items), Value::Array(orig)) => match merge_key_in(ctx, k) {
                Some(key) => merge_list(orig, items, key, depth)?,
                None => pv.clone(),
            },
            _ => pv.clone(),
        };
        if merged.is_null() {
            out.remove(k);
        } else {
            out.insert(k.clone(), merged);
        }
    }
    Ok(Value::Object(out))
}

fn merge_list(orig: &[Value], patch: &[Value], key: &str, depth: usize) -> Result<Value, String> {
    let mut out: Vec<Value> = orig.to_vec();
    for item in patch {
        let Some(id) = item.get(key).cloned() else {
            // Items without the merge key replace nothing: kubectl would send the whole list.
            out.push(item.clone());
            continue;
        };
        let directive = item.get("$patch").and_then(|v| v.as_str());
        match out.iter().position(|o| o.get(key) == Some(&id)) {
            Some(i) => match directive {
                Some("delete") => {
                    out.remove(i);
                }
                _ => out[i] = smp(&out[i], item, "", depth + 1)?,
            },
            None => {
                if directive != Some("delete") {
                    let mut m = item.clone();
                    if let Value::Object(o) = &mut m {
                        o.remove("$patch");
                    }
                    out.push(m);
                }
            }
        }
    }
    Ok(Value::Array(out))
}

/// RFC 7386 JSON merge patch.
pub fn merge_patch(original: &Value, patch: &Value) -> Value {
    match patch {
        Value::Object(p) => {
            let mut out = match original {
                Value::Object(o) => o.clone(),
                _ => Map::new(),
            };
            for (k, v) in p {
                if v.is_null() {
                    out.remove(k);
                } else {
                    let merged = merge_patch(out.get(k).unwrap_or(&Value::Null), v);
                    out.insert(k.clone(), merged);
                }
            }
            Value::Object(out)
        }
        other => other.clone(),
    }
}

/// RFC 6902 JSON patch. Errors use the wording of evanphx/json-patch that kubectl shows.
pub fn json_patch(original: &Value, ops: &Value) -> Result<Value, String> {
    let Value::Array(ops) = ops else {
        return Err("json: cannot unmarshal object into Go value of type jsonpatch.Patch".into());
    };
    let mut doc = original.clone();
    for op in ops {
        let kind = op.get("op").and_then(|v| v.as_str()).unwrap_or("");
        let path = op.get("path").and_then(|v| v.as_str()).unwrap_or("");
        match kind {
            "add" => {
                let value = op.get("value").cloned().ok_or("missing value")?;
                add(&mut doc, path, value).map_err(|_| {
                    format!("add operation does not apply: doc is missing path: \"{path}\": missing value")
                })?;
            }
            "remove" => {
                remove(&mut doc, path).map_err(|_| {
                    format!("remove operation does not apply: doc is missing path: \"{path}\": missing value")
                })?;
            }
            "replace" => {
                let value = op.get("value").cloned().ok_or("missing value")?;
                let slot = pointer_mut(&mut doc, path).ok_or_else(|| {
                    format!("replace operation does not apply: doc is missing key: {path}: missing value")
                })?;
                *slot = value;
            }
            "test" => {
                let value = op.get("value").cloned().unwrap_or(Value::Null);
                if doc.pointer(path) != Some(&value) {
                    return Err(format!("testing value {path} failed: test failed"));
                }
            }
            "move" | "copy" => {
                let from = op.get("from").and_then(|v| v.as_str()).unwrap_or("");
                let v = doc.pointer(from).cloned().ok_or_else(|| {
                    format!("{kind} operation does not apply: doc is missing from path: {from}: missing value")
                })?;
                if kind == "move" {
                    remove(&mut doc, from).map_err(|e| e.to_string())?;
                }
                add(&mut doc, path, v).map_err(|_| {
                    format!("{kind} operation does not apply: doc is missing destination path: {path}: missing value")
                })?;
            }
            other => return Err(format!("Unexpected kind: {other}")),
        }
    }
    Ok(doc)
}

fn unescape(s: &str) -> String {
    s.replace("~1", "/").replace("~0", "~")
}

fn split(path: &str) -> Option<(String, String)> {
    let i = path.rfind('/')?;
    Some((path[..i].to_string(), unescape(&path[i + 1..])))
}

fn pointer_mut<'a>(doc: &'a mut Value, path: &str) -> Option<&'a mut Value> {
    if path.is_empty() {
        return Some(doc);
    }
    doc.pointer_mut(path)
}

fn add(doc: &mut Value, path: &str, value: Value) -> Result<(), ()> {
    let (parent, last) = split(path).ok_or(())?;
    match pointer_mut(doc, &parent).ok_or(())? {
        Value::Object(m) => {
            m.insert(last, value);
            Ok(())
        }
        Value::Array(a) => {
            if last == "-" {
                a.push(value);
                return Ok(());
            }
            let i: usize = last.parse().map_err(|_| ())?;
            if i > a.len() {
                return Err(());
            }
            a.insert(i, value);
            Ok(())
        }
        _ => Err(()),
    }
}

fn remove(doc: &mut Value, path: &str) -> Result<(), &'static str> {
    let (parent, last) = split(path).ok_or("bad path")?;
    match pointer_mut(doc, &parent).ok_or("missing")? {
        Value::Object(m) => m.remove(&last).map(|_| ()).ok_or("missing"),
        Value::Array(a) => {
            let i: usize = last.parse().map_err(|_| "bad index")?;
            if i >= a.len() {
                return Err("missing");
            }
            a.remove(i);
            Ok(())
        }
        _ => Err("missing"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn strategic_merges_containers_by_name() {
        let orig = json!({"spec": {"template": {"spec": {"containers": [
            {"name": "a", "image": "x:1"}, {"name": "b", "image": "y:1"}]}}}});
        let patch = json!({"spec": {"template": {"spec": {"containers": [{"name": "b", "image": "y:2"}]}}}});
        let out = strategic_merge(&orig, &patch, false).unwrap();
        assert_eq!(out["spec"]["template"]["spec"]["containers"][0]["image"], "x:1");
        assert_eq!(out["spec"]["template"]["spec"]["containers"][1]["image"], "y:2");
    }

    #[test]
    fn null_deletes_and_replace_directive() {
        let orig = json!({"a": {"b": 1, "c": 2}});
        assert_eq!(strategic_merge(&orig, &json!({"a": {"b": null}}), false).unwrap(), json!({"a": {"c": 2}}));
        assert_eq!(
            strategic_merge(&orig, &json!({"a": {"$patch": "replace", "d": 3}}), false).unwrap(),
            json!({"a": {"d": 3}})
        );
    }

    #[test]
    fn json_patch_ops() {
        let orig = json!({"spec": {"replicas": 3, "list": [1, 2]}});
        let ops = json!([{"op": "replace", "path": "/spec/replicas", "value": 5}, {"op": "add", "path": "/spec/list/-", "value": 3}, {"op": "remove", "path": "/spec/list/0"}]);
        assert_eq!(json_patch(&orig, &ops).unwrap(), json!({"spec": {"replicas": 5, "list": [2, 3]}}));
        assert!(json_patch(&orig, &json!([{"op": "replace", "path": "/spec/nope", "value": 1}])).is_err());
    }

    #[test]
    fn merge_patch_rfc7386() {
        assert_eq!(
            merge_patch(&json!({"a": 1, "b": {"c": 2}}), &json!({"a": null, "b": {"d": 3}})),
            json!({"b": {"c": 2, "d": 3}})
        );
    }
}
