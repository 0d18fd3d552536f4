//! Prints the analysis of source trees as JSON: `cargo run -p ai-drv-analyse --example analyse --
//! DIR…`. Uses the bundled resolver index; for looking at what the analyser makes of real trees.

use std::process::ExitCode;
use std::time::Instant;

fn main() -> ExitCode {
    let start = Instant::now();
    let index = match ai_drv_analyse::Index::bundled() {
        Ok(index) => {
            eprintln!("resolver index loaded in {:?}", start.elapsed());
            index
        }
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    for dir in std::env::args().skip(1) {
        let start = Instant::now();
        let analysis = ai_drv_analyse::analyse(std::path::Path::new(&dir), &index);
        let elapsed = start.elapsed();
        match serde_json::to_string_pretty(&analysis) {
            Ok(json) => println!("# {dir} ({elapsed:?})\n{json}"),
            Err(e) => eprintln!("{dir}: {e}"),
        }
    }
    ExitCode::SUCCESS
}
