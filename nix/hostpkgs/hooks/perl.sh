# perl's setup hook (nixpkgs' addPerlLibPath): the Perl modules of every input are found during
# the build. Debian installs pure-Perl modules in /usr/share/perl5 and compiled ones in
# /usr/lib/<triplet>/perl5/<version>, which unpack.sh turns into share/perl5 and lib/perl5/5.36;
# nixpkgs-style builds of Perl modules install into lib/perl5/site_perl.
_hostpkgsPerlLibPath() {
    local dir
    addToSearchPath PERL5LIB "$1/share/perl5"
    for dir in "$1"/lib/perl5/5.*; do addToSearchPath PERL5LIB "$dir"; done
    addToSearchPath PERL5LIB "$1/lib/perl5/site_perl"
}
addEnvHooks "$hostOffset" _hostpkgsPerlLibPath
