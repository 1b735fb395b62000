//! Label selectors: `metav1.LabelSelector` matching and kubectl's `-l` selector syntax.

use crate::objects::LabelSelector;
use std::collections::BTreeMap;

pub type Labels = BTreeMap<String, String>;

/// One requirement of a parsed selector.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Requirement {
    Equals(String, String),
    NotEquals(String, String),
    In(String, Vec<String>),
    NotIn(String, Vec<String>),
    Exists(String),
    DoesNotExist(String),
}

impl Requirement {
    pub fn matches(&self, labels: &Labels) -> bool {
        match self {
            Requirement::Equals(k, v) => labels.get(k) == Some(v),
            Requirement::NotEquals(k, v) => labels.get(k) != Some(v),
            Requirement::In(k, vs) => labels.get(k).is_some_and(|v| vs.contains(v)),
            Requirement::NotIn(k, vs) => labels.get(k).is_none_or(|v| !vs.contains(v)),
            Requirement::Exists(k) => labels.contains_key(k),
            Requirement::DoesNotExist(k) => !labels.contains_key(k),
        }
    }
}

/// A selector: all requirements must hold. An empty selector matches everything.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Selector(pub Vec<Requirement>);

impl Selector {
    pub fn matches(&self, labels: &Labels) -> bool {
        self.0.iter().all(|r| r.matches(labels))
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// `metav1.LabelSelectorAsSelector`. Unknown operators make the selector match nothing (None).
    pub fn from_label_selector(ls: &LabelSelector) -> Option<Selector> {
        let mut reqs: Vec<Requirement> =
            ls.match_labels.iter().map(|(k, v)| Requirement::Equals(k.clone(), v.clone())).collect();
        for e in &ls.match_expressions {
            reqs.push(match e.operator.as_str() {
                "In" => Requirement::In(e.key.clone(), e.values.clone()),
                "NotIn" => Requirement::NotIn(e.key.clone(), e.values.clone()),
                "Exists" => Requirement::Exists(e.key.clone()),
                "DoesNotExist" => Requirement::DoesNotExist(e.key.clone()),
                _ => return None,
            });
        }
        Some(Selector(reqs))
    }

    /// Parses kubectl's `-l` syntax: `a=b,c!=d,e in (x,y),f notin (z),g,!h`.
    pub fn parse(s: &str) -> Result<Selector, String> {
        let mut reqs = Vec::new();
        let parts = split_top_level(s);
        for raw in parts {
            let p = raw.trim();
            if p.is_empty() {
                continue;
            }
            if let Some(k) = p.strip_prefix('!') {
                reqs.push(Requirement::DoesNotExist(check_key(k.trim())?));
            } else if let Some((k, v)) = p.split_once("!=") {
                reqs.push(Requirement::NotEquals(check_key(k.trim())?, v.trim().to_string()));
            } else if let Some((k, v)) = p.split_once("==") {
                reqs.push(Requirement::Equals(check_key(k.trim())?, v.trim().to_string()));
            } else if let Some((k, v)) = p.split_once('=') {
                reqs.push(Requirement::Equals(check_key(k.trim())?, v.trim().to_string()));
            } else if let Some((k, set)) = split_set_op(p, " notin ") {
                reqs.push(Requirement::NotIn(check_key(k)?, set));
            } else if let Some((k, set)) = split_set_op(p, " in ") {
                reqs.push(Requirement::In(check_key(k)?, set));
            } else {
                reqs.push(Requirement::Exists(check_key(p)?));
            }
        }
        Ok(Selector(reqs))
    }
}

fn check_key(k: &str) -> Result<String, String> {
    if k.is_empty() || k.contains(|c: char| c.is_whitespace() || c == '(' || c == ')') {
        return Err(format!("unable to parse requirement: found '{k}', expected: identifier"));
    }
    Ok(k.to_string())
}

fn split_set_op<'a>(p: &'a str, op: &str) -> Option<(&'a str, Vec<String>)> {
    let idx = p.find(op)?;
    let key = p[..idx].trim();
    let rest = p[idx + op.len()..].trim();
    let inner = rest.strip_prefix('(')?.strip_suffix(')')?;
    let set = inner.split(',').map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect();
    Some((key, set))
}

fn split_top_level(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut depth = 0i32;
    let mut start = 0;
    for (i, c) in s.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            ',' if depth == 0 => {
                out.push(&s[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(&s[start..]);
    out
}

/// `k=v,k2=v2` sorted by key, as `--show-labels` and `describe` print; `<none>` when empty.
pub fn format_labels(labels: &Labels) -> String {
    if labels.is_empty() {
        return "<none>".to_string();
    }
    labels.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join(",")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn l(pairs: &[(&str, &str)]) -> Labels {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn parse_and_match() {
        let labels = l(&[("app", "myapp-pod"), ("tier", "db")]);
        for (sel, want) in [
            ("app=myapp-pod", true),
            ("app==myapp-pod", true),
            ("app!=myapp-pod", false),
            ("app in (x, myapp-pod)", true),
            ("app notin (myapp-pod)", false),
            ("tier", true),
            ("!tier", false),
            ("app=myapp-pod,tier=web", false),
            ("", true),
        ] {
            assert_eq!(Selector::parse(sel).unwrap().matches(&labels), want, "{sel}");
        }
    }

    #[test]
    fn format() {
        assert_eq!(format_labels(&l(&[("b", "2"), ("a", "1")])), "a=1,b=2");
        assert_eq!(format_labels(&Labels::new()), "<none>");
    }
}
