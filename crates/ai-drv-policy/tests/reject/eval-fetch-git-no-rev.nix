# rule: eval-time-fetch
# line: 9
{ lib, stdenv }:

stdenv.mkDerivation {
  pname = "tree";
  version = "2.1.0";

  src = builtins.fetchGit {
    url = "https://gitlab.com/OldManProgrammer/unix-tree.git";
    ref = "master";
  };

  makeFlags = [ "PREFIX=$(out)" "CC:=$(CC)" ];

  meta.license = lib.licenses.gpl2Plus;
}
