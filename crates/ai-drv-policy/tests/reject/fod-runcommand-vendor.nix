# rule: fixed-output-derivation
# line: 11
{ lib, stdenv, fetchurl, runCommand }:

let
  src = fetchurl {
    url = "mirror://debian/pool/main/t/tree/tree_2.1.0.orig.tar.gz";
    hash = "sha256-AWDFNb/ysNxqgwuZROmB40JzgPY+dI2pbO1wcfrrq/Y=";
  };
  vendored = runCommand "tree-vendor" {
    outputHash = "sha256-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
    outputHashMode = "recursive";
  } ''
    mkdir -p $out
    tar -xzf ${src} -C $out
  '';
in
stdenv.mkDerivation {
  pname = "tree";
  version = "2.1.0";
  src = vendored;
  makeFlags = [ "PREFIX=$(out)" "CC:=$(CC)" ];
  meta.license = lib.licenses.gpl2Plus;
}
