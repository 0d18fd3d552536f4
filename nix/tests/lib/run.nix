# The hostpkgs lib test report: ./runner.nix applied to ./default.nix.
#   nix-instantiate --eval --strict --json nix/tests/lib/run.nix
# (./run.sh runs that and formats the report.)
import ./runner.nix (import ./default.nix)
