# rule: eval-time-fetch
# line: 9
{ lib, stdenv }:

stdenv.mkDerivation {
  pname = "figlet";
  version = "2.2.5";

  src = fetchTarball {
    url = "https://github.com/cmatsuoka/figlet/archive/2.2.5.tar.gz";
  };

  makeFlags = [ "prefix=$(out)" "CC:=$(CC)" ];

  meta.license = lib.licenses.bsd3;
}
