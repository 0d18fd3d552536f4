# rule: network-in-build
# line: 7
{ lib, runCommand, cargo }:

runCommand "hexyl-0.17.0" { nativeBuildInputs = [ cargo ]; } ''
  export HOME=$TMPDIR
  cargo install hexyl --version 0.17.0 --root $out
''
