//! Prints a number through `itoa`, a registry dependency vendored by hostpkgs' cargoLock.
fn main() {
    let mut buffer = itoa::Buffer::new();
    println!("cargo-lock-test {}", buffer.format(1234567_u64));
}
