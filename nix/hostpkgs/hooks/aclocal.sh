# aclocal finds the m4 macros of every input (pkg.m4 from pkg-config, libtool.m4…).
_hostpkgsAclocalPath() { addToSearchPath ACLOCAL_PATH "$1/share/aclocal"; }
addEnvHooks "$hostOffset" _hostpkgsAclocalPath
