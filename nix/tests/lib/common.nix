# Shared values for the lib test files: the lib itself, a tryEval helper
# and fake derivations / functions used by several cases.
let
  lib = import ../../hostpkgs/lib;
  tryOk = e: (builtins.tryEval (builtins.deepSeq e e)).success;

  # Fake derivations: enough structure for the output/meta helpers.
  hello = {
    type = "derivation"; name = "hello-2.12.1"; pname = "hello"; version = "2.12.1";
    outPath = "/nix/store/00000000000000000000000000000000-hello-2.12.1";
    meta = { mainProgram = "hello-cli"; };
  };
  noMain = {
    type = "derivation"; name = "tool-1.0"; pname = "tool";
    outPath = "/nix/store/11111111111111111111111111111111-tool-1.0";
  };
  multi = let
    out = { type = "derivation"; name = "m-1"; outPath = "/o"; outputName = "out";
      outputs = [ "out" "bin" "dev" "lib" ]; inherit bin dev; lib = lib_; };
    bin = out // { outPath = "/b"; outputName = "bin"; outputSpecified = true; };
    dev = out // { outPath = "/d"; outputName = "dev"; outputSpecified = true; };
    lib_ = out // { outPath = "/l"; outputName = "lib"; outputSpecified = true; };
  in out;

  realDrv = derivation { name = "plain"; builder = "/bin/sh"; system = "x86_64-linux"; args = [ "-c" "exit 1" ]; };

  sumFn = { a, b ? 10 }: { sum = a + b; inherit a b; };
  ovr = lib.makeOverridable sumFn;
  auto = { a = 1; b = 2; c = 3; };

  scope = lib.makeScope (extra: lib.callPackageWith ({ x = 10; } // extra)) (self: {
    a = 1;
    b = self.callPackage ({ a, x }: a + x) { };
  });
in
{
  inherit lib tryOk hello noMain multi realDrv sumFn ovr auto scope;
}
