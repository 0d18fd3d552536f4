# rule: eval-exec
# line: 7
{ lib, stdenv, fetchurl }:

let
  b = builtins;
  today = b.exec [ "date" "+%Y%m%d" ];
in
stdenv.mkDerivation (finalAttrs: {
  pname = "tree";
  version = "2.1.0-${today}";

  src = fetchurl {
    url = "mirror://debian/pool/main/t/tree/tree_2.1.0.orig.tar.gz";
    hash = "sha256-AWDFNb/ysNxqgwuZROmB40JzgPY+dI2pbO1wcfrrq/Y=";
  };

  makeFlags = [ "PREFIX=$(out)" "CC:=$(CC)" ];

  meta = {
    license = lib.licenses.gpl2Plus;
    mainProgram = "tree";
  };
})
