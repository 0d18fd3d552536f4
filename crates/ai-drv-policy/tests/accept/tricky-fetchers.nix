{ lib, stdenv, fetchurl, fetchzip, writeShellScriptBin, runCommand, rustPlatform, buildNpmPackage }:

let
  # A fetcher may be fixed-output: that is what fetchers are.
  data = fetchurl {
    url = "https://example.invalid/data.bin";
    outputHash = "sha256-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
    outputHashAlgo = "sha256";
  };
  # A program the package installs may use the network when it runs.
  updater = writeShellScriptBin "demo-update" ''
    curl -fsSL https://example.invalid/latest > "$HOME/.cache/demo/latest"
    cp "$HOME/.cache/demo/latest" ~/.config/demo/
  '';
  tool = rustPlatform.buildRustPackage rec {
    pname = "tool";
    version = "0.1.0";
    src = fetchzip {
      url = "https://example.invalid/tool-${version}.tar.gz";
      hash = "";
    };
    cargoLock.lockFile = ./fix.patch;
  };
  web = buildNpmPackage {
    pname = "web";
    version = "1.0.0";
    src = ./.;
    npmDepsHash = "";
  };
in
runCommand "demo3" { inherit data; } ''
  mkdir -p $out/bin $out/share
  ln -s ${updater}/bin/demo-update $out/bin/
  ln -s ${tool}/bin/tool ${web}/bin/web $out/bin/
  cp $data $out/share/data.bin 2>/dev/null
''
