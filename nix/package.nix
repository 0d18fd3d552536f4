# ai-drv itself, as a callPackage file for nixpkgs or hostpkgs:
#
#   nix-build -E 'with import ./nix/hostpkgs { }; callPackage ./nix/package.nix { }'
#
# (with hostpkgs: plus the sandbox options `ai-drv doctor` prints and the AI_DRV_MIRROR_DEBIAN and
# AI_DRV_MIRROR_CRATES variables; nix/tests/package/run.sh does all of it). The workspace builds
# with Rust 1.85, hostpkgs' rustc (see .cargo/config.toml).
#
# The result has `bin/ai-drv` and, under `share/ai-drv/nix`, the Nix files the binary reads at
# run time (hostpkgs, its pinned packages and resolver index), which is where the binary looks
# first (crates/ai-drv-hostpkgs/src/buildroot.rs, `nix_dir`): the installed binary needs no
# AI_DRV_NIX_DIR and no checkout. Two derivations: the Rust build (`passthru.unwrapped`) sees only
# the Cargo workspace, so editing nix/ or the docs costs a copy, not a rebuild of the workspace.
{
  lib,
  rustPlatform,
  stdenvNoCC,
  patchelf,
}:

let
  root = ../.;
  workspace = (builtins.fromTOML (builtins.readFile ../Cargo.toml)).workspace.package;
  inherit (workspace) version;

  relative = path: lib.removePrefix (toString root + "/") (toString path);
  # Build outputs and `nix-build` result links are never sources.
  junk =
    path: type:
    builtins.elem (baseNameOf path) [
      "target"
      ".git"
    ]
    || (type == "symlink" && lib.hasPrefix "result" (baseNameOf path));

  # The Cargo workspace without its tests and examples (a release build of the binary reads
  # neither, and cargo finds those targets only where they exist).
  testsOrExamples = rel: builtins.match "crates/[^/]+/(tests|examples|benches)(/.*)?" rel != null;
  crateSource = lib.cleanSourceWith {
    name = "ai-drv-source";
    src = root;
    filter =
      path: type:
      let
        rel = relative path;
      in
      !(junk path type)
      && !(testsOrExamples rel)
      && (
        builtins.elem rel [
          "Cargo.toml"
          "Cargo.lock"
          ".cargo"
          ".cargo/config.toml"
          "crates"
        ]
        || lib.hasPrefix "crates/" rel
      );
  };

  # nix/ as installed: everything but its tests.
  nixData = lib.cleanSourceWith {
    name = "ai-drv-nix";
    src = ../nix;
    filter = path: type: !(junk path type) && relative path != "nix/tests";
  };

  meta = {
    description = "Turn a request into a Nix derivation that has already been built, run and checked";
    license = with lib.licenses; [
      mit
      asl20
    ];
    mainProgram = "ai-drv";
    platforms = lib.platforms.linux;
  };

  unwrapped = rustPlatform.buildRustPackage {
    pname = "ai-drv-unwrapped";
    inherit version meta;
    src = crateSource;

    # One fixed-output download per crate, pinned by Cargo.lock's checksums (nixpkgs'
    # `cargoLock.lockFile` interface): no vendor hash to update whenever Cargo.lock changes.
    cargoLock.lockFile = ../Cargo.lock;

    # The command-line crate alone; the other crates are its libraries.
    cargoBuildFlags = [
      "--package"
      "ai-drv"
    ];

    # genai's let chains on a Rust older than 1.88 (hostpkgs' 1.85); see the script.
    RUSTC_WRAPPER = ./rustc-let-chains.sh;

    # The test suites drive real Nix builds (a store, the sandbox, a Debian build root) and
    # servers on loopback, none of which a build sandbox has; they run in the repository
    # (scripts/test).
    doCheck = false;
  };
in
stdenvNoCC.mkDerivation {
  pname = "ai-drv";
  inherit version meta;
  dontUnpack = true;
  dontConfigure = true;
  dontBuild = true;
  nativeBuildInputs = [ patchelf ];
  # A copy, not a symlink: the binary finds share/ai-drv/nix next to its own resolved path. Its
  # run path names the unwrapped package's lib/ (hostpkgs' stdenv adds $out/lib to every link),
  # which does not exist; dropping entries that hold none of its libraries keeps the unwrapped
  # package out of the closure.
  installPhase = ''
    runHook preInstall
    install -Dm755 ${unwrapped}/bin/ai-drv "$out/bin/ai-drv"
    patchelf --shrink-rpath "$out/bin/ai-drv"
    mkdir -p "$out/share/ai-drv"
    cp -r ${nixData} "$out/share/ai-drv/nix"
    chmod -R u+w "$out/share/ai-drv/nix"
    runHook postInstall
  '';
  # The binary was fixed up (debug info stripped) by its own build.
  dontFixup = true;
  # Guards: a path to the vendored sources left in the binary would pull all of them (hundreds
  # of MB) into ai-drv's closure, and one to the unwrapped package a second copy of the binary.
  # The package must in fact refer to no store path at all: hostpkgs reads pins.json and
  # resolver.json from share/ai-drv/nix with readFile, whose string carries the references of
  # the store path it lies in, and fromJSON refuses such a string (nix/tests/package/run.sh
  # checks that there are none).
  disallowedReferences = [
    unwrapped
    unwrapped.cargoDeps
  ];
  passthru = {
    inherit unwrapped;
    inherit (unwrapped) cargoDeps;
  };
}
