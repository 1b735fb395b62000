//! Command-line flags the way kubectl's cobra/pflag parses them: `--name=value`, `--name value`,
//! boolean `--force` / `--force=false`, shorthand `-o yaml` / `-oyaml` / `-n ns`, `--` ends flags.

use std::collections::BTreeMap;

/// One flag a command accepts.
#[derive(Clone, Copy, Debug)]
pub struct FlagSpec {
    pub long: &'static str,
    pub short: Option<char>,
    /// Whether it takes a value (`--replicas=3`) or is boolean (`--force`).
    pub takes_value: bool,
}

pub const fn flag(long: &'static str, short: Option<char>, takes_value: bool) -> FlagSpec {
    FlagSpec { long, short, takes_value }
}

/// Flags every kubectl command accepts.
pub const GLOBAL: &[FlagSpec] = &[
    flag("namespace", Some('n'), true),
    flag("all-namespaces", Some('A'), false),
    flag("context", None, true),
    flag("kubeconfig", None, true),
    flag("v", Some('v'), true),
    flag("help", Some('h'), false),
    flag("request-timeout", None, true),
];

/// Flags whose value is optional (pflag's NoOptDefVal): `--validate` alone means `--validate=strict`.
const NO_OPT_DEFAULT: &[(&str, &str)] = &[
    ("validate", "strict"),
    ("dry-run", "unchanged"),
    ("cascade", "background"),
    ("allow-missing-template-keys", "true"),
];

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Parsed {
    pub positional: Vec<String>,
    /// Values by long name; repeated flags keep every value in order.
    pub values: BTreeMap<String, Vec<String>>,
    /// Everything after `--`.
    pub after_dash: Vec<String>,
    pub saw_dash: bool,
}

impl Parsed {
    pub fn get(&self, long: &str) -> Option<&str> {
        self.values.get(long).and_then(|v| v.last()).map(String::as_str)
    }
    pub fn all(&self, long: &str) -> Vec<String> {
        self.values.get(long).cloned().unwrap_or_default()
    }
    pub fn has(&self, long: &str) -> bool {
        self.values.contains_key(long)
    }
    /// A boolean flag: present without value, or `=true`.
    pub fn bool(&self, long: &str) -> bool {
        matches!(self.get(long), Some("true") | Some(""))
    }
    pub fn namespace(&self) -> String {
        self.get("namespace").filter(|s| !s.is_empty()).unwrap_or("default").to_string()
    }
}

/// pflag's errors, already in kubectl's wording (without the `See 'kubectl X --help'` line).
pub fn parse(args: &[String], specs: &[FlagSpec]) -> Result<Parsed, String> {
    let all: Vec<&FlagSpec> = specs.iter().chain(GLOBAL.iter()).collect();
    let mut p = Parsed::default();
    let mut i = 0;
    while i < args.len() {
        let a = &args[i];
        if p.saw_dash {
            p.after_dash.push(a.clone());
            i += 1;
            continue;
        }
        if a == "--" {
            p.saw_dash = true;
            i += 1;
            continue;
        }
        if let Some(body) = a.strip_prefix("--") {
            let (name, inline) = match body.split_once('=') {
                Some((n, v)) => (n, Some(v.to_string())),
                None => (body, None),
            };
            let Some(spec) = all.iter().find(|s| s.long == name) else {
                return Err(format!("unknown flag: --{name}"));
            };
            let value = if spec.takes_value {
                let no_opt = NO_OPT_DEFAULT.iter().find(|(n, _)| *n == spec.long).map(|(_, d)| *d);
                match inline {
                    None if no_opt.is_some() => no_opt.unwrap_or_default().to_string(),
                    Some(v) => v,
                    None => {
                        i += 1;
                        match args.get(i) {
                            Some(v) => v.clone(),
                            None => return Err(format!("flag needs an argument: --{name}")),
                        }
                    }
                }
            } else {
                match inline.as_deref() {
                    None => "true".to_string(),
                    Some(v @ ("true" | "false" | "1" | "0" | "t" | "f" | "T" | "F" | "TRUE" | "FALSE" | "True" | "False")) => {
                        if matches!(v, "true" | "1" | "t" | "T" | "TRUE" | "True") { "true".into() } else { "false".into() }
                    }
                    Some(v) => {
                        return Err(format!(
                            "invalid argument {v:?} for \"--{name}\" flag: strconv.ParseBool: parsing {v:?}: invalid syntax"
                        ))
                    }
                }
            };
            p.values.entry(spec.long.to_string()).or_default().push(value);
            i += 1;
            continue;
        }
        if a.len() > 1 && a.starts_with('-') && a != "-" {
            let chars: Vec<char> = a[1..].chars().collect();
            let mut j = 0;
            while j < chars.len() {
                let c = chars[j];
                let Some(spec) = all.iter().find(|s| s.short == Some(c)) else {
                    return Err(format!("unknown shorthand flag: '{c}' in {a}"));
                };
                if spec.takes_value {
                    let rest: String = chars[j + 1..].iter().collect();
                    let value = if let Some(v) = rest.strip_prefix('=') {
                        v.to_string()
                    } else if !rest.is_empty() {
                        rest
                    } else {
                        i += 1;
                        match args.get(i) {
                            Some(v) => v.clone(),
                            None => return Err(format!("flag needs an argument: '{c}' in -{c}")),
                        }
                    };
                    p.values.entry(spec.long.to_string()).or_default().push(value);
                    break;
                }
                let rest: String = chars[j + 1..].iter().collect();
                if let Some(v) = rest.strip_prefix('=') {
                    let b = matches!(v, "true" | "1" | "t" | "T" | "TRUE" | "True");
                    p.values.entry(spec.long.to_string()).or_default().push(b.to_string());
                    break;
                }
                p.values.entry(spec.long.to_string()).or_default().push("true".into());
                j += 1;
            }
            i += 1;
            continue;
        }
        p.positional.push(a.clone());
        i += 1;
    }
    Ok(p)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &[&str]) -> Vec<String> {
        v.iter().map(|x| x.to_string()).collect()
    }

    const SPECS: &[FlagSpec] = &[
        flag("output", Some('o'), true),
        flag("force", None, false),
        flag("replicas", None, true),
        flag("watch", Some('w'), false),
    ];

    #[test]
    fn forms() {
        let p = parse(&s(&["get", "pods", "-oyaml", "-n", "kube", "--force", "--replicas", "3", "-w"]), SPECS).unwrap();
        assert_eq!(p.positional, vec!["get", "pods"]);
        assert_eq!(p.get("output"), Some("yaml"));
        assert_eq!(p.namespace(), "kube");
        assert!(p.bool("force"));
        assert!(p.bool("watch"));
        assert_eq!(p.get("replicas"), Some("3"));
        let p = parse(&s(&["--force=false", "-o=wide", "--", "ls", "-l"]), SPECS).unwrap();
        assert!(!p.bool("force"));
        assert_eq!(p.get("output"), Some("wide"));
        assert_eq!(p.after_dash, vec!["ls", "-l"]);
    }

    #[test]
    fn errors() {
        assert_eq!(parse(&s(&["--nope"]), SPECS).unwrap_err(), "unknown flag: --nope");
        assert_eq!(parse(&s(&["-x"]), SPECS).unwrap_err(), "unknown shorthand flag: 'x' in -x");
        assert_eq!(parse(&s(&["--replicas"]), SPECS).unwrap_err(), "flag needs an argument: --replicas");
    }
}
