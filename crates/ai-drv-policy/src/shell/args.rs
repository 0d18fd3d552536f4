//! Command-line options of the tools the checks look at: which words are options, which are
//! option values (`-m 755`, `-m755`, `--mode=755`) and which are operands.

use super::lex::Word;

/// How a tool takes option values.
pub(crate) struct Spec {
    /// Short options whose value is attached (`-m755`) or the next word (`-m 755`).
    pub short_value: &'static str,
    /// Short options whose value can only be attached (`sed -i.bak`, `make -j4`).
    pub short_attached: &'static str,
    /// Long options whose value may be the next word (`--target-directory DIR`).
    pub long_value: &'static [&'static str],
}

impl Spec {
    pub(crate) const NONE: Spec = Spec {
        short_value: "",
        short_attached: "",
        long_value: &[],
    };
}

/// A tool's words, sorted.
pub(crate) struct Args<'w> {
    pub shorts: Vec<(char, Option<String>)>,
    pub longs: Vec<(String, Option<String>)>,
    pub operands: Vec<&'w Word>,
}

impl Args<'_> {
    pub(crate) fn short(&self, flag: char) -> bool {
        self.shorts.iter().any(|(c, _)| *c == flag)
    }

    pub(crate) fn long(&self, name: &str) -> bool {
        self.longs.iter().any(|(n, _)| n == name)
    }

    /// The value of `-x`/`--long`, the last one given.
    pub(crate) fn value(&self, short: Option<char>, long: &str) -> Option<&str> {
        let from_short = self
            .shorts
            .iter()
            .rev()
            .find(|(c, _)| Some(*c) == short)
            .and_then(|(_, v)| v.as_deref());
        let from_long = self
            .longs
            .iter()
            .rev()
            .find(|(n, _)| n == long)
            .and_then(|(_, v)| v.as_deref());
        from_long.or(from_short)
    }
}

/// Sorts `words` (the tool's arguments, without the tool's name) by `spec`.
pub(crate) fn parse<'w>(words: &'w [Word], spec: &Spec) -> Args<'w> {
    let mut args = Args {
        shorts: Vec::new(),
        longs: Vec::new(),
        operands: Vec::new(),
    };
    let mut rest = words.iter();
    let mut options_done = false;
    while let Some(word) = rest.next() {
        let text = word.text.as_str();
        if options_done || text == "-" || !text.starts_with('-') {
            args.operands.push(word);
        } else if text == "--" {
            options_done = true;
        } else if let Some(long) = text.strip_prefix("--") {
            match long.split_once('=') {
                Some((name, value)) => args.longs.push((name.to_string(), Some(value.to_string()))),
                None if spec.long_value.contains(&long) => {
                    let value = rest.next().map(|w| w.text.clone());
                    args.longs.push((long.to_string(), value));
                }
                None => args.longs.push((long.to_string(), None)),
            }
        } else {
            let bundle: Vec<char> = text.chars().skip(1).collect();
            for (i, &flag) in bundle.iter().enumerate() {
                let attached: String = bundle.get(i + 1..).unwrap_or_default().iter().collect();
                if spec.short_value.contains(flag) {
                    let value = if attached.is_empty() {
                        rest.next().map(|w| w.text.clone())
                    } else {
                        Some(attached)
                    };
                    args.shorts.push((flag, value));
                    break;
                }
                if spec.short_attached.contains(flag) {
                    args.shorts
                        .push((flag, (!attached.is_empty()).then_some(attached)));
                    break;
                }
                args.shorts.push((flag, None));
            }
        }
    }
    args
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(line: &str) -> Vec<Word> {
        line.split(' ')
            .map(|text| Word {
                text: text.to_string(),
                start: 0,
                end: 0,
            })
            .collect()
    }

    #[test]
    fn bundles_values_and_operands_are_told_apart() {
        let spec = Spec {
            short_value: "mt",
            short_attached: "",
            long_value: &["target-directory"],
        };
        let line = words("-Dm755 -t /usr/bin a --target-directory x --owner=root -- -b");
        let args = parse(&line, &spec);
        assert!(args.short('D'));
        assert_eq!(args.value(Some('m'), "mode"), Some("755"));
        assert_eq!(args.value(Some('t'), "nothing"), Some("/usr/bin"));
        assert_eq!(args.value(None, "target-directory"), Some("x"));
        assert_eq!(args.value(None, "owner"), Some("root"));
        let operands: Vec<&str> = args.operands.iter().map(|w| w.text.as_str()).collect();
        assert_eq!(operands, vec!["a", "-b"]);
    }

    #[test]
    fn attached_only_values_do_not_take_the_next_word() {
        let spec = Spec {
            short_value: "e",
            short_attached: "i",
            long_value: &[],
        };
        let line = words("-i s/a/b/ f");
        let args = parse(&line, &spec);
        assert!(args.short('i'));
        assert_eq!(args.operands.len(), 2);
    }
}
