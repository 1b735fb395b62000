//! Bash-like command-line handling for the terminal and for session scripts.
//!
//! * [`split_script`] cuts a session script into commands (one per logical line, with
//!   backslash-newline continuations, multi-line quotes, trailing `&&`/`||`/`|`
//!   continuations and here-documents whose bodies are attached as stdin).
//! * [`parse`] / [`parse_with_env`] tokenize one command line with bash quoting rules and
//!   build a list of pipelines joined by `;`, `&`, `&&`, `||`, each pipeline a list of simple
//!   commands with argv, leading `NAME=value` assignments and redirections.
//!
//! Supported: single quotes, double quotes (with `\"` `\\` `\$` `` \` `` and backslash-newline
//! escapes), `$'...'` ANSI-C quotes, backslash escapes, `$VAR`, `${VAR}`, `${#VAR}`,
//! `${VAR:-w}`/`-`/`:=`/`=`/`:+`/`+`/`:?`/`?`, `${VAR#p}`/`##`/`%`/`%%` (with `*`/`?`
//! wildcards), special parameters (`$?`, `$#`, `$1`...) looked up in the env, `~` → `$HOME`,
//! field splitting of unquoted expansions, comments, and operators `;` `&` `&&` `||` `|` `|&`
//! `<` `>` `>>` `>|` `<>` `N>&M` `&>` `&>>` `<<` `<<-` `<<<`.
//! Command substitution (`$(...)`, backticks) is kept as literal text; brace expansion,
//! globbing, subshells and compound commands are not supported (`(`/`)` are syntax errors).
//!
//! Errors use bash's wording: `bash: unexpected EOF while looking for matching `"'`,
//! `bash: syntax error near unexpected token `|'`, `bash: syntax error: unexpected end of file`.
//!
//! Nothing here panics; there is no recursion on user input.

use std::cell::Cell;
use std::fmt;
use std::rc::Rc;

// ---------------------------------------------------------------------------------------
// Public types

/// One word of a command after expansion and quote removal.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Word {
    /// The word after expansion and quote removal.
    pub text: String,
    /// The source text of the word as typed (quotes included).
    pub raw: String,
    /// True if any part of the word was quoted (`'..'`, `".."`, `$'..'` or `\x`).
    pub quoted: bool,
}

/// Redirection operators.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RedirectOp {
    /// `>` (and `>|`)
    Out,
    /// `>>`
    Append,
    /// `<`
    In,
    /// `<>`
    ReadWrite,
    /// `>&` (e.g. `2>&1`; `>&file` redirects stdout and stderr to file)
    DupOut,
    /// `<&`
    DupIn,
    /// `&>` (stdout and stderr to a file)
    OutErr,
    /// `&>>`
    AppendOutErr,
    /// `<<` / `<<-` here-document
    Heredoc,
    /// `<<<` here-string
    HereString,
}

/// A here-document attached to a redirection.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HeredocSpec {
    /// Delimiter after quote removal (`EOF` for `<<'EOF'`).
    pub delimiter: String,
    /// True if any part of the delimiter was quoted: the body is then taken literally,
    /// otherwise `$VAR` and `\$` `\\` `` \` `` are processed (see [`expand_heredoc`]).
    pub quoted: bool,
    /// `<<-`: leading tabs are stripped from body lines and the delimiter line.
    pub strip_tabs: bool,
    /// The body, once attached with [`CommandList::attach_heredocs`].
    pub body: Option<String>,
}

/// One redirection of a simple command.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Redirect {
    /// Explicit file descriptor (`2` in `2>&1`), if given.
    pub fd: Option<u32>,
    pub op: RedirectOp,
    /// Target word (file name, fd number for `>&`, delimiter for heredocs, string for `<<<`).
    pub target: Word,
    /// Set for [`RedirectOp::Heredoc`].
    pub heredoc: Option<HeredocSpec>,
}

/// A simple command: `NAME=value ... word ... [redirections]`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SimpleCommand {
    /// Leading variable assignments (`FOO=bar cmd` or a bare `FOO=bar`).
    pub assignments: Vec<(String, String)>,
    /// Command name and arguments, after expansion and field splitting.
    pub words: Vec<Word>,
    pub redirects: Vec<Redirect>,
}

impl SimpleCommand {
    /// The argument vector (`words` texts).
    pub fn argv(&self) -> Vec<String> {
        self.words.iter().map(|w| w.text.clone()).collect()
    }

    /// The here-document body or here-string feeding stdin, if any (last one wins, as in
    /// bash). Here-strings get a trailing newline like bash.
    pub fn stdin(&self) -> Option<String> {
        let mut r = None;
        for red in &self.redirects {
            match red.op {
                RedirectOp::Heredoc if red.fd.unwrap_or(0) == 0 => {
                    r = red.heredoc.as_ref().and_then(|h| h.body.clone());
                }
                RedirectOp::HereString if red.fd.unwrap_or(0) == 0 => {
                    r = Some(format!("{}\n", red.target.text));
                }
                _ => {}
            }
        }
        r
    }
}

/// Commands connected by `|` (`|&` adds a `2>&1` redirection to the left command).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Pipeline {
    /// `! cmd`
    pub negated: bool,
    pub commands: Vec<SimpleCommand>,
}

/// How a pipeline is connected to the previous one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Connector {
    /// First pipeline, or after `;`, `&` or a newline: always run.
    Seq,
    /// After `&&`: run if the last executed pipeline succeeded.
    And,
    /// After `||`: run if the last executed pipeline failed.
    Or,
}

/// One pipeline in a [`CommandList`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ListItem {
    pub connector: Connector,
    pub pipeline: Pipeline,
    /// Terminated by `&`.
    pub background: bool,
}

/// A parsed command line. Execute items in order; skip an `And` item if the last executed
/// pipeline failed, an `Or` item if it succeeded (this reproduces bash's left-associative
/// `&&`/`||` evaluation).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CommandList {
    pub items: Vec<ListItem>,
}

impl CommandList {
    /// True if the line contained no command (blank or comment only).
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// All here-document specs in source order.
    pub fn heredocs(&self) -> Vec<&HeredocSpec> {
        self.items
            .iter()
            .flat_map(|i| i.pipeline.commands.iter())
            .flat_map(|c| c.redirects.iter())
            .filter_map(|r| r.heredoc.as_ref())
            .collect()
    }

    /// Attach here-document bodies (in source order, as collected by [`split_script`]).
    /// Bodies of unquoted delimiters are expanded with `env` ([`expand_heredoc`]).
    pub fn attach_heredocs<F: Fn(&str) -> Option<String>>(&mut self, bodies: &[String], env: F) {
        let mut it = bodies.iter();
        for item in &mut self.items {
            for cmd in &mut item.pipeline.commands {
                for red in &mut cmd.redirects {
                    if let Some(h) = red.heredoc.as_mut() {
                        if let Some(body) = it.next() {
                            h.body = Some(if h.quoted { body.clone() } else { expand_heredoc(body, &env) });
                        }
                    }
                }
            }
        }
    }
}

/// Parse errors, displayed with bash's wording.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ShellError {
    /// `bash: unexpected EOF while looking for matching `X'` (X is `'`, `"`, `` ` ``, `}`, `)`).
    UnterminatedQuote(char),
    /// `bash: syntax error near unexpected token `TOKEN'` (`newline` for end of line).
    UnexpectedToken(String),
    /// `bash: syntax error: unexpected end of file` (e.g. `ls &&`, `ls |`).
    UnexpectedEof,
    /// `bash: ${...}: bad substitution`
    BadSubstitution(String),
    /// The playground's own limit: expansions of one command produce more than
    /// [`MAX_EXPANSION_BYTES`] (e.g. a variable doubled 40 times), or a pattern operation's value
    /// is too long for the simple matcher to finish quickly.
    TooLarge,
}

impl fmt::Display for ShellError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ShellError::UnterminatedQuote(c) => {
                write!(f, "bash: unexpected EOF while looking for matching `{}'", c)
            }
            ShellError::UnexpectedToken(t) => {
                write!(f, "bash: syntax error near unexpected token `{}'", t)
            }
            ShellError::UnexpectedEof => write!(f, "bash: syntax error: unexpected end of file"),
            ShellError::BadSubstitution(s) => write!(f, "bash: {}: bad substitution", s),
            ShellError::TooLarge => write!(f, "bash: stsplay: {TOO_LARGE}"),
        }
    }
}

impl std::error::Error for ShellError {}

/// One command of a session script.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScriptCommand {
    /// The command as typed, including continuation lines and here-document lines (for
    /// echoing), without a trailing newline.
    pub text: String,
    /// 1-based line number of the first line.
    pub line: usize,
    /// The logical command line to [`parse`]: backslash-newlines removed, other lines of a
    /// multi-line command joined with `\n`, here-document bodies removed.
    pub command: String,
    /// Body of the first here-document (what `kubectl apply -f - <<EOF` reads).
    pub stdin: Option<String>,
    /// All here-documents of the command, in order.
    pub heredocs: Vec<HeredocBody>,
}

/// A here-document body collected by [`split_script`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HeredocBody {
    pub delimiter: String,
    /// Raw body (each line followed by `\n`; tabs stripped for `<<-`), not expanded.
    pub body: String,
    pub quoted: bool,
    pub strip_tabs: bool,
    /// False if the script ended before the delimiter line (bash warns:
    /// `bash: warning: here-document at line N delimited by end-of-file (wanted `EOF')`).
    pub terminated: bool,
}

impl ScriptCommand {
    /// Parse this command and attach its here-document bodies.
    pub fn parse_with_env<F: Fn(&str) -> Option<String>>(&self, env: F) -> Result<CommandList, ShellError> {
        let mut list = parse_with_env(&self.command, &env)?;
        let bodies: Vec<String> = self.heredocs.iter().map(|h| h.body.clone()).collect();
        list.attach_heredocs(&bodies, &env);
        Ok(list)
    }

    /// Bash's warnings for here-documents terminated by end of file.
    pub fn warnings(&self) -> Vec<String> {
        self.heredocs
            .iter()
            .filter(|h| !h.terminated)
            .map(|h| {
                format!(
                    "bash: warning: here-document at line {} delimited by end-of-file (wanted `{}')",
                    self.line, h.delimiter
                )
            })
            .collect()
    }
}

// ---------------------------------------------------------------------------------------
// Entry points

/// Parse one command line (unset variables expand to nothing).
pub fn parse(line: &str) -> Result<CommandList, ShellError> {
    parse_with_env(line, |_| None)
}

/// Parse one command line, expanding variables with `env` (return `None` for unset).
/// Special parameters are looked up by name too (`"?"`, `"1"`, `"#"`...).
pub fn parse_with_env<F: Fn(&str) -> Option<String>>(line: &str, env: F) -> Result<CommandList, ShellError> {
    let mut lx = Lexer::new(line, &env, true);
    let run = lx.run();
    if lx.budget.exceeded.get() {
        return Err(ShellError::TooLarge);
    }
    let tokens = match run {
        Ok(t) => t,
        Err(Stop::Incomplete(Incomplete::Quote(c))) => return Err(ShellError::UnterminatedQuote(c)),
        Err(Stop::Incomplete(Incomplete::Backslash)) => return Err(ShellError::UnexpectedEof),
        Err(Stop::Error(e)) => return Err(e),
    };
    Parser { toks: tokens, pos: 0 }.parse_list()
}

/// True if an interactive shell would prompt for more input (PS2) after `text`: an open
/// quote, a trailing backslash, a trailing `&&`/`||`/`|`, or a here-document whose delimiter
/// line has not been seen yet.
pub fn continuation_needed(text: &str) -> bool {
    let cmds = split_script(text);
    match cmds.last() {
        None => false,
        Some(c) => {
            if c.heredocs.iter().any(|h| !h.terminated) {
                return true;
            }
            let env = |_: &str| None;
            let mut lx = Lexer::new(&c.command, &env, false);
            match lx.run() {
                Err(Stop::Incomplete(_)) => true,
                Err(Stop::Error(_)) => false,
                Ok(toks) => ends_with_continuation_op(&toks),
            }
        }
    }
}

/// Split a session script into commands.
///
/// Each non-blank line whose first non-blank character is not `#` starts a command. The
/// command continues on following lines while it ends in an unquoted backslash, has an
/// unterminated quote, or ends with `&&`, `||`, `|` or `|&`. Here-documents (`<<EOF`,
/// `<<'EOF'`, `<<"EOF"`, `<<-EOF`) then consume the following lines up to their delimiter
/// line.
pub fn split_script(text: &str) -> Vec<ScriptCommand> {
    let lines: Vec<&str> = text.split('\n').map(|l| l.strip_suffix('\r').unwrap_or(l)).collect();
    // a trailing newline does not start another (empty) line
    let n = if text.ends_with('\n') { lines.len().saturating_sub(1) } else { lines.len() };
    let env = |_: &str| None;
    let mut out = Vec::new();
    let mut i = 0;
    let mut lex_budget = SPLIT_LEX_BUDGET;
    while i < n {
        let line = lines[i];
        let trimmed = line.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            i += 1;
            continue;
        }
        let start = i;
        let mut text_lines: Vec<&str> = vec![line];
        let mut command = line.to_string();
        i += 1;
        let mut heredoc_specs: Vec<(String, bool, bool)> = Vec::new();
        // Only the text after the last complete `&&`/`||`/`|` line is lexed again (`base`), and a
        // line that cannot change an unfinished quote or backslash is not lexed at all (`known`):
        // re-lexing the whole command for every continuation line made a 100,000-line paste
        // quadratic (minutes). `lex_budget` bounds what adversarial lines can still cost.
        let mut base = 0usize;
        let mut done: Vec<Token> = Vec::new();
        let mut known: Option<Incomplete> = None;
        loop {
            let r = match known.take() {
                Some(inc) => Err(Stop::Incomplete(inc)),
                None => {
                    let tail = &command[base..];
                    if text_lines.len() > 1 {
                        // Only lexing a line again costs budget: long scripts of short commands never run out.
                        lex_budget = lex_budget.saturating_sub(tail.len());
                    }
                    Lexer::new(tail, &env, false).run()
                }
            };
            let more = i < n && lex_budget > 0;
            match r {
                Err(Stop::Incomplete(Incomplete::Backslash)) if more => {
                    command.pop(); // the backslash
                    command.push_str(lines[i]);
                    known = backslash_continues(lines[i]).then_some(Incomplete::Backslash);
                    text_lines.push(lines[i]);
                    i += 1;
                }
                Err(Stop::Incomplete(Incomplete::Quote(q))) if more => {
                    command.push('\n');
                    command.push_str(lines[i]);
                    known = quote_continues(q, lines[i]).then_some(Incomplete::Quote(q));
                    text_lines.push(lines[i]);
                    i += 1;
                }
                Ok(toks) => {
                    let cont = ends_with_continuation_op(&toks);
                    done.extend(toks);
                    if cont && more {
                        // A complete prefix ending in an operator: later lines lex the same after it.
                        base = command.len();
                        command.push('\n');
                        command.push_str(lines[i]);
                        text_lines.push(lines[i]);
                        i += 1;
                        continue;
                    }
                    heredoc_specs = heredocs_in(&done);
                    break;
                }
                _ => break,
            }
        }
        let mut heredocs = Vec::new();
        for (delimiter, quoted, strip_tabs) in heredoc_specs {
            let mut body = String::new();
            let mut terminated = false;
            while i < n {
                let l = lines[i];
                text_lines.push(l);
                i += 1;
                let l = if strip_tabs { l.trim_start_matches('\t') } else { l };
                if l == delimiter {
                    terminated = true;
                    break;
                }
                body.push_str(l);
                body.push('\n');
            }
            heredocs.push(HeredocBody { delimiter, body, quoted, strip_tabs, terminated });
        }
        out.push(ScriptCommand {
            text: text_lines.join("\n"),
            line: start + 1,
            command,
            stdin: heredocs.first().map(|h| h.body.clone()),
            heredocs,
        });
    }
    out
}

/// Expand a here-document body of an unquoted delimiter: `$VAR`/`${...}` expansions and the
/// backslash escapes `\$`, `\\`, `` \` ``, backslash-newline. Double quotes are not special.
/// Bad substitutions are left as typed.
pub fn expand_heredoc<F: Fn(&str) -> Option<String>>(body: &str, env: F) -> String {
    let env_ref: &dyn Fn(&str) -> Option<String> = &env;
    let mut lx = Lexer::new(body, env_ref, true);
    let mut out = String::new();
    while let Some(c) = lx.peek() {
        match c {
            '\\' => match lx.peek_at(1) {
                Some(n) if n == '$' || n == '`' || n == '\\' => {
                    out.push(n);
                    lx.pos += 2;
                }
                Some('\n') => lx.pos += 2,
                _ => {
                    out.push('\\');
                    lx.pos += 1;
                }
            },
            '$' => {
                let from = lx.pos;
                match lx.dollar() {
                    Ok(Some((text, _))) => out.push_str(&text),
                    _ => {
                        out.push('$');
                        lx.pos = from + 1;
                    }
                }
            }
            _ => {
                out.push(c);
                lx.pos += 1;
            }
        }
    }
    out
}

// ---------------------------------------------------------------------------------------
// Lexer

#[derive(Clone, Debug)]
struct LexWord {
    /// (text, splittable) segments; splittable = result of an unquoted expansion
    segs: Vec<(String, bool)>,
    raw: String,
    /// quote-removed text without expansion (for here-document delimiters)
    literal: String,
    quoted: bool,
}

impl LexWord {
    fn text(&self) -> String {
        self.segs.iter().map(|(s, _)| s.as_str()).collect()
    }

    fn word(&self) -> Word {
        Word { text: self.text(), raw: self.raw.clone(), quoted: self.quoted }
    }

    /// `NAME=value` with an unquoted valid name.
    fn assignment(&self) -> Option<(String, String)> {
        let eq = self.raw.find('=')?;
        let name = &self.raw[..eq];
        let mut cs = name.chars();
        let first = cs.next()?;
        if !(first.is_ascii_alphabetic() || first == '_') || !cs.all(|c| c.is_ascii_alphanumeric() || c == '_') {
            return None;
        }
        let text = self.text();
        let value = text.get(eq + 1..).unwrap_or("").to_string();
        Some((name.to_string(), value))
    }

    /// Field splitting of unquoted expansion results (IFS = space, tab, newline).
    fn fields(&self) -> Vec<Word> {
        let mut fields = Vec::new();
        let mut cur = String::new();
        let mut has = false;
        for (s, split) in &self.segs {
            if !*split {
                cur.push_str(s);
                has = true;
                continue;
            }
            for c in s.chars() {
                if c == ' ' || c == '\t' || c == '\n' {
                    if has {
                        fields.push(std::mem::take(&mut cur));
                        has = false;
                    }
                } else {
                    cur.push(c);
                    has = true;
                }
            }
        }
        if has {
            fields.push(cur);
        }
        fields.into_iter().map(|text| Word { text, raw: self.raw.clone(), quoted: self.quoted }).collect()
    }
}

#[derive(Clone, Debug)]
enum Token {
    Word(LexWord),
    IoNumber(u32),
    Op(&'static str),
    Newline,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Incomplete {
    Quote(char),
    Backslash,
}

#[derive(Clone, Debug)]
enum Stop {
    Incomplete(Incomplete),
    Error(ShellError),
}

type Env<'a> = &'a dyn Fn(&str) -> Option<String>;

struct Lexer<'a> {
    chars: Vec<char>,
    pos: usize,
    env: Env<'a>,
    /// parse mode: a trailing backslash is a literal; scan mode reports it as incomplete
    parse_mode: bool,
    /// nesting of `${...}` operand expansions
    depth: usize,
    budget: Rc<Budget>,
}

/// Maximum nesting of `${...}` expansions inside `${...}` operands.
const MAX_EXPANSION_DEPTH: usize = 32;

/// The most bytes the expansions of one command may produce (variables can double at every
/// assignment: 40 doublings are a terabyte).
pub const MAX_EXPANSION_BYTES: usize = 256 * 1024;
/// Pattern operations (`${v#p}`, `${v%p}`, `${v/p/r}`) use a backtracking matcher: values and patterns
/// over these lengths are refused rather than matched for minutes.
const MAX_PATTERN_VALUE_CHARS: usize = 1024;
const MAX_SUBSTITUTE_VALUE_CHARS: usize = 128;
const MAX_PATTERN_CHARS: usize = 64;
const TOO_LARGE: &str = "expansion too large for this playground (at most 256 KiB per command; pattern operations on values up to 1,024 characters)";

/// What the expansions of one command have produced so far (shared with nested lexers).
#[derive(Default)]
struct Budget {
    used: Cell<usize>,
    exceeded: Cell<bool>,
}

impl Budget {
    /// Accounts for `n` more bytes; false (and remembered) once over the limit.
    fn spend(&self, n: usize) -> bool {
        let used = self.used.get().saturating_add(n);
        self.used.set(used);
        if used > MAX_EXPANSION_BYTES {
            self.exceeded.set(true);
        }
        !self.exceeded.get()
    }
}

const OPERATORS: &[&str] = &[
    "&>>", "<<<", "<<-", ";;", "&&", "||", "|&", "&>", "<<", ">>", "<&", ">&", "<>", ">|", ";", "&", "|", "(", ")",
    "<", ">",
];

fn is_meta(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | ';' | '&' | '|' | '(' | ')' | '<' | '>')
}

impl<'a> Lexer<'a> {
    fn new(s: &str, env: Env<'a>, parse_mode: bool) -> Self {
        Lexer { chars: s.chars().collect(), pos: 0, env, parse_mode, depth: 0, budget: Rc::default() }
    }

    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn peek_at(&self, k: usize) -> Option<char> {
        self.chars.get(self.pos + k).copied()
    }

    fn starts_with(&self, s: &str) -> bool {
        s.chars().enumerate().all(|(k, c)| self.peek_at(k) == Some(c))
    }

    fn run(&mut self) -> Result<Vec<Token>, Stop> {
        let mut toks = Vec::new();
        while let Some(c) = self.peek() {
            match c {
                ' ' | '\t' => self.pos += 1,
                '\n' => {
                    self.pos += 1;
                    toks.push(Token::Newline);
                }
                '#' => {
                    while let Some(c) = self.peek() {
                        if c == '\n' {
                            break;
                        }
                        self.pos += 1;
                    }
                }
                '\\' if self.peek_at(1) == Some('\n') => self.pos += 2,
                _ if is_meta(c) => {
                    let op = OPERATORS.iter().find(|op| self.starts_with(op)).copied().unwrap_or(";");
                    self.pos += op.chars().count();
                    toks.push(Token::Op(op));
                }
                _ => {
                    let w = self.word()?;
                    if let Some(w) = w {
                        let next = self.peek();
                        let all_digits = !w.raw.is_empty() && w.raw.chars().all(|c| c.is_ascii_digit());
                        if all_digits && (next == Some('<') || next == Some('>')) {
                            if let Ok(n) = w.raw.parse::<u32>() {
                                toks.push(Token::IoNumber(n));
                                continue;
                            }
                        }
                        toks.push(Token::Word(w));
                    }
                }
            }
        }
        Ok(toks)
    }

    fn word(&mut self) -> Result<Option<LexWord>, Stop> {
        let start = self.pos;
        let mut w = LexWord { segs: Vec::new(), raw: String::new(), literal: String::new(), quoted: false };
        let push = |w: &mut LexWord, s: &str, split: bool| {
            if let Some(last) = w.segs.last_mut() {
                if last.1 == split && !split {
                    last.0.push_str(s);
                    return;
                }
            }
            w.segs.push((s.to_string(), split));
        };
        while let Some(c) = self.peek() {
            if is_meta(c) {
                break;
            }
            match c {
                '\\' => match self.peek_at(1) {
                    Some('\n') => self.pos += 2,
                    Some(n) => {
                        w.quoted = true;
                        push(&mut w, &n.to_string(), false);
                        w.literal.push(n);
                        self.pos += 2;
                    }
                    None => {
                        if !self.parse_mode {
                            return Err(Stop::Incomplete(Incomplete::Backslash));
                        }
                        push(&mut w, "\\", false);
                        w.literal.push('\\');
                        self.pos += 1;
                    }
                },
                '\'' => {
                    self.pos += 1;
                    let mut s = String::new();
                    loop {
                        match self.peek() {
                            None => return Err(Stop::Incomplete(Incomplete::Quote('\''))),
                            Some('\'') => {
                                self.pos += 1;
                                break;
                            }
                            Some(ch) => {
                                s.push(ch);
                                self.pos += 1;
                            }
                        }
                    }
                    w.quoted = true;
                    w.literal.push_str(&s);
                    push(&mut w, &s, false);
                }
                '"' => {
                    self.pos += 1;
                    let (s, lit) = self.double_quoted()?;
                    w.quoted = true;
                    w.literal.push_str(&lit);
                    push(&mut w, &s, false);
                }
                '`' => {
                    let s = self.backtick()?;
                    w.literal.push_str(&s);
                    push(&mut w, &s, false);
                }
                '$' => {
                    if self.peek_at(1) == Some('\'') {
                        self.pos += 2;
                        let s = self.ansi_c()?;
                        w.quoted = true;
                        w.literal.push_str(&s);
                        push(&mut w, &s, false);
                    } else if self.peek_at(1) == Some('"') {
                        self.pos += 2;
                        let (s, lit) = self.double_quoted()?;
                        w.quoted = true;
                        w.literal.push_str(&lit);
                        push(&mut w, &s, false);
                    } else {
                        let from = self.pos;
                        match self.dollar()? {
                            Some((s, literal_sub)) => {
                                let src: String = self.chars[from..self.pos].iter().collect();
                                w.literal.push_str(&src);
                                push(&mut w, &s, !literal_sub);
                            }
                            None => {
                                self.pos += 1;
                                w.literal.push('$');
                                push(&mut w, "$", false);
                            }
                        }
                    }
                }
                '~' if self.pos == start => {
                    let next = self.peek_at(1);
                    let home = self.lookup("HOME");
                    match home {
                        Some(h) if next.is_none() || next == Some('/') || next.map(is_meta).unwrap_or(false) => {
                            push(&mut w, &h, false);
                        }
                        _ => push(&mut w, "~", false),
                    }
                    w.literal.push('~');
                    self.pos += 1;
                }
                _ => {
                    push(&mut w, &c.to_string(), false);
                    w.literal.push(c);
                    self.pos += 1;
                }
            }
        }
        w.raw = self.chars[start..self.pos].iter().collect();
        if w.raw.is_empty() {
            return Ok(None);
        }
        Ok(Some(w))
    }

    /// After an opening `"`: returns (expanded text, literal text). Consumes the closing `"`.
    fn double_quoted(&mut self) -> Result<(String, String), Stop> {
        let mut s = String::new();
        let mut lit = String::new();
        loop {
            match self.peek() {
                None => return Err(Stop::Incomplete(Incomplete::Quote('"'))),
                Some('"') => {
                    self.pos += 1;
                    return Ok((s, lit));
                }
                Some('\\') => match self.peek_at(1) {
                    Some(n) if n == '$' || n == '`' || n == '"' || n == '\\' => {
                        s.push(n);
                        lit.push(n);
                        self.pos += 2;
                    }
                    Some('\n') => self.pos += 2,
                    Some(n) => {
                        s.push('\\');
                        s.push(n);
                        lit.push('\\');
                        lit.push(n);
                        self.pos += 2;
                    }
                    None => return Err(Stop::Incomplete(Incomplete::Quote('"'))),
                },
                Some('$') => {
                    let from = self.pos;
                    match self.dollar()? {
                        Some((t, _)) => {
                            s.push_str(&t);
                            let src: String = self.chars[from..self.pos].iter().collect();
                            lit.push_str(&src);
                        }
                        None => {
                            s.push('$');
                            lit.push('$');
                            self.pos += 1;
                        }
                    }
                }
                Some('`') => {
                    let t = self.backtick()?;
                    s.push_str(&t);
                    lit.push_str(&t);
                }
                Some(c) => {
                    s.push(c);
                    lit.push(c);
                    self.pos += 1;
                }
            }
        }
    }

    /// A backtick command substitution, kept literally (including the backticks).
    fn backtick(&mut self) -> Result<String, Stop> {
        let mut s = String::from("`");
        self.pos += 1;
        loop {
            match self.peek() {
                None => return Err(Stop::Incomplete(Incomplete::Quote('`'))),
                Some('`') => {
                    self.pos += 1;
                    s.push('`');
                    return Ok(s);
                }
                Some('\\') => {
                    s.push('\\');
                    self.pos += 1;
                    if let Some(n) = self.peek() {
                        s.push(n);
                        self.pos += 1;
                    }
                }
                Some(c) => {
                    s.push(c);
                    self.pos += 1;
                }
            }
        }
    }

    /// After `$'`: ANSI-C quoted text up to the closing `'`.
    fn ansi_c(&mut self) -> Result<String, Stop> {
        let mut s = String::new();
        loop {
            let c = match self.peek() {
                None => return Err(Stop::Incomplete(Incomplete::Quote('\''))),
                Some(c) => c,
            };
            self.pos += 1;
            match c {
                '\'' => return Ok(s),
                '\\' => {
                    let n = match self.peek() {
                        None => return Err(Stop::Incomplete(Incomplete::Quote('\''))),
                        Some(n) => n,
                    };
                    self.pos += 1;
                    match n {
                        'a' => s.push('\u{7}'),
                        'b' => s.push('\u{8}'),
                        'e' | 'E' => s.push('\u{1b}'),
                        'f' => s.push('\u{c}'),
                        'n' => s.push('\n'),
                        'r' => s.push('\r'),
                        't' => s.push('\t'),
                        'v' => s.push('\u{b}'),
                        '\\' | '\'' | '"' | '?' => s.push(n),
                        '0'..='7' => {
                            let mut v = n.to_digit(8).unwrap_or(0);
                            for _ in 0..2 {
                                match self.peek().and_then(|d| d.to_digit(8)) {
                                    Some(d) => {
                                        v = v * 8 + d;
                                        self.pos += 1;
                                    }
                                    None => break,
                                }
                            }
                            s.push(char::from_u32(v & 0xff).unwrap_or('\u{fffd}'));
                        }
                        'x' | 'u' | 'U' => {
                            let max = match n {
                                'x' => 2,
                                'u' => 4,
                                _ => 8,
                            };
                            let mut v: u32 = 0;
                            let mut k = 0;
                            while k < max {
                                match self.peek().and_then(|d| d.to_digit(16)) {
                                    Some(d) => {
                                        v = v.wrapping_mul(16).wrapping_add(d);
                                        self.pos += 1;
                                        k += 1;
                                    }
                                    None => break,
                                }
                            }
                            if k == 0 {
                                s.push('\\');
                                s.push(n);
                            } else {
                                s.push(char::from_u32(v).unwrap_or('\u{fffd}'));
                            }
                        }
                        _ => {
                            s.push('\\');
                            s.push(n);
                        }
                    }
                }
                _ => s.push(c),
            }
        }
    }

    fn lookup(&self, name: &str) -> Option<String> {
        let v = (self.env)(name)?;
        // Over budget: expand to nothing; the caller reports `TooLarge`.
        Some(if self.budget.spend(v.len()) { v } else { String::new() })
    }

    /// False (and the budget marked exceeded) if a pattern operation on these would take too long or
    /// produce too much.
    fn pattern_ok(&self, value: &str, pat_chars: usize, max_value: usize, output: usize) -> bool {
        if value.chars().count() > max_value || pat_chars > MAX_PATTERN_CHARS || !self.budget.spend(output) {
            self.budget.exceeded.set(true);
            return false;
        }
        true
    }

    /// At a `$`. Returns `None` if the `$` is literal (consumes nothing), otherwise the
    /// expansion text and whether it is a literal substitution (command substitution kept as
    /// text, not subject to field splitting).
    fn dollar(&mut self) -> Result<Option<(String, bool)>, Stop> {
        match self.peek_at(1) {
            Some('{') => {
                let open = self.pos;
                self.pos += 2;
                let mut inner = String::new();
                let mut depth = 1usize;
                loop {
                    match self.peek() {
                        None => return Err(Stop::Incomplete(Incomplete::Quote('}'))),
                        Some('}') => {
                            self.pos += 1;
                            depth -= 1;
                            if depth == 0 {
                                break;
                            }
                            inner.push('}');
                        }
                        Some('$') if self.peek_at(1) == Some('{') => {
                            depth += 1;
                            inner.push_str("${");
                            self.pos += 2;
                        }
                        Some('\\') => {
                            inner.push('\\');
                            self.pos += 1;
                            if let Some(n) = self.peek() {
                                inner.push(n);
                                self.pos += 1;
                            }
                        }
                        Some(c) => {
                            inner.push(c);
                            self.pos += 1;
                        }
                    }
                }
                let src: String = self.chars[open..self.pos].iter().collect();
                match self.param_expansion(&inner) {
                    Some(v) => Ok(Some((v, false))),
                    None => {
                        if self.parse_mode {
                            Err(Stop::Error(ShellError::BadSubstitution(src)))
                        } else {
                            Ok(Some((String::new(), false)))
                        }
                    }
                }
            }
            Some('(') => {
                // command substitution (or arithmetic): kept literally
                let open = self.pos;
                self.pos += 2;
                let mut depth = 1usize;
                while depth > 0 {
                    match self.peek() {
                        None => return Err(Stop::Incomplete(Incomplete::Quote(')'))),
                        Some('(') => depth += 1,
                        Some(')') => depth -= 1,
                        Some('\'') => {
                            self.pos += 1;
                            while let Some(c) = self.peek() {
                                if c == '\'' {
                                    break;
                                }
                                self.pos += 1;
                            }
                            if self.peek().is_none() {
                                return Err(Stop::Incomplete(Incomplete::Quote(')')));
                            }
                        }
                        Some('\\') => self.pos += 1,
                        _ => {}
                    }
                    self.pos += 1;
                }
                let pos = self.pos.min(self.chars.len());
                self.pos = pos;
                let src: String = self.chars[open..pos].iter().collect();
                Ok(Some((src, true)))
            }
            Some(c) if c.is_ascii_alphabetic() || c == '_' => {
                self.pos += 1;
                let mut name = String::new();
                while let Some(c) = self.peek() {
                    if c.is_ascii_alphanumeric() || c == '_' {
                        name.push(c);
                        self.pos += 1;
                    } else {
                        break;
                    }
                }
                Ok(Some((self.lookup(&name).unwrap_or_default(), false)))
            }
            Some(c) if c.is_ascii_digit() || matches!(c, '?' | '#' | '$' | '!' | '@' | '*' | '-') => {
                self.pos += 2;
                Ok(Some((self.lookup(&c.to_string()).unwrap_or_default(), false)))
            }
            _ => Ok(None),
        }
    }

    /// `${...}` contents. `None` = bad substitution.
    fn param_expansion(&self, inner: &str) -> Option<String> {
        if self.depth > MAX_EXPANSION_DEPTH {
            return None;
        }
        if let Some(name) = inner.strip_prefix('#') {
            if !name.is_empty() && is_param_name(name) {
                return Some(self.lookup(name).unwrap_or_default().chars().count().to_string());
            }
            if name.is_empty() {
                return Some(self.lookup("#").unwrap_or_default());
            }
            return None;
        }
        let name_len = param_name_len(inner);
        if name_len == 0 {
            return None;
        }
        let name = &inner[..name_len];
        let rest = &inner[name_len..];
        let val = self.lookup(name);
        if rest.is_empty() {
            return Some(val.unwrap_or_default());
        }
        let v0 = val.clone().unwrap_or_default();
        // case modification: ^ ^^ , ,,
        for (op, upper, all) in [("^^", true, true), (",,", false, true), ("^", true, false), (",", false, false)] {
            if let Some(_pat) = rest.strip_prefix(op) {
                let mut out = String::new();
                for (k, c) in v0.chars().enumerate() {
                    if k == 0 || all {
                        if upper {
                            out.extend(c.to_uppercase());
                        } else {
                            out.extend(c.to_lowercase());
                        }
                    } else {
                        out.push(c);
                    }
                }
                return Some(out);
            }
        }
        // pattern substitution: /pat/rep //pat/rep /#pat/rep /%pat/rep
        if let Some(body) = rest.strip_prefix('/') {
            let (mode, body) = match body.chars().next() {
                Some('/') => ('g', &body[1..]),
                Some('#') => ('#', &body[1..]),
                Some('%') => ('%', &body[1..]),
                _ => ('1', body),
            };
            let (pat, rep) = body.split_once('/').unwrap_or((body, ""));
            let pat: Vec<char> = self.expand_simple(pat).chars().collect();
            let rep = self.expand_simple(rep);
            let max = if matches!(mode, 'g' | '1') { MAX_SUBSTITUTE_VALUE_CHARS } else { MAX_PATTERN_VALUE_CHARS };
            if !self.pattern_ok(&v0, pat.len(), max, v0.chars().count().saturating_mul(rep.len().max(1))) {
                return Some(String::new());
            }
            return Some(substitute_pattern(&v0, &pat, &rep, mode));
        }
        // substring: :offset[:length]
        if let Some(spec) = rest.strip_prefix(':') {
            let first = spec.chars().next();
            if matches!(first, Some(c) if c.is_ascii_digit() || c == ' ' || c == '(') {
                let (off, len) = match spec.split_once(':') {
                    Some((o, l)) => (o, Some(l)),
                    None => (spec, None),
                };
                let parse_num = |t: &str| -> Option<i64> {
                    let t = t.trim().trim_start_matches('(').trim_end_matches(')').trim();
                    t.parse::<i64>().ok()
                };
                let chars: Vec<char> = v0.chars().collect();
                let n = chars.len() as i64;
                let mut o = parse_num(off)?;
                if o < 0 {
                    o += n;
                }
                let o = o.clamp(0, n);
                let end = match len {
                    None => n,
                    Some(l) => {
                        let l = parse_num(l)?;
                        if l < 0 {
                            (n + l).max(o)
                        } else {
                            (o + l).min(n)
                        }
                    }
                };
                return Some(chars[o as usize..end.max(o) as usize].iter().collect());
            }
        }
        let ops = [":-", ":=", ":+", ":?", "##", "%%", "-", "=", "+", "?", "#", "%"];
        let op = ops.iter().find(|op| rest.starts_with(**op))?;
        let word = self.expand_simple(&rest[op.len()..]);
        let set = val.is_some();
        let non_empty = val.as_deref().map(|v| !v.is_empty()).unwrap_or(false);
        let v = val.clone().unwrap_or_default();
        if matches!(*op, "#" | "##" | "%" | "%%")
            && !self.pattern_ok(&v, word.chars().count(), MAX_PATTERN_VALUE_CHARS, 0)
        {
            return Some(String::new());
        }
        Some(match *op {
            ":-" | ":=" | ":?" => {
                if non_empty {
                    v
                } else {
                    word
                }
            }
            "-" | "=" | "?" => {
                if set {
                    v
                } else {
                    word
                }
            }
            ":+" => {
                if non_empty {
                    word
                } else {
                    String::new()
                }
            }
            "+" => {
                if set {
                    word
                } else {
                    String::new()
                }
            }
            "#" => strip_prefix_pattern(&v, &word, false),
            "##" => strip_prefix_pattern(&v, &word, true),
            "%" => strip_suffix_pattern(&v, &word, false),
            "%%" => strip_suffix_pattern(&v, &word, true),
            _ => return None,
        })
    }

    /// Expansion of `$NAME`/`${NAME}` inside a `${...}` operand, with simple quote removal.
    fn expand_simple(&self, s: &str) -> String {
        let mut lx = Lexer::new(s, self.env, false);
        lx.depth = self.depth + 1;
        lx.budget = self.budget.clone();
        let mut out = String::new();
        while let Some(c) = lx.peek() {
            if c == '$' {
                let from = lx.pos;
                if let Ok(Some((t, _))) = lx.dollar() {
                    out.push_str(&t);
                    continue;
                }
                lx.pos = from;
                out.push('$');
            } else if c != '"' && c != '\'' {
                out.push(c);
            }
            lx.pos += 1;
        }
        out
    }
}

fn is_param_name(s: &str) -> bool {
    param_name_len(s) == s.len()
}

fn param_name_len(s: &str) -> usize {
    let b = s.as_bytes();
    match b.first() {
        None => 0,
        Some(c) if c.is_ascii_alphabetic() || *c == b'_' => {
            b.iter().take_while(|c| c.is_ascii_alphanumeric() || **c == b'_').count()
        }
        Some(c) if c.is_ascii_digit() => 1,
        Some(b'?' | b'#' | b'$' | b'!' | b'@' | b'*' | b'-') => 1,
        _ => 0,
    }
}

/// Glob match with `*` and `?` (no brackets), iterative.
fn glob_match(pat: &[char], s: &[char]) -> bool {
    let (mut p, mut t) = (0usize, 0usize);
    let mut star: Option<(usize, usize)> = None;
    while t < s.len() {
        if p < pat.len() && (pat[p] == '?' || pat[p] == s[t]) {
            p += 1;
            t += 1;
        } else if p < pat.len() && pat[p] == '*' {
            star = Some((p, t));
            p += 1;
        } else if let Some((sp, st)) = star {
            p = sp + 1;
            t = st + 1;
            star = Some((sp, st + 1));
        } else {
            return false;
        }
    }
    while p < pat.len() && pat[p] == '*' {
        p += 1;
    }
    p == pat.len()
}

fn substitute_pattern(v: &str, pat: &[char], rep: &str, mode: char) -> String {
    let vc: Vec<char> = v.chars().collect();
    if pat.is_empty() {
        return v.to_string();
    }
    let n = vc.len();
    match mode {
        '#' => {
            for k in (0..=n).rev() {
                if glob_match(pat, &vc[..k]) {
                    return format!("{}{}", rep, vc[k..].iter().collect::<String>());
                }
            }
            v.to_string()
        }
        '%' => {
            for k in 0..=n {
                if glob_match(pat, &vc[k..]) {
                    return format!("{}{}", vc[..k].iter().collect::<String>(), rep);
                }
            }
            v.to_string()
        }
        _ => {
            let mut out = String::new();
            let mut i = 0;
            let mut replaced = false;
            while i < n {
                if mode == 'g' || !replaced {
                    // longest match starting at i
                    if let Some(end) = (i + 1..=n).rev().find(|&e| glob_match(pat, &vc[i..e])) {
                        out.push_str(rep);
                        i = end;
                        replaced = true;
                        continue;
                    }
                }
                out.push(vc[i]);
                i += 1;
            }
            out
        }
    }
}

fn strip_prefix_pattern(v: &str, pat: &str, longest: bool) -> String {
    let vc: Vec<char> = v.chars().collect();
    let pc: Vec<char> = pat.chars().collect();
    let range: Vec<usize> = if longest { (0..=vc.len()).rev().collect() } else { (0..=vc.len()).collect() };
    for k in range {
        if glob_match(&pc, &vc[..k]) {
            return vc[k..].iter().collect();
        }
    }
    v.to_string()
}

fn strip_suffix_pattern(v: &str, pat: &str, longest: bool) -> String {
    let vc: Vec<char> = v.chars().collect();
    let pc: Vec<char> = pat.chars().collect();
    let range: Vec<usize> = if longest { (0..=vc.len()).collect() } else { (0..=vc.len()).rev().collect() };
    for k in range {
        if glob_match(&pc, &vc[k..]) {
            return vc[..k].iter().collect();
        }
    }
    v.to_string()
}

/// How many bytes [`split_script`] may lex in total while joining continuation lines (a few hundred
/// milliseconds at most); past it, each remaining line is its own command.
const SPLIT_LEX_BUDGET: usize = 8 << 20;

/// True if appending `line` to a command whose lexing stopped inside quote `q` must stop there again:
/// the line holds none of the characters that could end or change that quote.
fn quote_continues(q: char, line: &str) -> bool {
    let special: &[char] = match q {
        '\'' => &['\'', '\\'],
        '"' => &['"', '\\', '$', '`'],
        '`' => &['`', '\\'],
        _ => &['(', ')', '{', '}', '\'', '"', '\\', '$', '`', '#'],
    };
    !line.contains(special)
}

/// True if a line replacing a trailing backslash (outside quotes) ends in a lone backslash again and
/// holds nothing that could open a quote, an expansion or a comment (`{` and `(` too: the text before
/// the backslash may end in `$`, and there is no newline in between).
fn backslash_continues(line: &str) -> bool {
    match line.strip_suffix('\\') {
        Some(rest) => !rest.contains(['\'', '"', '\\', '$', '`', '#', '{', '(']),
        None => false,
    }
}

fn ends_with_continuation_op(toks: &[Token]) -> bool {
    matches!(toks.last(), Some(Token::Op("&&" | "||" | "|" | "|&")))
}

/// (delimiter, quoted, strip_tabs) of each here-document operator in the tokens.
fn heredocs_in(toks: &[Token]) -> Vec<(String, bool, bool)> {
    let mut out = Vec::new();
    for (k, t) in toks.iter().enumerate() {
        if let Token::Op(op @ ("<<" | "<<-")) = t {
            if let Some(Token::Word(w)) = toks.get(k + 1) {
                out.push((w.literal.clone(), w.quoted, *op == "<<-"));
            }
        }
    }
    out
}

// ---------------------------------------------------------------------------------------
// Parser

struct Parser {
    toks: Vec<Token>,
    pos: usize,
}

fn token_text(t: Option<&Token>) -> String {
    match t {
        None | Some(Token::Newline) => "newline".to_string(),
        Some(Token::Op(op)) => op.to_string(),
        Some(Token::IoNumber(n)) => n.to_string(),
        Some(Token::Word(w)) => w.raw.clone(),
    }
}

fn is_redirect_op(op: &str) -> bool {
    matches!(op, "<" | ">" | ">>" | ">|" | "<>" | ">&" | "<&" | "&>" | "&>>" | "<<" | "<<-" | "<<<")
}

impl Parser {
    fn peek(&self) -> Option<&Token> {
        self.toks.get(self.pos)
    }

    fn skip_newlines(&mut self) {
        while let Some(Token::Newline) = self.peek() {
            self.pos += 1;
        }
    }

    fn parse_list(&mut self) -> Result<CommandList, ShellError> {
        let mut items = Vec::new();
        let mut connector = Connector::Seq;
        loop {
            self.skip_newlines();
            match self.peek() {
                None => {
                    if connector != Connector::Seq {
                        return Err(ShellError::UnexpectedEof);
                    }
                    break;
                }
                Some(Token::Op(op)) if !is_redirect_op(op) => {
                    return Err(ShellError::UnexpectedToken(op.to_string()));
                }
                _ => {}
            }
            let pipeline = self.parse_pipeline()?;
            let mut item = ListItem { connector, pipeline, background: false };
            match self.peek() {
                None => {
                    items.push(item);
                    break;
                }
                Some(Token::Newline) | Some(Token::Op(";")) => {
                    self.pos += 1;
                    items.push(item);
                    connector = Connector::Seq;
                }
                Some(Token::Op("&")) => {
                    self.pos += 1;
                    item.background = true;
                    items.push(item);
                    connector = Connector::Seq;
                }
                Some(Token::Op("&&")) => {
                    self.pos += 1;
                    items.push(item);
                    connector = Connector::And;
                }
                Some(Token::Op("||")) => {
                    self.pos += 1;
                    items.push(item);
                    connector = Connector::Or;
                }
                other => return Err(ShellError::UnexpectedToken(token_text(other))),
            }
        }
        Ok(CommandList { items })
    }

    fn parse_pipeline(&mut self) -> Result<Pipeline, ShellError> {
        let mut negated = false;
        if let Some(Token::Word(w)) = self.peek() {
            if w.raw == "!" {
                negated = true;
                self.pos += 1;
            }
        }
        let mut commands = vec![self.parse_command()?];
        while let Some(Token::Op(op @ ("|" | "|&"))) = self.peek() {
            if *op == "|&" {
                if let Some(last) = commands.last_mut() {
                    last.redirects.push(Redirect {
                        fd: Some(2),
                        op: RedirectOp::DupOut,
                        target: Word { text: "1".into(), raw: "1".into(), quoted: false },
                        heredoc: None,
                    });
                }
            }
            self.pos += 1;
            self.skip_newlines();
            match self.peek() {
                None => return Err(ShellError::UnexpectedEof),
                Some(Token::Op(op)) if !is_redirect_op(op) => return Err(ShellError::UnexpectedToken(op.to_string())),
                _ => {}
            }
            commands.push(self.parse_command()?);
        }
        Ok(Pipeline { negated, commands })
    }

    fn parse_command(&mut self) -> Result<SimpleCommand, ShellError> {
        let mut cmd = SimpleCommand::default();
        loop {
            match self.peek().cloned() {
                Some(Token::Word(w)) => {
                    self.pos += 1;
                    if cmd.words.is_empty() {
                        if let Some(a) = w.assignment() {
                            cmd.assignments.push(a);
                            continue;
                        }
                    }
                    cmd.words.extend(w.fields());
                }
                Some(Token::IoNumber(n)) => {
                    self.pos += 1;
                    match self.peek() {
                        Some(Token::Op(op)) if is_redirect_op(op) => {
                            let op = *op;
                            self.pos += 1;
                            cmd.redirects.push(self.parse_redirect(Some(n), op)?);
                        }
                        other => return Err(ShellError::UnexpectedToken(token_text(other))),
                    }
                }
                Some(Token::Op(op)) if is_redirect_op(op) => {
                    self.pos += 1;
                    cmd.redirects.push(self.parse_redirect(None, op)?);
                }
                Some(Token::Op(op @ ("(" | ")"))) => return Err(ShellError::UnexpectedToken(op.to_string())),
                _ => break,
            }
        }
        if cmd.words.is_empty() && cmd.assignments.is_empty() && cmd.redirects.is_empty() {
            return match self.peek() {
                None => Err(ShellError::UnexpectedEof),
                other => Err(ShellError::UnexpectedToken(token_text(other))),
            };
        }
        Ok(cmd)
    }

    fn parse_redirect(&mut self, fd: Option<u32>, op: &'static str) -> Result<Redirect, ShellError> {
        let w = match self.peek() {
            Some(Token::Word(w)) => w.clone(),
            other => return Err(ShellError::UnexpectedToken(token_text(other))),
        };
        self.pos += 1;
        let target = w.word();
        let (rop, heredoc) = match op {
            ">" | ">|" => (RedirectOp::Out, None),
            ">>" => (RedirectOp::Append, None),
            "<" => (RedirectOp::In, None),
            "<>" => (RedirectOp::ReadWrite, None),
            ">&" => (RedirectOp::DupOut, None),
            "<&" => (RedirectOp::DupIn, None),
            "&>" => (RedirectOp::OutErr, None),
            "&>>" => (RedirectOp::AppendOutErr, None),
            "<<<" => (RedirectOp::HereString, None),
            _ => (
                RedirectOp::Heredoc,
                Some(HeredocSpec {
                    delimiter: w.literal.clone(),
                    quoted: w.quoted,
                    strip_tabs: op == "<<-",
                    body: None,
                }),
            ),
        };
        Ok(Redirect { fd, op: rop, target, heredoc })
    }
}

// ---------------------------------------------------------------------------------------

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn env_map(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    fn argv_env(line: &str, env: &BTreeMap<String, String>) -> Vec<String> {
        let list = parse_with_env(line, |k| env.get(k).cloned()).expect(line);
        assert_eq!(list.items.len(), 1, "{}", line);
        list.items[0].pipeline.commands[0].argv()
    }

    // Quoting and expansion, per the bash manual (QUOTING, Parameter Expansion, Word
    // Splitting).
    #[test]
    fn words_and_quoting() {
        let env = env_map(&[
            ("NS", "default"),
            ("HOME", "/home/me"),
            ("SP", "a  b"),
            ("EMPTY", ""),
            ("?", "0"),
            ("1", "first"),
            ("IMG", "registry.k8s.io/nginx-slim:0.24"),
        ]);
        let cases: &[(&str, &[&str])] = &[
            ("kubectl get pods", &["kubectl", "get", "pods"]),
            ("  kubectl\tget   pods  ", &["kubectl", "get", "pods"]),
            ("echo 'a b' \"c d\"", &["echo", "a b", "c d"]),
            ("echo 'it''s'", &["echo", "its"]),
            ("echo \"it's\"", &["echo", "it's"]),
            ("echo '$NS \\n'", &["echo", "$NS \\n"]),
            ("echo \"$NS\"", &["echo", "default"]),
            ("echo \"${NS}x\"", &["echo", "defaultx"]),
            ("echo $NS-$NS", &["echo", "default-default"]),
            ("echo \"\\$NS \\\" \\\\ \\` \\n\"", &["echo", "$NS \" \\ ` \\n"]),
            ("echo a\\ b \\$NS", &["echo", "a b", "$NS"]),
            ("echo \"\"", &["echo", ""]),
            ("echo ''", &["echo", ""]),
            ("echo $UNSET", &["echo"]),
            ("echo \"$UNSET\"", &["echo", ""]),
            ("echo $EMPTY x", &["echo", "x"]),
            ("echo $SP", &["echo", "a", "b"]),
            ("echo \"$SP\"", &["echo", "a  b"]),
            ("echo x$SP", &["echo", "xa", "b"]),
            ("echo $? $1", &["echo", "0", "first"]),
            ("echo $ $/ a$", &["echo", "$", "$/", "a$"]),
            ("echo ~ ~/x a~", &["echo", "/home/me", "/home/me/x", "a~"]),
            ("echo '~'", &["echo", "~"]),
            ("echo a#b #comment", &["echo", "a#b"]),
            ("echo '#x' \"#y\" \\#z", &["echo", "#x", "#y", "#z"]),
            ("echo $'a\\tb\\n\\x41\\u00e9\\''", &["echo", "a\tb\nAé'"]),
            ("echo ${#NS} ${UNSET:-dflt} ${NS:+set} ${EMPTY-e} ${EMPTY:-ne}", &["echo", "7", "dflt", "set", "ne"]),
            (
                "echo ${IMG##*/} ${IMG%:*} ${IMG#*:} ${IMG%%.*}",
                &["echo", "nginx-slim:0.24", "registry.k8s.io/nginx-slim", "0.24", "registry"],
            ),
            ("echo $(date) `date`", &["echo", "$(date)", "`date`"]),
            ("echo ${UNSET:-${NS}} ${UNSET:-${ALSO:-x}y}", &["echo", "default", "xy"]),
            (
                "echo ${NS^^} ${NS^} ${IMG/nginx/web} ${NS//a/A} ${NS:1:3} ${NS: -3} ${A%%%%%}",
                &["echo", "DEFAULT", "Default", "registry.k8s.io/web-slim:0.24", "defAult", "efa", "ult"],
            ),
            ("echo {a,b}", &["echo", "{a,b}"]),
            (
                "kubectl patch sts myapp -p \"{\"spec\":{\"repplicas\":5}}\"",
                &["kubectl", "patch", "sts", "myapp", "-p", "{spec:{repplicas:5}}"],
            ),
            (
                "kubectl patch sts web -p '{\"spec\":{\"replicas\":5}}'",
                &["kubectl", "patch", "sts", "web", "-p", "{\"spec\":{\"replicas\":5}}"],
            ),
            (
                "kubectl get pods -o jsonpath='{range .items[*]}{.metadata.name}{\"\\n\"}{end}'",
                &["kubectl", "get", "pods", "-o", "jsonpath={range .items[*]}{.metadata.name}{\"\\n\"}{end}"],
            ),
            (
                "kubectl get pods -o jsonpath={.items[*].metadata.name}",
                &["kubectl", "get", "pods", "-o", "jsonpath={.items[*].metadata.name}"],
            ),
            (
                "kubectl set image sts/web nginx=$IMG",
                &["kubectl", "set", "image", "sts/web", "nginx=registry.k8s.io/nginx-slim:0.24"],
            ),
            ("echo a\\\nb", &["echo", "ab"]),
            ("echo \"a\\\nb\"", &["echo", "ab"]),
            ("echo 'a\nb'", &["echo", "a\nb"]),
            ("echo trailing\\", &["echo", "trailing\\"]),
        ];
        for (line, want) in cases {
            let want: Vec<String> = want.iter().map(|s| s.to_string()).collect();
            assert_eq!(argv_env(line, &env), want, "line {:?}", line);
        }
    }

    #[test]
    fn quoted_flag() {
        let list = parse("kubectl patch -p \"{\"spec\":1}\" x 'y' \\z $A").unwrap();
        let words = &list.items[0].pipeline.commands[0].words;
        let flags: Vec<(&str, bool)> = words.iter().map(|w| (w.text.as_str(), w.quoted)).collect();
        assert_eq!(
            flags,
            vec![
                ("kubectl", false),
                ("patch", false),
                ("-p", false),
                ("{spec:1}", true),
                ("x", false),
                ("y", true),
                ("z", true)
            ]
        );
        assert_eq!(words[3].raw, "\"{\"spec\":1}\"");
    }

    #[test]
    fn assignments() {
        let list =
            parse_with_env("A=1 B=\"x y\" C=$HOME kubectl get pods D=2", |k| (k == "HOME").then(|| "/h o".to_string()))
                .unwrap();
        let cmd = &list.items[0].pipeline.commands[0];
        assert_eq!(
            cmd.assignments,
            vec![("A".into(), "1".into()), ("B".into(), "x y".into()), ("C".into(), "/h o".into())]
        );
        assert_eq!(cmd.argv(), vec!["kubectl", "get", "pods", "D=2"]);
        let list = parse("export NS=default").unwrap();
        assert_eq!(list.items[0].pipeline.commands[0].argv(), vec!["export", "NS=default"]);
        let list = parse("NS=x").unwrap();
        assert!(list.items[0].pipeline.commands[0].words.is_empty());
        let list = parse("'A'=1").unwrap();
        assert_eq!(list.items[0].pipeline.commands[0].argv(), vec!["A=1"]);
    }

    #[test]
    fn lists_and_pipelines() {
        let list = parse("a 1; b && c || d | e & f\n g").unwrap();
        let shape: Vec<(Connector, Vec<Vec<String>>, bool)> = list
            .items
            .iter()
            .map(|i| (i.connector, i.pipeline.commands.iter().map(|c| c.argv()).collect(), i.background))
            .collect();
        let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        assert_eq!(
            shape,
            vec![
                (Connector::Seq, vec![s(&["a", "1"])], false),
                (Connector::Seq, vec![s(&["b"])], false),
                (Connector::And, vec![s(&["c"])], false),
                (Connector::Or, vec![s(&["d"]), s(&["e"])], true),
                (Connector::Seq, vec![s(&["f"])], false),
                (Connector::Seq, vec![s(&["g"])], false),
            ]
        );
        assert!(parse("").unwrap().is_empty());
        assert!(parse("   # just a comment").unwrap().is_empty());
        assert_eq!(parse("ls;").unwrap().items.len(), 1);
        assert_eq!(parse("a &&\n\n b").unwrap().items.len(), 2);
        assert_eq!(parse("a |\n b").unwrap().items[0].pipeline.commands.len(), 2);
        assert!(parse("! grep x").unwrap().items[0].pipeline.negated);
        let l = parse("a |& b").unwrap();
        assert_eq!(l.items[0].pipeline.commands[0].redirects[0].fd, Some(2));
        assert_eq!(l.items[0].pipeline.commands[0].redirects[0].op, RedirectOp::DupOut);
    }

    #[test]
    fn redirections() {
        let list = parse("kubectl get pods > out.txt 2>&1 >> log <in 2>/dev/null &>all 3<&0 <<<'s t'").unwrap();
        let cmd = &list.items[0].pipeline.commands[0];
        assert_eq!(cmd.argv(), vec!["kubectl", "get", "pods"]);
        let r: Vec<(Option<u32>, RedirectOp, &str)> =
            cmd.redirects.iter().map(|r| (r.fd, r.op, r.target.text.as_str())).collect();
        assert_eq!(
            r,
            vec![
                (None, RedirectOp::Out, "out.txt"),
                (Some(2), RedirectOp::DupOut, "1"),
                (None, RedirectOp::Append, "log"),
                (None, RedirectOp::In, "in"),
                (Some(2), RedirectOp::Out, "/dev/null"),
                (None, RedirectOp::OutErr, "all"),
                (Some(3), RedirectOp::DupIn, "0"),
                (None, RedirectOp::HereString, "s t"),
            ]
        );
        assert_eq!(cmd.stdin().as_deref(), Some("s t\n"));
        // a digit word not directly followed by a redirection is an argument
        let list = parse("echo 2 > f").unwrap();
        assert_eq!(list.items[0].pipeline.commands[0].argv(), vec!["echo", "2"]);
        // redirection before the command name
        let list = parse(">f echo hi").unwrap();
        assert_eq!(list.items[0].pipeline.commands[0].argv(), vec!["echo", "hi"]);
    }

    #[test]
    fn heredoc_markers() {
        let cases: &[(&str, &str, bool, bool)] = &[
            ("cat <<EOF", "EOF", false, false),
            ("cat <<'EOF'", "EOF", true, false),
            ("cat <<\"EOF\"", "EOF", true, false),
            ("cat <<-EOF", "EOF", false, true),
            ("cat << EOF", "EOF", false, false),
            ("cat <<E\\OF", "EOF", true, false),
            ("kubectl apply -f - <<EOF", "EOF", false, false),
        ];
        for (line, delim, quoted, strip) in cases {
            let list = parse(line).unwrap();
            let h = list.heredocs();
            assert_eq!(h.len(), 1, "{}", line);
            assert_eq!((h[0].delimiter.as_str(), h[0].quoted, h[0].strip_tabs), (*delim, *quoted, *strip), "{}", line);
        }
    }

    // Error messages as printed by bash 5.
    #[test]
    fn errors() {
        let cases: &[(&str, &str)] = &[
            ("echo \"abc", "bash: unexpected EOF while looking for matching `\"'"),
            ("echo 'abc", "bash: unexpected EOF while looking for matching `''"),
            ("echo `date", "bash: unexpected EOF while looking for matching ``'"),
            ("echo $(date", "bash: unexpected EOF while looking for matching `)'"),
            ("echo ${A", "bash: unexpected EOF while looking for matching `}'"),
            ("| wc", "bash: syntax error near unexpected token `|'"),
            ("ls | | wc", "bash: syntax error near unexpected token `|'"),
            ("ls ||| wc", "bash: syntax error near unexpected token `|'"),
            ("; ls", "bash: syntax error near unexpected token `;'"),
            ("ls ;; ls", "bash: syntax error near unexpected token `;;'"),
            ("ls ; ; ls", "bash: syntax error near unexpected token `;'"),
            ("&& ls", "bash: syntax error near unexpected token `&&'"),
            ("& ls", "bash: syntax error near unexpected token `&'"),
            ("echo >", "bash: syntax error near unexpected token `newline'"),
            ("echo > | x", "bash: syntax error near unexpected token `|'"),
            ("echo > > x", "bash: syntax error near unexpected token `>'"),
            ("echo (a)", "bash: syntax error near unexpected token `('"),
            ("echo a)", "bash: syntax error near unexpected token `)'"),
            ("ls &&", "bash: syntax error: unexpected end of file"),
            ("ls ||", "bash: syntax error: unexpected end of file"),
            ("ls |", "bash: syntax error: unexpected end of file"),
            ("echo ${A;}", "bash: ${A;}: bad substitution"),
            ("echo ${1abc}", "bash: ${1abc}: bad substitution"),
            ("echo ${}", "bash: ${}: bad substitution"),
        ];
        for (line, want) in cases {
            match parse(line) {
                Err(e) => assert_eq!(e.to_string(), *want, "line {:?}", line),
                Ok(l) => panic!("expected error for {:?}, got {:?}", line, l),
            }
        }
    }

    #[test]
    fn split_script_basic() {
        let script = "#!/bin/bash\n# comment\n\nkubectl apply -f web.yaml\n  kubectl get pods -w   # watch\nkubectl scale sts web \\\n  --replicas=5\n";
        let cmds = split_script(script);
        let got: Vec<(usize, &str, &str)> =
            cmds.iter().map(|c| (c.line, c.text.as_str(), c.command.as_str())).collect();
        assert_eq!(
            got,
            vec![
                (4, "kubectl apply -f web.yaml", "kubectl apply -f web.yaml"),
                (5, "  kubectl get pods -w   # watch", "  kubectl get pods -w   # watch"),
                (6, "kubectl scale sts web \\\n  --replicas=5", "kubectl scale sts web   --replicas=5"),
            ]
        );
        assert_eq!(parse(&cmds[2].command).unwrap().items[0].pipeline.commands[0].argv().len(), 5);
    }

    #[test]
    fn split_script_heredocs() {
        let script = "kubectl apply -f - <<EOF\napiVersion: v1\nkind: Service\n# not a comment\nmetadata:\n  name: $NAME\nEOF\necho done\ncat <<-'END' | wc -l\n\tindented $X\n\tEND\ncat <<A <<'B'\na\nA\nb\nB\n";
        let cmds = split_script(script);
        assert_eq!(cmds.len(), 4);
        assert_eq!(cmds[0].line, 1);
        assert_eq!(cmds[0].command, "kubectl apply -f - <<EOF");
        assert_eq!(
            cmds[0].stdin.as_deref(),
            Some("apiVersion: v1\nkind: Service\n# not a comment\nmetadata:\n  name: $NAME\n")
        );
        assert_eq!(
            cmds[0].text,
            "kubectl apply -f - <<EOF\napiVersion: v1\nkind: Service\n# not a comment\nmetadata:\n  name: $NAME\nEOF"
        );
        assert!(cmds[0].heredocs[0].terminated);
        assert_eq!((cmds[1].line, cmds[1].command.as_str()), (8, "echo done"));
        assert_eq!(cmds[2].stdin.as_deref(), Some("indented $X\n"));
        assert!(cmds[2].heredocs[0].quoted && cmds[2].heredocs[0].strip_tabs);
        assert_eq!(cmds[3].heredocs.len(), 2);
        assert_eq!(cmds[3].heredocs[0].body, "a\n");
        assert_eq!(cmds[3].heredocs[1].body, "b\n");
        assert_eq!(cmds[3].line, 12);

        // parse with env: unquoted heredoc bodies are expanded, quoted ones are not
        let env = env_map(&[("NAME", "nginx"), ("X", "x")]);
        let l = cmds[0].parse_with_env(|k| env.get(k).cloned()).unwrap();
        assert_eq!(
            l.items[0].pipeline.commands[0].stdin().as_deref(),
            Some("apiVersion: v1\nkind: Service\n# not a comment\nmetadata:\n  name: nginx\n")
        );
        let l = cmds[2].parse_with_env(|k| env.get(k).cloned()).unwrap();
        assert_eq!(l.items[0].pipeline.commands[0].stdin().as_deref(), Some("indented $X\n"));
    }

    #[test]
    fn split_script_unterminated_heredoc() {
        let cmds = split_script("cat <<EOF\nline\n");
        assert_eq!(cmds.len(), 1);
        assert!(!cmds[0].heredocs[0].terminated);
        assert_eq!(cmds[0].stdin.as_deref(), Some("line\n"));
        assert_eq!(
            cmds[0].warnings(),
            vec!["bash: warning: here-document at line 1 delimited by end-of-file (wanted `EOF')".to_string()]
        );
    }

    #[test]
    fn split_script_multiline_quotes_and_ops() {
        let script = "kubectl patch sts web -p '{\n  \"spec\": {\"replicas\": 3}\n}'\nkubectl get pods |\n  grep web &&\n  echo ok\necho \"unterminated\n";
        let cmds = split_script(script);
        assert_eq!(cmds.len(), 3);
        assert_eq!(cmds[0].command, "kubectl patch sts web -p '{\n  \"spec\": {\"replicas\": 3}\n}'");
        let argv = parse(&cmds[0].command).unwrap().items[0].pipeline.commands[0].argv();
        assert_eq!(argv[5], "{\n  \"spec\": {\"replicas\": 3}\n}");
        assert_eq!(cmds[1].line, 4);
        assert_eq!(cmds[1].command, "kubectl get pods |\n  grep web &&\n  echo ok");
        assert_eq!(parse(&cmds[1].command).unwrap().items.len(), 2);
        assert_eq!(cmds[2].command, "echo \"unterminated");
        assert_eq!(parse(&cmds[2].command).unwrap_err(), ShellError::UnterminatedQuote('"'));
    }

    #[test]
    fn continuation() {
        let cases: &[(&str, bool)] = &[
            ("ls", false),
            ("", false),
            ("echo \"abc", true),
            ("echo 'abc", true),
            ("echo abc \\", true),
            ("ls &&", true),
            ("ls |", true),
            ("cat <<EOF", true),
            ("cat <<EOF\nx\nEOF", false),
            ("echo \"a\nb\"", false),
            ("ls ;;", false),
        ];
        for (text, want) in cases {
            assert_eq!(continuation_needed(text), *want, "{:?}", text);
        }
    }

    #[test]
    fn heredoc_expansion() {
        let env = env_map(&[("A", "1"), ("B", "two")]);
        let f = |k: &str| env.get(k).cloned();
        let cases: &[(&str, &str)] = &[
            ("a=$A b=${B}\n", "a=1 b=two\n"),
            ("\\$A \\\\ \\` \\n \"$A\" '$A'\n", "$A \\ ` \\n \"1\" '1'\n"),
            ("x\\\ny\n", "xy\n"),
            ("cost: $ 5\n", "cost: $ 5\n"),
        ];
        for (body, want) in cases {
            assert_eq!(expand_heredoc(body, f), *want, "{:?}", body);
        }
    }

    #[test]
    fn hostile_inputs_do_not_panic() {
        let inputs = [
            "\\",
            "'",
            "\"",
            "$",
            "${",
            "$(",
            "`",
            "$'",
            "$'\\",
            "$'\\x",
            "${#}",
            "${:-}",
            "2>",
            "2>&",
            "<<",
            "<<-",
            "<<<",
            "!",
            "! |",
            "a 2",
            "((((",
            "))))",
            "\"$(\"",
            "${A:-${B}}",
            "~",
            "~~",
            "a=b=c",
            "=x",
            "\u{0}",
            "日本 語",
            "&>>",
            ">|x",
            "echo $'\\777'",
            "$'\\U110000'",
        ];
        for s in inputs {
            let _ = parse(s);
            let _ = split_script(s);
            let _ = continuation_needed(s);
            let _ = expand_heredoc(s, |_| None);
        }
        let nested = "echo ".to_string() + &"${A:-".repeat(5000) + &"}".repeat(5000);
        let _ = parse(&nested);
        let _ = split_script(&nested);
        let long = "echo ".to_string() + &"$(".repeat(5000);
        let _ = parse(&long);
        let long = "a ".repeat(10000) + &"| b ".repeat(10000);
        assert_eq!(parse(&long).unwrap().items[0].pipeline.commands.len(), 10001);
    }

    /// The splitter before it became incremental: re-lexes the whole command for every added line.
    /// Kept as the reference the fast one must agree with.
    fn split_script_naive(text: &str) -> Vec<ScriptCommand> {
        let lines: Vec<&str> = text.split('\n').map(|l| l.strip_suffix('\r').unwrap_or(l)).collect();
        // a trailing newline does not start another (empty) line
        let n = if text.ends_with('\n') { lines.len().saturating_sub(1) } else { lines.len() };
        let env = |_: &str| None;
        let mut out = Vec::new();
        let mut i = 0;
        while i < n {
            let line = lines[i];
            let trimmed = line.trim_start();
            if trimmed.is_empty() || trimmed.starts_with('#') {
                i += 1;
                continue;
            }
            let start = i;
            let mut text_lines: Vec<&str> = vec![line];
            let mut command = line.to_string();
            i += 1;
            let mut heredoc_specs: Vec<(String, bool, bool)> = Vec::new();
            loop {
                let mut lx = Lexer::new(&command, &env, false);
                match lx.run() {
                    Err(Stop::Incomplete(Incomplete::Backslash)) if i < n => {
                        command.pop(); // the backslash
                        command.push_str(lines[i]);
                        text_lines.push(lines[i]);
                        i += 1;
                    }
                    Err(Stop::Incomplete(Incomplete::Quote(_))) if i < n => {
                        command.push('\n');
                        command.push_str(lines[i]);
                        text_lines.push(lines[i]);
                        i += 1;
                    }
                    Ok(toks) => {
                        if ends_with_continuation_op(&toks) && i < n {
                            command.push('\n');
                            command.push_str(lines[i]);
                            text_lines.push(lines[i]);
                            i += 1;
                            continue;
                        }
                        heredoc_specs = heredocs_in(&toks);
                        break;
                    }
                    _ => break,
                }
            }
            let mut heredocs = Vec::new();
            for (delimiter, quoted, strip_tabs) in heredoc_specs {
                let mut body = String::new();
                let mut terminated = false;
                while i < n {
                    let l = lines[i];
                    text_lines.push(l);
                    i += 1;
                    let l = if strip_tabs { l.trim_start_matches('\t') } else { l };
                    if l == delimiter {
                        terminated = true;
                        break;
                    }
                    body.push_str(l);
                    body.push('\n');
                }
                heredocs.push(HeredocBody { delimiter, body, quoted, strip_tabs, terminated });
            }
            out.push(ScriptCommand {
                text: text_lines.join("\n"),
                line: start + 1,
                command,
                stdin: heredocs.first().map(|h| h.body.clone()),
                heredocs,
            });
        }
        out
    }

    /// The incremental splitter gives the same commands as the naive one on scripts mixing every kind
    /// of continuation (quotes of each sort, backslashes, operators, heredocs, `$`-prefix joins).
    #[test]
    fn incremental_split_agrees_with_the_naive_one() {
        let pieces = [
            "echo a", "'", "\"", "`", "\\", "$", "${", "$(", ")", "}", "{", "(", "&&", "||", "|", "#c", " ", "x",
            "<<EOF", "EOF", "$'", "\t", ";", "<<-'E'", "E",
        ];
        let mut seed: u64 = 0x2545_F491_4F6C_DD1D;
        let mut next = |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n as u64) as usize
        };
        for _ in 0..20_000 {
            let lines = 1 + next(6);
            let mut script = String::new();
            for _ in 0..lines {
                for _ in 0..next(5) {
                    script.push_str(pieces[next(pieces.len())]);
                }
                script.push('\n');
            }
            assert_eq!(split_script(&script), split_script_naive(&script), "{script:?}");
        }
    }

    /// Found by the hostile corpus: each of these took minutes (every continuation line re-lexed the
    /// whole command). Now each is linear; the sizes are the terminal's 256 KiB line limit.
    #[test]
    fn long_continuations_split_in_linear_time() {
        let quote = format!("echo '{}'", "x\n".repeat(100_000));
        assert_eq!(split_script(&quote).len(), 1);
        let dquote = format!("echo \"{}\"", "{\"a\": 1}\n".repeat(20_000).replace('"', "'"));
        assert_eq!(split_script(&dquote).len(), 1);
        let chain = format!("{}echo done", "true &&\n".repeat(30_000));
        let cmds = split_script(&chain);
        assert_eq!(cmds.len(), 1);
        assert_eq!(parse(&cmds[0].command).unwrap().items.len(), 30_001);
        let backslash = format!("echo {}end", "word \\\n".repeat(50_000));
        assert_eq!(split_script(&backslash).len(), 1);
        // Adversarial lines (each one closes and reopens a quote) hit the lexing budget and then
        // become separate commands instead of taking minutes.
        let toggles = format!("echo '{}'", "' && echo '\n".repeat(40_000));
        assert!(!split_script(&toggles).is_empty());
    }

    /// Found by the hostile corpus (`exec-doubling-string`): a variable doubled 40 times is a terabyte.
    #[test]
    fn expansions_are_bounded() {
        let big = "y".repeat(200_000);
        let env = |k: &str| (k == "X").then(|| big.clone());
        assert!(parse_with_env("echo $X", env).is_ok());
        assert_eq!(parse_with_env("echo $X $X", env), Err(ShellError::TooLarge));
        assert_eq!(parse_with_env("echo \"${X}${X}\"", env), Err(ShellError::TooLarge));
        assert_eq!(parse_with_env("echo ${X//y/zz}", env), Err(ShellError::TooLarge));
        assert_eq!(parse_with_env("echo ${X##*a*b*c}", env), Err(ShellError::TooLarge));
        let small = |k: &str| (k == "X").then(|| "a-b-c".to_string());
        assert_eq!(
            parse_with_env("echo ${X//-/_} ${X#*-}", small).unwrap().items[0].pipeline.commands[0].argv(),
            ["echo", "a_b_c", "b-c"]
        );
        assert!(ShellError::TooLarge.to_string().starts_with("bash: stsplay: expansion too large"));
    }
}
