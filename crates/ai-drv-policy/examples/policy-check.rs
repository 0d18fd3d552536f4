//! Prints the policy's verdict on the files given: `cargo run -p ai-drv-policy --example policy-check -- FILE…`.

fn main() -> std::process::ExitCode {
    let mut failed = false;
    for path in std::env::args().skip(1) {
        match ai_drv_policy::check_file(std::path::Path::new(&path)) {
            Ok(found) => {
                for violation in found {
                    failed = true;
                    println!("{path}: {violation}\n    {}", violation.snippet);
                }
            }
            Err(error) => {
                failed = true;
                eprintln!("{path}: {error}");
            }
        }
    }
    if failed {
        std::process::ExitCode::FAILURE
    } else {
        std::process::ExitCode::SUCCESS
    }
}
