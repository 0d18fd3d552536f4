# Setup hooks used as nativeBuildInputs, with nixpkgs' names: autoreconfHook, makeWrapper,
# installShellFiles. (pkg-config, cmake, meson, ninja, python3 and perl carry their hooks
# themselves; see ../debian/extra.nix.)
{ lib, self }:

{
  autoreconfHook = self.makeSetupHook {
    name = "autoreconf-hook";
    propagatedBuildInputs = [
      self.autoconf
      self.automake
      self.libtool
      # libtoolize and autom4te look for m4 on PATH (nixpkgs' libtool propagates it).
      self.m4
      self.gettext
      self.pkg-config
    ];
  } ./autoreconf.sh;
  autoreconfHook269 = self.autoreconfHook;
  makeWrapper = self.makeSetupHook { name = "make-wrapper-hook"; } ./make-wrapper.sh;
  makeShellWrapper = self.makeWrapper;
  makeBinaryWrapper = self.makeWrapper;
  installShellFiles = self.makeSetupHook { name = "install-shell-files"; } ./install-shell-files.sh;
}
