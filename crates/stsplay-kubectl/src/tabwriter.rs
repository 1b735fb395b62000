//! Elastic-tabstop table writer: a port of Go's `text/tabwriter` (as forked by
//! `github.com/liggitt/tabwriter`, which adds the `REMEMBER_WIDTHS` flag that kubectl uses).
//!
//! Semantics reproduced from the Go source:
//! * Input is UTF-8 text; cells are terminated by `'\t'` (hard tab) or `'\v'` (soft tab),
//!   lines by `'\n'` or `'\f'`.
//! * Only *terminated* cells belong to a column: the last cell of each line (the text after
//!   the last tab) is written as-is, never padded.
//! * A column block is a run of consecutive lines that all have a cell in that column; each
//!   block is sized independently: `width = max(minwidth, max(cell runes) + padding)`.
//! * A line with a single cell (no tab) triggers an implicit flush, which ends all blocks.
//!   `'\f'` always flushes.
//! * Cell widths are counted in Unicode scalar values (runes), not display columns.
//! * With `REMEMBER_WIDTHS` column widths never shrink across flushes (kubectl `get -w`).
//!
//! The writer never panics: unlike Go it does not validate negative parameters (they are
//! `usize`) and has no error path.

/// Ignore html tags and treat entities as single characters (width 1).
pub const FILTER_HTML: u32 = 1 << 0;
/// Strip Escape characters bracketing escaped text segments. (Escape is byte 0xff, which
/// cannot occur in a Rust `&str`; accepted for completeness.)
pub const STRIP_ESCAPE: u32 = 1 << 1;
/// Force right-alignment of cell content.
pub const ALIGN_RIGHT: u32 = 1 << 2;
/// Handle empty columns terminated by soft tabs ('\v') as if they were not present.
pub const DISCARD_EMPTY_COLUMNS: u32 = 1 << 3;
/// Always use tabs for indentation columns (leading empty cells).
pub const TAB_INDENT: u32 = 1 << 4;
/// Print a vertical bar ('|') between columns (after formatting).
pub const DEBUG: u32 = 1 << 5;
/// Remember maximum widths seen per column even after a flush (liggitt/tabwriter).
pub const REMEMBER_WIDTHS: u32 = 1 << 6;

/// kubectl table printer parameters (cli-runtime `printers/tabwriter.go`):
/// minwidth 6, tabwidth 4, padding 3, padchar ' ', flags `RememberWidths`.
pub const KUBECTL_MIN_WIDTH: usize = 6;
pub const KUBECTL_TAB_WIDTH: usize = 4;
pub const KUBECTL_PADDING: usize = 3;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Cell {
    size: usize,  // cell size in bytes
    width: usize, // cell width in runes
    htab: bool,   // true if terminated by '\t'
}

/// A tab writer accumulating formatted output in memory.
#[derive(Clone, Debug)]
pub struct TabWriter {
    minwidth: usize,
    tabwidth: usize,
    padding: usize,
    padchar: char,
    flags: u32,

    buf: String,
    pos: usize,
    cell: Cell,
    end_char: Option<char>,
    lines: Vec<Vec<Cell>>,
    widths: Vec<usize>,
    maxwidths: Vec<usize>,

    out: String,
}

impl TabWriter {
    /// Same parameters as Go's `tabwriter.NewWriter(out, minwidth, tabwidth, padding, padchar, flags)`.
    pub fn new(minwidth: usize, tabwidth: usize, padding: usize, padchar: char, flags: u32) -> Self {
        let mut flags = flags;
        if padchar == '\t' {
            // tab padding enforces left-alignment
            flags &= !ALIGN_RIGHT;
        }
        let mut w = TabWriter {
            minwidth,
            tabwidth,
            padding,
            padchar,
            flags,
            buf: String::new(),
            pos: 0,
            cell: Cell::default(),
            end_char: None,
            lines: Vec::new(),
            widths: Vec::new(),
            maxwidths: Vec::new(),
            out: String::new(),
        };
        w.reset();
        w
    }

    /// The writer kubectl uses for `get` tables (`printers.GetNewTabWriter`):
    /// `(6, 4, 3, ' ', RememberWidths)`.
    pub fn kubectl() -> Self {
        Self::new(KUBECTL_MIN_WIDTH, KUBECTL_TAB_WIDTH, KUBECTL_PADDING, ' ', REMEMBER_WIDTHS)
    }

    /// The writer of kubectl's `tabbedString` helpers (describe, rollout history):
    /// `(0, 8, 2, ' ', 0)`.
    pub fn describe() -> Self {
        Self::new(0, 8, 2, ' ', 0)
    }

    fn reset(&mut self) {
        self.buf.clear();
        self.pos = 0;
        self.cell = Cell::default();
        self.end_char = None;
        self.lines.clear();
        self.widths.clear();
        self.lines.push(Vec::new());
    }

    /// Remembered per-column maximum widths (only meaningful with `REMEMBER_WIDTHS`).
    pub fn remembered_widths(&self) -> Vec<usize> {
        self.maxwidths.clone()
    }

    /// Replace the remembered widths (kubectl resets them with `SetRememberedWidths(nil)`
    /// when it starts printing a new resource kind).
    pub fn set_remembered_widths(&mut self, widths: &[usize]) {
        self.maxwidths = widths.to_vec();
    }

    fn write_padding(&mut self, textw: usize, cellw: usize, use_tabs: bool) {
        if self.padchar == '\t' || use_tabs {
            if self.tabwidth == 0 {
                return;
            }
            let cellw = cellw.div_ceil(self.tabwidth) * self.tabwidth;
            let n = cellw.saturating_sub(textw);
            let count = n.div_ceil(self.tabwidth);
            for _ in 0..count {
                self.out.push('\t');
            }
            return;
        }
        let n = cellw.saturating_sub(textw);
        for _ in 0..n {
            self.out.push(self.padchar);
        }
    }

    fn buf_slice(&self, from: usize, len: usize) -> &str {
        let end = from.saturating_add(len).min(self.buf.len());
        self.buf.get(from.min(end)..end).unwrap_or("")
    }

    fn write_lines(&mut self, pos0: usize, line0: usize, line1: usize) -> usize {
        let mut pos = pos0;
        for i in line0..line1 {
            let line = match self.lines.get(i) {
                Some(l) => l.clone(),
                None => break,
            };
            let mut use_tabs = self.flags & TAB_INDENT != 0;
            for (j, c) in line.iter().enumerate() {
                if j > 0 && self.flags & DEBUG != 0 {
                    self.out.push('|');
                }
                let colw = self.widths.get(j).copied();
                if c.size == 0 {
                    if let Some(w) = colw {
                        self.write_padding(c.width, w, use_tabs);
                    }
                } else {
                    use_tabs = false;
                    let text = self.buf_slice(pos, c.size).to_string();
                    if self.flags & ALIGN_RIGHT == 0 {
                        self.out.push_str(&text);
                        pos += c.size;
                        if let Some(w) = colw {
                            self.write_padding(c.width, w, false);
                        }
                    } else {
                        if let Some(w) = colw {
                            self.write_padding(c.width, w, false);
                        }
                        self.out.push_str(&text);
                        pos += c.size;
                    }
                }
            }
            if i + 1 == self.lines.len() {
                // last buffered line: no newline, write any outstanding buffered data
                let text = self.buf_slice(pos, self.cell.size).to_string();
                self.out.push_str(&text);
                pos += self.cell.size;
            } else {
                self.out.push('\n');
            }
        }
        pos
    }

    /// Go's `format(pos0, line0, line1)`, which recurses once per column; this version keeps
    /// the recursion frames on an explicit stack so very wide lines cannot overflow.
    fn format(&mut self, pos0: usize, line0: usize, line1: usize) -> usize {
        struct Frame {
            line0: usize,
            line1: usize,
            this: usize,
            column: usize,
        }
        let mut pos = pos0;
        let mut stack = vec![Frame { line0, line1, this: line0, column: self.widths.len() }];
        while let Some(top) = stack.len().checked_sub(1) {
            let (column, f_line1) = (stack[top].column, stack[top].line1);
            // skip lines without a cell in this column
            while stack[top].this < f_line1 {
                let len = self.lines.get(stack[top].this).map(|l| l.len()).unwrap_or(0);
                if column + 1 >= len {
                    stack[top].this += 1;
                } else {
                    break;
                }
            }
            if stack[top].this >= f_line1 {
                // print unprinted lines until end; "return" to the parent frame
                let l0 = stack[top].line0;
                pos = self.write_lines(pos, l0, f_line1);
                stack.pop();
                if let Some(parent) = stack.last_mut() {
                    self.widths.pop();
                    parent.line0 = parent.this;
                }
                continue;
            }
            // print unprinted lines until beginning of block
            let (l0, this0) = (stack[top].line0, stack[top].this);
            pos = self.write_lines(pos, l0, this0);
            stack[top].line0 = this0;

            // column block begin
            let mut width = self.minwidth;
            let mut discardable = true;
            let mut this = this0;
            while this < f_line1 {
                let line = match self.lines.get(this) {
                    Some(l) => l,
                    None => break,
                };
                if column + 1 >= line.len() {
                    break;
                }
                let c = line[column];
                let w = c.width + self.padding;
                if w > width {
                    width = w;
                }
                if c.width > 0 || c.htab {
                    discardable = false;
                }
                this += 1;
            }
            stack[top].this = this;
            // column block end

            if discardable && self.flags & DISCARD_EMPTY_COLUMNS != 0 {
                width = 0;
            }

            if self.flags & REMEMBER_WIDTHS != 0 {
                if self.maxwidths.len() < self.widths.len() {
                    let from = self.maxwidths.len();
                    let extra: Vec<usize> = self.widths[from..].to_vec();
                    self.maxwidths.extend(extra);
                }
                let idx = self.widths.len();
                if self.maxwidths.len() == idx {
                    self.maxwidths.push(width);
                } else if self.maxwidths[idx] > width {
                    width = self.maxwidths[idx];
                } else if self.maxwidths[idx] < width {
                    self.maxwidths[idx] = width;
                }
            }

            // format and print all columns to the right of this column
            self.widths.push(width);
            stack.push(Frame { line0: this0, line1: this, this: this0, column: self.widths.len() });
        }
        pos
    }

    fn append(&mut self, text: &str) {
        self.buf.push_str(text);
        self.cell.size += text.len();
    }

    fn update_width(&mut self) {
        let start = self.pos.min(self.buf.len());
        self.cell.width += self.buf.get(start..).map(|s| s.chars().count()).unwrap_or(0);
        self.pos = self.buf.len();
    }

    fn end_escape(&mut self) {
        match self.end_char {
            Some('>') => {} // tag of zero width
            Some(';') => self.cell.width += 1,
            _ => self.update_width(),
        }
        self.pos = self.buf.len();
        self.end_char = None;
    }

    fn terminate_cell(&mut self, htab: bool) -> usize {
        self.cell.htab = htab;
        let cell = self.cell;
        if self.lines.is_empty() {
            self.lines.push(Vec::new());
        }
        let n = self.lines.len();
        let line = &mut self.lines[n - 1];
        line.push(cell);
        self.cell = Cell::default();
        line.len()
    }

    /// Write text. Output becomes available (via [`TabWriter::take_output`]) as lines are
    /// flushed implicitly or by [`TabWriter::flush`].
    pub fn write_str(&mut self, text: &str) {
        let mut n = 0usize;
        for (i, ch) in text.char_indices() {
            if self.end_char.is_none() {
                match ch {
                    '\t' | '\u{b}' | '\n' | '\u{c}' => {
                        self.append(&text[n..i]);
                        self.update_width();
                        n = i + ch.len_utf8();
                        let ncells = self.terminate_cell(ch == '\t');
                        if ch == '\n' || ch == '\u{c}' {
                            self.lines.push(Vec::new());
                            if ch == '\u{c}' || ncells == 1 {
                                self.flush();
                                if ch == '\u{c}' && self.flags & DEBUG != 0 {
                                    self.out.push_str("---\n");
                                }
                            }
                        }
                    }
                    '<' | '&' if self.flags & FILTER_HTML != 0 => {
                        self.append(&text[n..i]);
                        self.update_width();
                        n = i;
                        self.end_char = Some(if ch == '<' { '>' } else { ';' });
                    }
                    _ => {}
                }
            } else if Some(ch) == self.end_char {
                let j = i + ch.len_utf8();
                self.append(&text[n..j]);
                n = j;
                self.end_escape();
            }
        }
        self.append(&text[n..]);
    }

    /// Format everything buffered so far (Go `Flush`).
    pub fn flush(&mut self) {
        if self.cell.size > 0 {
            if self.end_char.is_some() {
                self.end_escape();
            }
            self.terminate_cell(false);
        }
        let nlines = self.lines.len();
        self.format(0, 0, nlines);
        self.reset();
    }

    /// Take the output produced so far.
    pub fn take_output(&mut self) -> String {
        std::mem::take(&mut self.out)
    }

    /// Write `text`, flush, and return all output produced.
    pub fn format_all(&mut self, text: &str) -> String {
        self.write_str(text);
        self.flush();
        self.take_output()
    }
}

/// Format a whole kubectl table (cells separated by `\t`, rows ended by `\n`) in one go,
/// with kubectl's parameters (minwidth 6, tabwidth 4, padding 3).
pub fn kubectl_table(text: &str) -> String {
    TabWriter::kubectl().format_all(text)
}

/// Build a kubectl table from rows of cells (each row joined with `\t`, ended by `\n`).
pub fn kubectl_rows<S: AsRef<str>>(rows: &[Vec<S>]) -> String {
    let mut text = String::new();
    for row in rows {
        for (i, c) in row.iter().enumerate() {
            if i > 0 {
                text.push('\t');
            }
            text.push_str(c.as_ref());
        }
        text.push('\n');
    }
    kubectl_table(&text)
}

/// Format text with kubectl's describe/rollout-history writer `(0, 8, 2, ' ', 0)`.
pub fn describe_table(text: &str) -> String {
    TabWriter::describe().format_all(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fmt(minwidth: usize, tabwidth: usize, padding: usize, padchar: char, flags: u32, src: &str) -> String {
        TabWriter::new(minwidth, tabwidth, padding, padchar, flags).format_all(src)
    }

    // Test cases transcribed from liggitt/tabwriter tabwriter_test.go (= Go text/tabwriter
    // tests; the escape (0xff) and grapheme-width cases are omitted: 0xff cannot occur in
    // a &str and kubectl does not enable grapheme widths).
    #[test]
    fn go_tabwriter_tests() {
        type Case = (&'static str, usize, usize, usize, char, u32, &'static str, &'static str);
        let tests: &[Case] = &[
            ("1a", 8, 0, 1, '.', 0, "", ""),
            ("1a debug", 8, 0, 1, '.', DEBUG, "", ""),
            ("2", 8, 0, 1, '.', 0, "\n\n\n", "\n\n\n"),
            ("3", 8, 0, 1, '.', 0, "a\nb\nc", "a\nb\nc"),
            ("4a", 8, 0, 1, '.', 0, "\t", ""),
            ("4b", 8, 0, 1, '.', ALIGN_RIGHT, "\t", ""),
            ("5", 8, 0, 1, '.', 0, "*\t*", "*.......*"),
            ("5b", 8, 0, 1, '.', 0, "*\t*\n", "*.......*\n"),
            ("5c", 8, 0, 1, '.', 0, "*\t*\t", "*.......*"),
            ("5c debug", 8, 0, 1, '.', DEBUG, "*\t*\t", "*.......|*"),
            ("5d", 8, 0, 1, '.', ALIGN_RIGHT, "*\t*\t", ".......**"),
            ("6", 8, 0, 1, '.', 0, "\t\n", "........\n"),
            ("7a", 8, 0, 1, '.', 0, "a) foo", "a) foo"),
            ("7b", 8, 0, 1, ' ', 0, "b) foo\tbar", "b) foo  bar"),
            ("7c", 8, 0, 1, '.', 0, "c) foo\tbar\t", "c) foo..bar"),
            ("7d", 8, 0, 1, '.', 0, "d) foo\tbar\n", "d) foo..bar\n"),
            ("7e", 8, 0, 1, '.', 0, "e) foo\tbar\t\n", "e) foo..bar.....\n"),
            (
                "7f", 8, 0, 1, '.', FILTER_HTML,
                "f) f&lt;o\t<b>bar</b>\t\n",
                "f) f&lt;o..<b>bar</b>.....\n",
            ),
            (
                "7g", 8, 0, 1, '.', FILTER_HTML,
                "g) f&lt;o\t<b>bar</b>\t non-terminated entity &amp",
                "g) f&lt;o..<b>bar</b>..... non-terminated entity &amp",
            ),
            (
                "7g debug", 8, 0, 1, '.', FILTER_HTML | DEBUG,
                "g) f&lt;o\t<b>bar</b>\t non-terminated entity &amp",
                "g) f&lt;o..|<b>bar</b>.....| non-terminated entity &amp",
            ),
            ("8", 8, 0, 1, '*', 0, "Hello, world!\n", "Hello, world!\n"),
            (
                "9a", 1, 0, 0, '.', 0,
                "1\t2\t3\t4\n11\t222\t3333\t44444\n",
                "1.2..3...4\n11222333344444\n",
            ),
            (
                "9b", 1, 0, 0, '.', FILTER_HTML,
                "1\t2<!---\u{c}--->\t3\t4\n11\t222\t3333\t44444\n",
                "1.2<!---\u{c}--->..3...4\n11222333344444\n",
            ),
            (
                "9c", 1, 0, 0, '.', 0,
                "1\t2\t3\t4\u{c}11\t222\t3333\t44444\n",
                "1234\n11222333344444\n",
            ),
            (
                "9c debug", 1, 0, 0, '.', DEBUG,
                "1\t2\t3\t4\u{c}11\t222\t3333\t44444\n",
                "1|2|3|4\n---\n11|222|3333|44444\n",
            ),
            ("10a", 5, 0, 0, '.', 0, "1\t2\t3\t4\n", "1....2....3....4\n"),
            ("10b", 5, 0, 0, '.', 0, "1\t2\t3\t4\t\n", "1....2....3....4....\n"),
            (
                "11", 8, 0, 1, '.', 0,
                "本\tb\tc\naa\t\u{672c}\u{672c}\u{672c}\tcccc\tddddd\naaa\tbbbb\n",
                "本.......b.......c\naa......本本本.....cccc....ddddd\naaa.....bbbb\n",
            ),
            (
                "12a", 8, 0, 1, ' ', ALIGN_RIGHT,
                "a\tè\tc\t\naa\tèèè\tcccc\tddddd\t\naaa\tèèèè\t\n",
                "       a       è       c\n      aa     èèè    cccc   ddddd\n     aaa    èèèè\n",
            ),
            (
                "12b", 2, 0, 0, ' ', 0,
                "a\tb\tc\naa\tbbb\tcccc\naaa\tbbbb\n",
                "a  b  c\naa bbbcccc\naaabbbb\n",
            ),
            (
                "12c", 8, 0, 1, '_', 0,
                "a\tb\tc\naa\tbbb\tcccc\naaa\tbbbb\n",
                "a_______b_______c\naa______bbb_____cccc\naaa_____bbbb\n",
            ),
            (
                "13a", 4, 0, 1, '-', 0,
                "4444\t日本語\t22\t1\t333\n999999999\t22\n7\t22\n\t\t\t88888888\n\n666666\t666666\t666666\t4444\n1\t1\t999999999\t0000000000\n",
                "4444------日本語-22--1---333\n999999999-22\n7---------22\n------------------88888888\n\n666666-666666-666666----4444\n1------1------999999999-0000000000\n",
            ),
            (
                "13b", 4, 0, 3, '.', 0,
                "4444\t333\t22\t1\t333\n999999999\t22\n7\t22\n\t\t\t88888888\n\n666666\t666666\t666666\t4444\n1\t1\t999999999\t0000000000\n",
                "4444........333...22...1...333\n999999999...22\n7...........22\n....................88888888\n\n666666...666666...666666......4444\n1........1........999999999...0000000000\n",
            ),
            (
                "13c", 8, 8, 1, '\t', FILTER_HTML,
                "4444\t333\t22\t1\t333\n999999999\t22\n7\t22\n\t\t\t88888888\n\n666666\t666666\t666666\t4444\n1\t1\t<font color=red attr=日本語>999999999</font>\t0000000000\n",
                "4444\t\t333\t22\t1\t333\n999999999\t22\n7\t\t22\n\t\t\t\t88888888\n\n666666\t666666\t666666\t\t4444\n1\t1\t<font color=red attr=日本語>999999999</font>\t0000000000\n",
            ),
            (
                "14", 1, 0, 2, ' ', ALIGN_RIGHT,
                ".0\t.3\t2.4\t-5.1\t\n23.0\t12345678.9\t2.4\t-989.4\t\n5.1\t12.0\t2.4\t-7.0\t\n.0\t0.0\t332.0\t8908.0\t\n.0\t-.3\t456.4\t22.1\t\n.0\t1.2\t44.4\t-13.3\t\t",
                "    .0          .3    2.4    -5.1\n  23.0  12345678.9    2.4  -989.4\n   5.1        12.0    2.4    -7.0\n    .0         0.0  332.0  8908.0\n    .0         -.3  456.4    22.1\n    .0         1.2   44.4   -13.3",
            ),
            (
                "14 debug", 1, 0, 2, ' ', ALIGN_RIGHT | DEBUG,
                ".0\t.3\t2.4\t-5.1\t\n23.0\t12345678.9\t2.4\t-989.4\t\n5.1\t12.0\t2.4\t-7.0\t\n.0\t0.0\t332.0\t8908.0\t\n.0\t-.3\t456.4\t22.1\t\n.0\t1.2\t44.4\t-13.3\t\t",
                "    .0|          .3|    2.4|    -5.1|\n  23.0|  12345678.9|    2.4|  -989.4|\n   5.1|        12.0|    2.4|    -7.0|\n    .0|         0.0|  332.0|  8908.0|\n    .0|         -.3|  456.4|    22.1|\n    .0|         1.2|   44.4|   -13.3|",
            ),
            ("15a", 4, 0, 0, '.', 0, "a\t\tb", "a.......b"),
            ("15b", 4, 0, 0, '.', DISCARD_EMPTY_COLUMNS, "a\t\tb", "a.......b"),
            ("15c", 4, 0, 0, '.', DISCARD_EMPTY_COLUMNS, "a\u{b}\u{b}b", "a...b"),
            ("15d", 4, 0, 0, '.', ALIGN_RIGHT | DISCARD_EMPTY_COLUMNS, "a\u{b}\u{b}b", "...ab"),
            (
                "16a", 100, 100, 0, '\t', 0,
                "a\tb\t\td\na\tb\t\td\te\na\na\tb\tc\td\na\tb\tc\td\te\n",
                "a\tb\t\td\na\tb\t\td\te\na\na\tb\tc\td\na\tb\tc\td\te\n",
            ),
            (
                "16b", 100, 100, 0, '\t', DISCARD_EMPTY_COLUMNS,
                "a\u{b}b\u{b}\u{b}d\na\u{b}b\u{b}\u{b}d\u{b}e\na\na\u{b}b\u{b}c\u{b}d\na\u{b}b\u{b}c\u{b}d\u{b}e\n",
                "a\tb\td\na\tb\td\te\na\na\tb\tc\td\na\tb\tc\td\te\n",
            ),
            (
                "16b debug", 100, 100, 0, '\t', DISCARD_EMPTY_COLUMNS | DEBUG,
                "a\u{b}b\u{b}\u{b}d\na\u{b}b\u{b}\u{b}d\u{b}e\na\na\u{b}b\u{b}c\u{b}d\na\u{b}b\u{b}c\u{b}d\u{b}e\n",
                "a\t|b\t||d\na\t|b\t||d\t|e\na\na\t|b\t|c\t|d\na\t|b\t|c\t|d\t|e\n",
            ),
            (
                "16c", 100, 100, 0, '\t', DISCARD_EMPTY_COLUMNS,
                "a\tb\t\td\na\tb\t\td\te\na\na\tb\tc\td\na\tb\tc\td\te\n",
                "a\tb\t\td\na\tb\t\td\te\na\na\tb\tc\td\na\tb\tc\td\te\n",
            ),
            (
                "16c debug", 100, 100, 0, '\t', DISCARD_EMPTY_COLUMNS | DEBUG,
                "a\tb\t\td\na\tb\t\td\te\na\na\tb\tc\td\na\tb\tc\td\te\n",
                "a\t|b\t|\t|d\na\t|b\t|\t|d\t|e\na\na\t|b\t|c\t|d\na\t|b\t|c\t|d\t|e\n",
            ),
        ];
        for (name, minwidth, tabwidth, padding, padchar, flags, src, expected) in tests {
            // all at once
            assert_eq!(
                fmt(*minwidth, *tabwidth, *padding, *padchar, *flags, src),
                *expected,
                "case {} (all at once)",
                name
            );
            // char by char, reusing the writer like the Go test does
            let mut w = TabWriter::new(*minwidth, *tabwidth, *padding, *padchar, *flags);
            for ch in src.chars() {
                w.write_str(ch.encode_utf8(&mut [0u8; 4]));
            }
            w.flush();
            assert_eq!(w.take_output(), *expected, "case {} (char by char)", name);
        }
    }

    // liggitt/tabwriter TestMultiWrite.
    #[test]
    fn go_multi_write() {
        let mut w = TabWriter::new(6, 4, 3, ' ', REMEMBER_WIDTHS);
        w.write_str("First\tMiddle\tLast\n");
        w.write_str("a\tbb\tccc\n");
        w.write_str("ddd\teeeeeeeeeeeeee\tf\n");
        w.flush();
        let mut out = w.take_output();
        assert_eq!(out, "First   Middle           Last\na       bb               ccc\nddd     eeeeeeeeeeeeee   f\n");
        for s in ["g\th\ti\n", "j\t\t\n", "\tk\t\n", "\t\tl\n", "mmmmmmmmmmmmmmm\tnnn\tooo\n"] {
            w.write_str(s);
            w.flush();
            out.push_str(&w.take_output());
        }
        assert_eq!(
            out,
            "First   Middle           Last\n\
             a       bb               ccc\n\
             ddd     eeeeeeeeeeeeee   f\n\
             g       h                i\n\
             j                        \n\
             \x20       k                \n\
             \x20                        l\n\
             mmmmmmmmmmmmmmm   nnn              ooo\n"
        );
        let mut w2 = TabWriter::new(6, 4, 3, ' ', REMEMBER_WIDTHS);
        w2.set_remembered_widths(&w.remembered_widths());
        assert_eq!(w2.format_all("p\tq\tr\n"), "p                 q                r\n");
        assert_eq!(w2.remembered_widths(), vec![18, 17]);
        w2.set_remembered_widths(&[]);
        assert_eq!(w2.format_all("sssss\tt\tu\n"), "sssss   t     u\n");
        assert_eq!(w2.remembered_widths(), vec![8, 6]);
        w2.set_remembered_widths(&[10, 5, 5]);
        assert_eq!(w2.format_all("v\tw\tx\n"), "v         w     x\n");
    }

    // Piecewise writes must give the same result as one write (Go's write(..) test helper
    // writes in chunks of varying size).
    #[test]
    fn chunked_writes_equal_single_write() {
        let src = "a\tb\tc\naa\tbbb\tcccc\naaa\tbbbb\n\n日本\t語\tx\n";
        let whole = fmt(8, 0, 1, '.', 0, src);
        for chunk in 1..6 {
            let mut w = TabWriter::new(8, 0, 1, '.', 0);
            let chars: Vec<char> = src.chars().collect();
            for part in chars.chunks(chunk) {
                let s: String = part.iter().collect();
                w.write_str(&s);
            }
            w.flush();
            assert_eq!(w.take_output(), whole, "chunk {}", chunk);
        }
    }

    // kubectl tables (shapes from reference §4.1, §4.5, §4.10).
    #[test]
    fn kubectl_tables() {
        let cases: &[(&str, &str)] = &[
            ("NAME\tREADY\tAGE\nweb\t3/3\t2m10s\n", "NAME   READY   AGE\nweb    3/3     2m10s\n"),
            (
                "NAME\tTYPE\tCLUSTER-IP\tEXTERNAL-IP\tPORT(S)\tAGE\nnginx\tClusterIP\tNone\t<none>\t80/TCP\t10s\n",
                "NAME    TYPE        CLUSTER-IP   EXTERNAL-IP   PORT(S)   AGE\nnginx   ClusterIP   None         <none>        80/TCP    10s\n",
            ),
            (
                "NAME\tENDPOINTS\tAGE\nnginx\t10.244.1.5:80,10.244.2.6:80\t1m\n",
                "NAME    ENDPOINTS                     AGE\nnginx   10.244.1.5:80,10.244.2.6:80   1m\n",
            ),
            (
                "NAME\tCONTROLLER\tREVISION\tAGE\nweb-6d96f685f9\tstatefulset.apps/web\t1\t5m\n",
                "NAME             CONTROLLER             REVISION   AGE\nweb-6d96f685f9   statefulset.apps/web   1          5m\n",
            ),
            // empty cells are padded too; the last cell is never padded
            ("A\tB\tC\n\t\tx\n", "A     B     C\n            x\n"),
            // trailing empty cell: the cell before it is padded (trailing spaces)
            ("A\tB\t\n", "A     B     \n"),
        ];
        for (src, want) in cases {
            assert_eq!(kubectl_table(src), *want, "src={:?}", src);
        }
        assert_eq!(
            kubectl_rows(&[vec!["NAME", "READY", "AGE"], vec!["web", "3/3", "2m10s"]]),
            "NAME   READY   AGE\nweb    3/3     2m10s\n"
        );
    }

    // `kubectl get pods -w`: each row is flushed on its own; widths never shrink.
    #[test]
    fn remember_widths_across_flushes() {
        let mut w = TabWriter::kubectl();
        let mut out = String::new();
        for row in [
            "NAME\tREADY\tSTATUS\tRESTARTS\tAGE\n",
            "web-0\t0/1\tPending\t0\t0s\n",
            "web-0\t0/1\tContainerCreating\t0\t0s\n",
            "web-0\t1/1\tRunning\t0\t2s\n",
        ] {
            w.write_str(row);
            w.flush();
            out.push_str(&w.take_output());
        }
        assert_eq!(
            out,
            "NAME   READY   STATUS   RESTARTS   AGE\n\
             web-0   0/1     Pending   0          0s\n\
             web-0   0/1     ContainerCreating   0          0s\n\
             web-0   1/1     Running             0          2s\n"
        );
        assert_eq!(w.remembered_widths(), vec![8, 8, 20, 11]);
        w.set_remembered_widths(&[]);
        assert_eq!(w.format_all("A\tB\nx\ty\n"), "A     B\nx     y\n");
    }

    // Without RememberWidths a single-cell line (e.g. blank line) restarts column blocks.
    #[test]
    fn single_cell_line_flushes_blocks() {
        let src = "NAME\tAGE\nweb-0\t1m\n\nNAME\tAGE\nlongername\t1m\n";
        assert_eq!(fmt(6, 4, 3, ' ', 0, src), "NAME    AGE\nweb-0   1m\n\nNAME         AGE\nlongername   1m\n");
        // with RememberWidths the first table's widths carry over (kubectl resets them
        // explicitly between resource kinds)
        assert_eq!(
            fmt(6, 4, 3, ' ', REMEMBER_WIDTHS, "NAME\tAGE\nlongername\t1m\n\nNAME\tAGE\nx\t1m\n"),
            "NAME         AGE\nlongername   1m\n\nNAME         AGE\nx            1m\n"
        );
    }

    #[test]
    fn very_wide_lines_do_not_overflow() {
        let line = "a\t".repeat(200_000) + "\n";
        let out = TabWriter::new(0, 0, 1, ' ', 0).format_all(&(line.clone() + &line));
        assert_eq!(out.len(), 2 * (200_000 * 2 + 1));
    }

    // rollout history / describe writer: padding 2, minwidth 0.
    #[test]
    fn describe_writer() {
        assert_eq!(
            describe_table("REVISION\tCHANGE-CAUSE\n1\t<none>\n2\t<none>\n"),
            "REVISION  CHANGE-CAUSE\n1         <none>\n2         <none>\n"
        );
        assert_eq!(describe_table("Name:\tweb\nNamespace:\tdefault\n"), "Name:       web\nNamespace:  default\n");
    }
}
