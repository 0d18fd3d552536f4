# Package attributes made of Debian binary packages, from the generated table pins.json: each .deb
# is a fixed-output download pinned by the sha256 of Debian's Packages index, and each attribute
# is one store path laid out like a nixpkgs output (see unpack.sh).
{
  lib,
  system,
  pins,
  debianMirror,
  fetchurlBoot,
  pkgs,
  extraAttrs ? { },
}:

let
  fetchDeb =
    pkg:
    let
      info = pins.debs.${pkg} or (throw "hostpkgs: Debian package `${pkg}` is not in pins.json; regenerate it with `ai-drv hostpkgs generate`");
    in
    fetchurlBoot {
      url = "${debianMirror}/${info.filename}";
      sha256 = info.sha256;
      name = lib.strings.sanitizeDerivationName (baseNameOf info.filename);
    };

  # Debian's version without epoch and revision: 2:1.8.4-2+deb12u2 → 1.8.4.
  upstreamVersion =
    v:
    let
      noEpoch = lib.last (lib.splitString ":" v);
      parts = lib.splitString "-" noEpoch;
    in
    if builtins.length parts > 1 then lib.concatStringsSep "-" (lib.init parts) else noEpoch;

  attrFromPath = path: lib.getAttrFromPath (lib.splitString "." path) pkgs;

  patchelfTool =
    let
      bootstrap = mkAttr "patchelf-bootstrap" {
        debs = [ "patchelf" ];
        closure = [ ];
        propagated = [ ];
        runtime = [ ];
      } false;
    in
    "${bootstrap}/bin/patchelf";

  mkAttr =
    attrPath: spec: withPatchelf:
    let
      mainDeb = builtins.head spec.debs;
      version = upstreamVersion pins.debs.${mainDeb}.version;
      pname = lib.last (lib.splitString "." attrPath);
      extra = extraAttrs.${attrPath} or { };
      drv = derivation (
        {
          name = lib.strings.sanitizeDerivationName "${pname}-${version}";
          inherit system;
          builder = "/bin/bash";
          args = [
            "-e"
            ./unpack.sh
          ];
          debs = map fetchDeb spec.debs;
          closureDebs = map fetchDeb spec.closure;
          # Build inputs of whoever uses this attribute (nix-support/propagated-build-inputs)…
          propagated = map attrFromPath spec.propagated;
          # …and attributes only its programs and libraries need at run time (rpath only).
          runtime = map attrFromPath (spec.runtime or [ ]);
          patchelf = if withPatchelf then patchelfTool else "";
        }
        // builtins.removeAttrs extra [ "passthru" "meta" ]
      );
    in
    drv
    // {
      inherit pname version;
      meta = {
        description = "${attrPath} from Debian's ${lib.concatStringsSep ", " spec.debs}";
        platforms = [ system ];
        mainProgram = pname;
      } // (extra.meta or { });
      passthru = extra.passthru or { };
      debianPackages = spec.debs;
    }
    // (extra.passthru or { });
in
lib.foldl' (
  acc: attrPath: lib.recursiveUpdate acc (lib.setAttrByPath (lib.splitString "." attrPath) (mkAttr attrPath pins.attrs.${attrPath} true))
) { } (builtins.attrNames pins.attrs)
