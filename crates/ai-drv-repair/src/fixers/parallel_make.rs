//! Parallel make race: a `-jN` build used a generated file before the rule making it had run.
//! Building serially is slower but correct: `enableParallelBuilding = false`.

use ai_drv_syntax::Document;

use crate::{Context, Fix, Fixer, Problem};

pub(crate) struct ParallelMake;

impl Fixer for ParallelMake {
    fn name(&self) -> &'static str {
        "parallel-make"
    }

    fn fix(&self, doc: &Document, cx: &Context) -> Option<Fix> {
        if !cx.problems.contains(&Problem::ParallelMakeRace)
            || doc.get("enableParallelBuilding").as_deref() == Some("false")
        {
            return None;
        }
        let mut document = doc.clone();
        document.set("enableParallelBuilding", "false").ok()?;
        Some(Fix {
            fixer: self.name(),
            summary:
                "set enableParallelBuilding = false (a parallel make raced on a generated file)"
                    .to_string(),
            document,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixers::testing::{index, HELLO};

    fn run(text: &str, problems: &[Problem]) -> Option<Fix> {
        let index = index(&[], &[], &[], &[]);
        let cx = Context {
            diagnoses: &[],
            problems,
            index: &index,
            tree: None,
        };
        ParallelMake.fix(&Document::parse(text).unwrap(), &cx)
    }

    #[test]
    fn turns_parallel_building_off() {
        let parallel = HELLO.replace(
            "  strictDeps = true;\n",
            "  strictDeps = true;\n  enableParallelBuilding = true;\n",
        );
        let fix = run(&parallel, &[Problem::ParallelMakeRace]).unwrap();
        assert_eq!(
            fix.document.text(),
            parallel.replace("= true;\n\n", "= false;\n\n")
        );
        let fix = run(HELLO, &[Problem::ParallelMakeRace]).unwrap();
        assert_eq!(
            fix.document.text(),
            HELLO.replace(
                "  strictDeps = true;\n",
                "  strictDeps = true;\n  enableParallelBuilding = false;\n"
            )
        );
        assert_eq!(run(fix.document.text(), &[Problem::ParallelMakeRace]), None);
        assert_eq!(run(HELLO, &[Problem::NoConfigure]), None);
    }
}
