# hostpkgs lib: derivation meta helpers (lib.meta): priorities, names,
# platform availability, SPDX lookup and getExe.
#
# Semantics follow nixpkgs' lib/meta.nix. availableOn also accepts a bare
# system string ("x86_64-linux") as the platform, since hostpkgs has no
# lib.systems.elaborate.
{ lib }:
let
  inherit (builtins) isString;
  inherit (lib.attrsets) isDerivation getBin mapAttrs' filterAttrs;
in
rec {
  addMetaAttrs = newAttrs: drv: drv // { meta = (drv.meta or { }) // newAttrs; };
  dontDistribute = addMetaAttrs { hydraPlatforms = [ ]; };
  setPrio = priority: addMetaAttrs { inherit priority; };
  lowPrio = setPrio 10;
  hiPrio = setPrio (-10);
  lowPrioSet = builtins.mapAttrs (_: lowPrio);
  hiPrioSet = builtins.mapAttrs (_: hiPrio);

  setName = name: drv: drv // { inherit name; };
  updateName = f: drv: drv // { name = f drv.name; };
  appendToName = suffix: updateName (name:
    let p = builtins.parseDrvName name; in "${p.name}-${suffix}-${p.version}");
  mapDerivationAttrset = f: set:
    lib.attrsets.mapAttrs (_: v: if isDerivation v then f v else v) set;

  # Does `elem` (a system string or an attrset pattern) match `platform`?
  platformMatch = platform: elem:
    let p = if isString platform then { system = platform; } else platform; in
    if isString elem then p ? system && elem == p.system
    else lib.attrsets.matchAttrs elem p;

  availableOn = platform: pkg:
    (!(pkg ? meta.platforms) || lib.lists.any (platformMatch platform) pkg.meta.platforms)
    && lib.lists.all (e: !platformMatch platform e) (pkg.meta.badPlatforms or [ ]);

  ## Licenses ---------------------------------------------------------------

  # { "<spdxId>" = license; } for every license that has an SPDX id.
  licensesSpdx = mapAttrs' (_: l: { name = l.spdxId; value = l; })
    (filterAttrs (_: l: l ? spdxId) lib.licenses);

  # Case-insensitive SPDX lookup; unknown ids give `default`.
  getLicenseFromSpdxIdOr =
    let lower = lib.attrsets.mapAttrs' (id: l: { name = lib.strings.toLower id; value = l; }) licensesSpdx;
    in id: default: lower.${lib.strings.toLower id} or default;
  getLicenseFromSpdxId = id:
    getLicenseFromSpdxIdOr id
      (lib.trivial.warn "getLicenseFromSpdxId: No license matches the given SPDX ID: ${id}" { shortName = id; });

  ## Executables ------------------------------------------------------------

  # Path of a package's main program: meta.mainProgram, or (with a
  # deprecation warning, as in nixpkgs) the package name.
  getExe = x:
    let name = lib.strings.getName x; in
    getExe' x (x.meta.mainProgram or (lib.trivial.warn
      ("getExe: package `${name}` sets no meta.mainProgram, so its main program is assumed "
        + "to be called `${name}`. Relying on that guess is deprecated: set meta.mainProgram, "
        + "or name the program explicitly with lib.getExe' pkg \"program\".")
      name));

  getExe' = x: y:
    assert lib.trivial.assertMsg (isDerivation x) "lib.getExe': expected a derivation, got a ${builtins.typeOf x}";
    assert lib.trivial.assertMsg (isString y) "lib.getExe': expected a program name string, got a ${builtins.typeOf y}";
    assert lib.trivial.assertMsg (!lib.strings.hasInfix "/" y) "lib.getExe': program name \"${y}\" must not contain \"/\"";
    "${getBin x}/bin/${y}";
}
