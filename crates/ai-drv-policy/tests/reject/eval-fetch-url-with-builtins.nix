# rule: eval-time-fetch
# line: 11
{ lib, stdenv }:

with builtins;

stdenv.mkDerivation {
  pname = "sl";
  version = "5.02";

  src = fetchurl "https://github.com/mtoyoda/sl/archive/5.02.tar.gz";

  makeFlags = [ "CC:=$(CC)" ];

  meta.license = lib.licenses.free;
}
