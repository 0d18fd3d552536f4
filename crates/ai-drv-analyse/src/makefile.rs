//! A forgiving reader of Makefiles and `Makefile.am`s: variable assignments (with `+=`), rules with
//! their prerequisites and recipe lines, and `$(VAR)` expansion. Conditionals are ignored (every
//! branch counts), functions such as `$(shell …)` are left unexpanded, so callers can recognise
//! and drop words that still contain `$`.

use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

use regex::Regex;

use crate::scan::join_continuations;

#[derive(Debug, Clone, Default)]
pub struct Rule {
    pub targets: Vec<String>,
    pub prereqs: Vec<String>,
    pub recipe: Vec<String>,
}

#[derive(Debug, Clone, Default)]
pub struct Makefile {
    /// Raw (unexpanded) values; `+=` appends with a blank.
    pub vars: HashMap<String, String>,
    /// Variable names in the order first assigned.
    pub var_order: Vec<String>,
    pub rules: Vec<Rule>,
    /// All logical lines (continuations joined, comments removed).
    pub lines: Vec<String>,
}

static ASSIGN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^\s*(?:override\s+|export\s+)*([A-Za-z_][A-Za-z0-9_.-]*)\s*(::=|:=|\?=|\+=|!=|=)(.*)$",
    )
    .unwrap_or_else(|e| unreachable!("static regex: {e}"))
});

static RULE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^([^:=#\t][^:=#]*?)\s*::?(?:[^=]|$)(.*)$")
        .unwrap_or_else(|e| unreachable!("static regex: {e}"))
});

const DIRECTIVES: &[&str] = &[
    "ifeq", "ifneq", "ifdef", "ifndef", "else", "endif", "include", "-include", "sinclude", "if",
    "define", "endef", "export", "unexport", "vpath", ".PHONY",
];

impl Makefile {
    pub fn parse(text: &str) -> Makefile {
        let joined = join_continuations(text);
        let mut mk = Makefile::default();
        let mut current: Option<usize> = None;
        // Inside an automake conditional (`if COND`), a second `VAR = …` is another branch:
        // keep both values (`bin_PROGRAMS` of either). make's own `ifeq` branches are platform
        // overrides (`EXE = .exe`) and replace as usual.
        let mut depth = 0usize;
        for raw in joined.lines() {
            if let Some(recipe) = raw.strip_prefix('\t') {
                if let Some(i) = current {
                    mk.rules[i].recipe.push(recipe.trim().to_string());
                }
                mk.lines.push(recipe.trim().to_string());
                continue;
            }
            let line = strip_comment(raw);
            if line.trim().is_empty() {
                continue;
            }
            mk.lines.push(line.to_string());
            let first = line.split_whitespace().next().unwrap_or_default();
            match first {
                "if" => depth += 1,
                "endif" => depth = depth.saturating_sub(1),
                _ => {}
            }
            if let Some(c) = ASSIGN.captures(line) {
                let name = c[1].to_string();
                let value = c[3].trim().to_string();
                let append = &c[2] == "+=" || (depth > 0 && mk.vars.contains_key(&name));
                if append {
                    let entry = mk.vars.entry(name.clone()).or_default();
                    if !entry.is_empty() {
                        entry.push(' ');
                    }
                    entry.push_str(&value);
                } else {
                    mk.vars.insert(name.clone(), value);
                }
                if !mk.var_order.contains(&name) {
                    mk.var_order.push(name);
                }
                current = None;
                continue;
            }
            if DIRECTIVES.contains(&first) && !line.trim_start().starts_with(".PHONY") {
                continue;
            }
            if let Some(c) = RULE.captures(line) {
                // The regex consumed one character after the colon; take the rest from there.
                let colon = c.get(1).map_or(0, |m| m.end());
                let after = line[colon..].trim_start();
                let after = after.trim_start_matches(':');
                let (prereqs, inline_recipe) = match after.split_once(';') {
                    Some((p, r)) => (p, Some(r.trim().to_string())),
                    None => (after, None),
                };
                let prereqs = prereqs.split('|').collect::<Vec<_>>().join(" ");
                let rule = Rule {
                    targets: c[1].split_whitespace().map(str::to_string).collect(),
                    prereqs: prereqs.split_whitespace().map(str::to_string).collect(),
                    recipe: inline_recipe.into_iter().collect(),
                };
                mk.rules.push(rule);
                current = Some(mk.rules.len() - 1);
            }
        }
        mk
    }

    /// `$(VAR)`/`${VAR}` replaced by their values, recursively (a few levels); unknown
    /// variables and functions are kept as written.
    pub fn expand(&self, text: &str) -> String {
        let mut out = text.to_string();
        for _ in 0..6 {
            let next = self.expand_once(&out);
            if next == out {
                break;
            }
            out = next;
        }
        out
    }

    fn expand_once(&self, text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        let bytes = text.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            if bytes[i] == b'$'
                && i + 1 < bytes.len()
                && (bytes[i + 1] == b'(' || bytes[i + 1] == b'{')
            {
                let close = if bytes[i + 1] == b'(' { ')' } else { '}' };
                if let Some(end) = text[i + 2..].find(close) {
                    let name = &text[i + 2..i + 2 + end];
                    if !name.contains(['(', '{', ' ', '$', ':']) {
                        if let Some(value) = self.vars.get(name) {
                            out.push_str(value);
                            i += 2 + end + 1;
                            continue;
                        }
                    }
                }
            }
            // `$x`: a one-letter variable.
            if bytes[i] == b'$' && i + 1 < bytes.len() && bytes[i + 1].is_ascii_alphanumeric() {
                let name = &text[i + 1..i + 2];
                if let Some(value) = self.vars.get(name) {
                    out.push_str(value);
                    i += 2;
                    continue;
                }
            }
            let ch = text[i..].chars().next().unwrap_or(' ');
            out.push(ch);
            i += ch.len_utf8();
        }
        out
    }

    /// A variable's expanded value.
    pub fn var(&self, name: &str) -> Option<String> {
        self.vars.get(name).map(|v| self.expand(v))
    }

    /// Targets declared `.PHONY`.
    pub fn phony(&self) -> HashSet<String> {
        self.rules
            .iter()
            .filter(|r| r.targets.iter().any(|t| t == ".PHONY"))
            .flat_map(|r| r.prereqs.iter().map(|p| self.expand(p)))
            .flat_map(|p| p.split_whitespace().map(str::to_string).collect::<Vec<_>>())
            .collect()
    }

    /// The first rule that builds `target` (after expansion of the rule's targets).
    pub fn rule(&self, target: &str) -> Option<&Rule> {
        self.rules_for(target).into_iter().next()
    }

    /// Every rule that names `target` (make merges them: prerequisites add up, one has the
    /// recipe).
    pub fn rules_for(&self, target: &str) -> Vec<&Rule> {
        self.rules
            .iter()
            .filter(|r| {
                r.targets.iter().any(|t| {
                    t == target || (t.contains('$') && self.words(t).iter().any(|x| x == target))
                })
            })
            .collect()
    }

    /// Expanded words, with unexpanded `$(…)` (functions, unknown variables) and configure's
    /// `@SUBST@` placeholders dropped.
    pub fn words(&self, text: &str) -> Vec<String> {
        strip_placeholders(&strip_unexpanded(&self.expand(text)))
            .split_whitespace()
            .map(str::to_string)
            .collect()
    }

    /// The explicit rules reachable from the given targets through prerequisites.
    pub fn reachable(&self, roots: &[&str]) -> Vec<&Rule> {
        let mut seen: HashSet<String> = HashSet::new();
        let mut queue: Vec<String> = roots.iter().map(|r| r.to_string()).collect();
        let mut out: Vec<&Rule> = Vec::new();
        while let Some(target) = queue.pop() {
            if !seen.insert(target.clone()) {
                continue;
            }
            let rules = self.rules_for(&target);
            if rules.is_empty() {
                // make's built-in rule compiles `x.o` from `x.c`, which may itself be generated
                // (`grammar.c: grammar.y`).
                if let Some(stem) = target.strip_suffix(".o") {
                    queue.extend(
                        [".c", ".cc", ".cpp"]
                            .iter()
                            .map(|ext| format!("{stem}{ext}")),
                    );
                }
            }
            for rule in rules {
                if !out.iter().any(|r| std::ptr::eq(*r, rule)) {
                    out.push(rule);
                }
                for p in &rule.prereqs {
                    queue.extend(self.words(p));
                }
            }
        }
        out
    }

    /// Pattern (`%.o: %.c`) and suffix (`.c.o:`) rules, each with the file suffix it makes.
    pub fn pattern_rules(&self) -> Vec<(&Rule, String)> {
        let mut out = Vec::new();
        for rule in &self.rules {
            for t in &rule.targets {
                let suffix = if let Some(rest) = t.strip_prefix('%') {
                    Some(rest.to_string())
                } else if t.starts_with('.') && t[1..].contains('.') && !t.contains('/') {
                    t[1..].find('.').map(|i| t[1 + i..].to_string())
                } else {
                    None
                };
                if let Some(suffix) = suffix.filter(|s| !s.is_empty()) {
                    out.push((rule, suffix));
                    break;
                }
            }
        }
        out
    }

    /// The default goal: the first rule whose target is not special (`.X`) or a pattern.
    pub fn default_goal(&self) -> Option<&Rule> {
        self.rules.iter().find(|r| {
            r.targets
                .iter()
                .any(|t| !t.starts_with('.') && !t.contains('%'))
        })
    }

    /// Whether the text assigns or uses a variable, as `$(NAME)` or `${NAME}`.
    pub fn uses_var(&self, name: &str) -> bool {
        let a = format!("$({name})");
        let b = format!("${{{name}}}");
        self.lines.iter().any(|l| l.contains(&a) || l.contains(&b))
    }
}

/// Text with every remaining `$(…)`/`${…}` (balanced) removed.
pub fn strip_unexpanded(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut depth = 0usize;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '$' && matches!(chars.peek(), Some('(' | '{')) {
            chars.next();
            depth += 1;
            continue;
        }
        if c == '$' && depth == 0 && chars.peek().is_some_and(|n| n.is_ascii_alphanumeric()) {
            chars.next();
            continue;
        }
        if depth > 0 {
            match c {
                '(' | '{' => depth += 1,
                ')' | '}' => depth -= 1,
                _ => {}
            }
            if depth == 0 {
                out.push(' ');
            }
            continue;
        }
        out.push(c);
    }
    out
}

/// Text with `@NAME@` placeholders removed.
fn strip_placeholders(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find('@') {
        let after = &rest[start + 1..];
        let len = after
            .bytes()
            .take_while(|b| b.is_ascii_alphanumeric() || *b == b'_')
            .count();
        if len > 0 && after.as_bytes().get(len) == Some(&b'@') {
            out.push_str(&rest[..start]);
            rest = &after[len + 1..];
        } else {
            out.push_str(&rest[..=start]);
            rest = after;
        }
    }
    out.push_str(rest);
    out
}

/// The line without a `#` comment (a `\#` is kept).
fn strip_comment(line: &str) -> &str {
    let bytes = line.as_bytes();
    for (i, b) in bytes.iter().enumerate() {
        if *b == b'#' && (i == 0 || bytes[i - 1] != b'\\') {
            return &line[..i];
        }
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_assignments_rules_and_expands() {
        let mk = Makefile::parse(
            "PREFIX ?= /usr/local\nPROG = foo\nOBJS = a.o \\\n  b.o\nLIBS += -lm\nLIBS += -lncurses # curses\n\nall: $(PROG) man\n\n$(PROG): $(OBJS)\n\t$(CC) -o $@ $(OBJS) $(LIBS)\n\n.PHONY: all man\ninstall: all\n\tinstall -m755 $(PROG) $(DESTDIR)$(PREFIX)/bin\n",
        );
        assert_eq!(mk.vars["PREFIX"], "/usr/local");
        assert_eq!(mk.words("$(OBJS)"), ["a.o", "b.o"]);
        assert_eq!(mk.var("LIBS").as_deref(), Some("-lm -lncurses"));
        let all = mk.rule("all").unwrap();
        assert_eq!(all.prereqs, ["$(PROG)", "man"]);
        let foo = mk.rule("foo").unwrap();
        assert_eq!(foo.recipe, ["$(CC) -o $@ $(OBJS) $(LIBS)"]);
        assert!(mk.phony().contains("man"));
        assert_eq!(mk.default_goal().unwrap().targets, ["all"]);
        assert!(mk.uses_var("DESTDIR"));
        assert_eq!(mk.rule("install").unwrap().recipe.len(), 1);
        assert_eq!(
            mk.words("x $(shell sh a.sh (b)) y $(UNKNOWN) less@EXEEXT@ a@b"),
            ["x", "y", "less", "a@b"]
        );
        let reachable: Vec<&str> = mk
            .reachable(&["all"])
            .iter()
            .map(|r| r.targets[0].as_str())
            .collect();
        assert_eq!(reachable, ["all", "$(PROG)"]);
        let patterns = Makefile::parse("%.o: %.c\n\t$(CC) -c $<\n.y.c:\n\tbison $<\n");
        let suffixes: Vec<String> = patterns
            .pattern_rules()
            .into_iter()
            .map(|(_, s)| s)
            .collect();
        assert_eq!(suffixes, [".o", ".c"]);
    }

    #[test]
    fn conditional_assignments_accumulate() {
        let mk = Makefile::parse("if A\nbin_PROGRAMS = a\nelse\nbin_PROGRAMS = b\nendif\nX = 1\nX = 2\nEXE =\nifeq ($(OS),w)\nEXE = .exe\nendif\n");
        assert_eq!(mk.words("$(bin_PROGRAMS)"), ["a", "b"]);
        assert_eq!(mk.words("$(X)"), ["2"]);
        assert_eq!(mk.words("$(EXE)"), [".exe"]);
        let mk = Makefile::parse("x = @EXEEXT@\nPROG = mawk$x\n$(PROG): a.o\n\t$(CC) -o $@ a.o\n");
        assert_eq!(mk.words("$(PROG) $y"), ["mawk"]);
        assert_eq!(mk.rules_for("mawk").len(), 1);
    }
}
