//! The few text filters a pipe may feed: `grep [-v] [-i] [-c] [-E] PATTERN`, `head [-n N]`,
//! `tail [-n N]`, `wc -l`, `sort`. Anything else says clearly that it is not supported.

use crate::output::{Output, Stream};
use crate::shell::SimpleCommand;

pub fn apply(cmd: &SimpleCommand, input: Output) -> Output {
    let argv = cmd.argv();
    let text = input.stdout();
    // stderr of the left side still reaches the terminal, as in bash.
    let mut out = Output { chunks: input.chunks.into_iter().filter(|(s, _)| *s == Stream::Stderr).collect(), exit: 0 };
    let lines: Vec<&str> = text.lines().collect();
    let name = argv.first().map(String::as_str).unwrap_or("");
    let count = |args: &[String]| -> usize {
        let mut n = 10;
        let mut i = 0;
        while i < args.len() {
            let a = &args[i];
            if a == "-n" {
                n = args.get(i + 1).and_then(|v| v.parse().ok()).unwrap_or(10);
                i += 1;
            } else if let Some(v) = a.strip_prefix("-n") {
                n = v.parse().unwrap_or(10);
            } else if let Some(v) = a.strip_prefix('-') {
                n = v.parse().unwrap_or(10);
            }
            i += 1;
        }
        n
    };
    match name {
        "grep" => {
            let mut invert = false;
            let mut ignore = false;
            let mut count_only = false;
            let mut pattern = None;
            let (mut after, mut before) = (0usize, 0usize);
            let mut args = argv[1..].iter().peekable();
            while let Some(a) = args.next() {
                let mut num = |inline: &str| -> usize {
                    if inline.is_empty() {
                        args.next().and_then(|v| v.parse().ok()).unwrap_or(0)
                    } else {
                        inline.parse().unwrap_or(0)
                    }
                };
                match a.as_str() {
                    "-v" => invert = true,
                    "-i" => ignore = true,
                    "-c" => count_only = true,
                    "-E" | "-e" | "-F" => {}
                    x if x.starts_with("-A") => after = num(&x[2..]),
                    x if x.starts_with("-B") => before = num(&x[2..]),
                    x if x.starts_with("-C") => {
                        after = num(&x[2..]);
                        before = after;
                    }
                    p => pattern = Some(p.to_string()),
                }
            }
            let Some(pat) = pattern else {
                out.fail("Usage: grep [OPTION]... PATTERNS [FILE]...");
                out.exit = 2;
                return out;
            };
            let alts: Vec<String> =
                pat.split('|').map(|s| if ignore { s.to_lowercase() } else { s.to_string() }).collect();
            let hits: Vec<bool> = lines
                .iter()
                .map(|l| {
                    let l = if ignore { l.to_lowercase() } else { l.to_string() };
                    alts.iter().any(|a| l.contains(a.as_str())) != invert
                })
                .collect();
            let matched: Vec<&&str> = lines.iter().zip(&hits).filter(|(_, h)| **h).map(|(l, _)| l).collect();
            if count_only {
                out.outln(matched.len().to_string());
            } else if after == 0 && before == 0 {
                for l in &matched {
                    out.outln(l);
                }
            } else {
                // Context lines, with `--` between groups that do not touch (like GNU grep).
                let mut shown = vec![false; lines.len()];
                for (i, h) in hits.iter().enumerate() {
                    if *h {
                        for s in shown.iter_mut().take((i + after + 1).min(lines.len())).skip(i.saturating_sub(before))
                        {
                            *s = true;
                        }
                    }
                }
                let mut last: Option<usize> = None;
                for (i, l) in lines.iter().enumerate() {
                    if shown[i] {
                        if last.is_some_and(|p| p + 1 < i) {
                            out.outln("--");
                        }
                        out.outln(l);
                        last = Some(i);
                    }
                }
            }
            if matched.is_empty() {
                out.exit = 1;
            }
        }
        "head" => {
            for l in lines.iter().take(count(&argv[1..])) {
                out.outln(l);
            }
        }
        "tail" => {
            let n = count(&argv[1..]);
            for l in lines.iter().skip(lines.len().saturating_sub(n)) {
                out.outln(l);
            }
        }
        "wc" => {
            if argv.iter().any(|a| a == "-l") {
                out.outln(lines.len().to_string());
            } else {
                out.outln(format!("{:>7} {:>7} {:>7}", lines.len(), text.split_whitespace().count(), text.len()));
            }
        }
        "sort" => {
            let mut v = lines.clone();
            v.sort();
            if argv.iter().any(|a| a == "-r") {
                v.reverse();
            }
            for l in v {
                out.outln(l);
            }
        }
        other => {
            out.errln(format!(
                "stsplay: `{other}` is not supported after a pipe; supported: grep, head, tail, wc -l, sort"
            ));
            out.exit = 1;
        }
    }
    out
}
