//! What a command printed: stdout and stderr chunks in the order they were written, and an exit code.

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stream {
    Stdout,
    Stderr,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Output {
    pub chunks: Vec<(Stream, String)>,
    pub exit: i32,
}

impl Output {
    pub fn out(&mut self, s: impl Into<String>) {
        let s = s.into();
        if !s.is_empty() {
            self.chunks.push((Stream::Stdout, s));
        }
    }
    /// A stdout line (newline added).
    pub fn outln(&mut self, s: impl AsRef<str>) {
        self.out(format!("{}\n", s.as_ref()));
    }
    pub fn err(&mut self, s: impl Into<String>) {
        let s = s.into();
        if !s.is_empty() {
            self.chunks.push((Stream::Stderr, s));
        }
    }
    pub fn errln(&mut self, s: impl AsRef<str>) {
        self.err(format!("{}\n", s.as_ref()));
    }
    /// An error the way kubectl's CheckErr ends a command: message on stderr, exit code 1.
    pub fn fail(&mut self, msg: impl AsRef<str>) {
        self.errln(msg);
        self.exit = 1;
    }
    /// A playground hint: never instead of kubectl's text, always after it and clearly marked.
    pub fn hint(&mut self, msg: impl AsRef<str>) {
        self.errln(format!("hint (stsplay): {}", msg.as_ref()));
    }
    pub fn stdout(&self) -> String {
        self.chunks.iter().filter(|(s, _)| *s == Stream::Stdout).map(|(_, t)| t.as_str()).collect()
    }
    pub fn stderr(&self) -> String {
        self.chunks.iter().filter(|(s, _)| *s == Stream::Stderr).map(|(_, t)| t.as_str()).collect()
    }
    /// Everything, interleaved as written (what a terminal shows).
    pub fn text(&self) -> String {
        self.chunks.iter().map(|(_, t)| t.as_str()).collect()
    }
    pub fn append(&mut self, other: Output) {
        self.chunks.extend(other.chunks);
        self.exit = other.exit;
    }
}
