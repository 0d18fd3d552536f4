# rustPlatform.buildRustPackage: dependencies are vendored from the crates registry, and the build
# runs cargo offline against that directory, with Debian's Rust toolchain. Two ways to vendor, as
# in nixpkgs:
#   - `cargoHash`: one fixed-output derivation reads the source's Cargo.lock and downloads every
#     crate (fetchCargoVendor, vendor.sh); its hash changes with every Cargo.lock change.
#   - `cargoLock = { lockFile = ./Cargo.lock; }`: no hash to maintain; each crate is its own
#     fixed-output download, pinned by the checksum Cargo.lock already holds (importCargoLock).
{ lib, self }:

let
  # nixpkgs' importCargoLock: `{ lockFile ? null, lockFileContents ? null, outputHashes ? { } }` →
  # a directory cargo accepts as a `directory` source. Each registry crate is fetched with the
  # builtin fetcher from `mirror://crates` (so the download runs outside the build sandbox, as
  # nixpkgs' fetchurl does, and is shared between packages that lock the same crate); the
  # directory itself is an ordinary derivation over those downloads, so nothing here needs a hash
  # beyond Cargo.lock's. Git dependencies would need `outputHashes` and a forge; they are refused
  # with a message saying so.
  importCargoLock =
    {
      lockFile ? null,
      lockFileContents ? null,
      outputHashes ? { },
      ...
    }:
    let
      contents =
        if lockFileContents != null then
          lockFileContents
        else if lockFile != null then
          builtins.readFile lockFile
        else
          throw "importCargoLock: give `lockFile` (e.g. cargoLock.lockFile = ./Cargo.lock) or `lockFileContents`";
      parsed = builtins.fromTOML contents;
      packages = parsed.package or [ ];
      # Crates of the workspace itself have no source.
      external = builtins.filter (p: p ? source) packages;
      crateOf =
        p:
        let
          id = "${p.name}-${p.version}";
        in
        if !(lib.hasPrefix "registry+" p.source) then
          throw "importCargoLock: ${id} comes from ${p.source}; only registry crates can be vendored here (use cargoHash, or vendor it into the source)"
        else if !(p ? checksum) then
          throw "importCargoLock: ${id} has no checksum in Cargo.lock; run `cargo update -p ${p.name}` to record one"
        else
          {
            inherit id;
            inherit (p) checksum;
            crate = self.fetchurl {
              name = "crate-${id}.tar.gz";
              url = "mirror://crates/${p.name}/${p.version}/download";
              sha256 = p.checksum;
            };
          };
      crates = map crateOf external;
      # One line per crate for the unpacking loop: "<dir> <checksum> <tarball>".
      listing = lib.concatMapStrings (c: "${c.id} ${c.checksum} ${c.crate}\n") crates;
    in
    self.stdenvNoCC.mkDerivation {
      name = "cargo-vendor-dir";
      inherit listing;
      lockFileText = contents;
      # Both are long (a line per crate, the whole lock file): files, not environment variables.
      passAsFile = [
        "listing"
        "lockFileText"
      ];
      dontUnpack = true;
      dontConfigure = true;
      dontFixup = true;
      dontInstall = true;
      buildPhase = ''
        runHook preBuild
        mkdir -p "$out"
        while read -r dir sum crate; do
          [ -n "$dir" ] || continue
          mkdir -p "$out/$dir"
          tar xzf "$crate" -C "$out/$dir" --strip-components=1
          printf '{"files":{},"package":"%s"}\n' "$sum" >"$out/$dir/.cargo-checksum.json"
        done <"$listingPath"
        # Kept to check that the source's Cargo.lock is the one vendored (see buildRustPackage).
        cp "$lockFileTextPath" "$out/Cargo.lock"
        runHook postBuild
      '';
      passthru.crates = map (c: c.crate) crates;
    };

  fetchCargoVendor =
    {
      name,
      src,
      hash ? "",
      cargoRoot ? null,
      sourceRoot ? null,
      registryDl ? self.hostpkgs.mirrorOf "crates",
    }:
    self.stdenvNoCC.mkDerivation {
      inherit name src registryDl;
      sourceRootOverride = sourceRoot;
      cargoRoot = if cargoRoot == null then "" else cargoRoot;
      nativeBuildInputs = [ self.curl ];
      # Every crate is checked against its checksum in Cargo.lock (vendor.sh), so, as for a
      # download pinned by its hash, no certificate check is needed (see ../fetchers/curl.sh).
      SSL_CERT_FILE = "/no-cert-file.crt";
      dontConfigure = true;
      dontFixup = true;
      buildPhase = ''
        runHook preBuild
        if [ -n "$sourceRootOverride" ]; then cd "$NIX_BUILD_TOP/$sourceRootOverride"; fi
        bash ${./vendor.sh} "''${cargoRoot:-.}/Cargo.lock" "$out"
        runHook postBuild
      '';
      dontInstall = true;
      outputHash = hash;
      outputHashMode = "recursive";
      outputHashAlgo = if hash == "" then "sha256" else null;
      impureEnvVars = lib.fetchers.proxyImpureEnvVars;
    };

  buildRustPackage =
    args@{
      pname,
      version,
      src ? null,
      srcs ? null,
      cargoHash ? "",
      cargoSha256 ? "",
      cargoDeps ? null,
      cargoLock ? null,
      cargoBuildFlags ? [ ],
      cargoTestFlags ? [ ],
      buildFeatures ? [ ],
      checkFeatures ? buildFeatures,
      buildNoDefaultFeatures ? false,
      checkNoDefaultFeatures ? buildNoDefaultFeatures,
      buildType ? "release",
      cargoRoot ? null,
      buildAndTestSubdir ? null,
      nativeBuildInputs ? [ ],
      doCheck ? true,
      useFetchCargoVendor ? true,
      ...
    }:
    let
      hash = if cargoHash != "" then cargoHash else cargoSha256;
      deps =
        if cargoDeps != null then
          cargoDeps
        else if cargoLock != null then
          importCargoLock cargoLock
        else
          fetchCargoVendor {
            name = "${pname}-${version}-vendor";
            inherit src hash cargoRoot;
            sourceRoot = args.sourceRoot or null;
          };
      featureFlags =
        features: noDefault:
        lib.optional noDefault "--no-default-features"
        ++ lib.optional (features != [ ]) "--features=${lib.concatStringsSep "," features}";
      profileFlag = if buildType == "release" then "--release" else "--profile=${buildType}";
      targetDir = if buildType == "debug" then "debug" else buildType;
    in
    self.stdenv.mkDerivation (
      builtins.removeAttrs args [
        "cargoHash"
        "cargoSha256"
        "cargoDeps"
        "cargoLock"
        "cargoBuildFlags"
        "cargoTestFlags"
        "buildFeatures"
        "checkFeatures"
        "buildNoDefaultFeatures"
        "checkNoDefaultFeatures"
        "buildType"
        "useFetchCargoVendor"
      ]
      // {
        inherit doCheck;
        cargoDeps = deps;
        nativeBuildInputs = [
          self.cargo
          self.rustc
        ] ++ nativeBuildInputs;
        strictDeps = args.strictDeps or true;
        cargoBuildFlagsList = lib.concatStringsSep " " (
          [ profileFlag ] ++ featureFlags buildFeatures buildNoDefaultFeatures ++ cargoBuildFlags
        );
        cargoTestFlagsList = lib.concatStringsSep " " (
          [ profileFlag ] ++ featureFlags checkFeatures checkNoDefaultFeatures ++ cargoTestFlags
        );
        cargoTargetSubdir = targetDir;
        cargoLockDir = if cargoRoot != null then cargoRoot else ".";
        cargoWorkDir = if buildAndTestSubdir != null then buildAndTestSubdir else if cargoRoot != null then cargoRoot else ".";
        configurePhase =
          args.configurePhase or ''
            runHook preConfigure
            # importCargoLock keeps the lock file it vendored: a source whose Cargo.lock differs
            # would fail later with cargo's less helpful "needs to be updated" (as in nixpkgs).
            if [ -f "$cargoDeps/Cargo.lock" ] && ! cmp -s "$cargoDeps/Cargo.lock" "$cargoLockDir/Cargo.lock"; then
              echo "buildRustPackage: $cargoLockDir/Cargo.lock differs from the cargoLock.lockFile the dependencies were vendored from; make them the same file" >&2
              exit 1
            fi
            # rustc and build scripts write the sources' paths into what they build (panic
            # locations, C __FILE__s). Seen through a link in the build directory they are not
            # store paths, so the output does not keep the vendored sources (hundreds of MB)
            # alive; nixpkgs copies the directory for the same reason.
            ln -sfn "$cargoDeps" "$NIX_BUILD_TOP/cargo-vendor-dir"
            export CARGO_HOME="$NIX_BUILD_TOP/.cargo-home"
            mkdir -p "$CARGO_HOME"
            cat > "$CARGO_HOME/config.toml" <<CONFIG
            [source.crates-io]
            replace-with = "vendored-sources"
            [source.vendored-sources]
            directory = "$NIX_BUILD_TOP/cargo-vendor-dir"
            [net]
            offline = true
            CONFIG
            export CARGO_TARGET_DIR="$PWD/target"
            export RUSTFLAGS="''${RUSTFLAGS:-}"
            runHook postConfigure
          '';
        buildPhase =
          args.buildPhase or ''
            runHook preBuild
            (cd "$cargoWorkDir" && cargo build --frozen -j "$NIX_BUILD_CORES" $cargoBuildFlagsList)
            runHook postBuild
          '';
        checkPhase =
          args.checkPhase or ''
            runHook preCheck
            (cd "$cargoWorkDir" && cargo test --frozen -j "$NIX_BUILD_CORES" $cargoTestFlagsList)
            runHook postCheck
          '';
        installPhase =
          args.installPhase or ''
            runHook preInstall
            mkdir -p "$out/bin"
            find "$CARGO_TARGET_DIR/$cargoTargetSubdir" -maxdepth 1 -type f -executable ! -name '*.so' ! -name '*.d' \
              -exec install -m755 -t "$out/bin" {} +
            for lib in "$CARGO_TARGET_DIR/$cargoTargetSubdir"/*.so "$CARGO_TARGET_DIR/$cargoTargetSubdir"/*.a; do
              [ -e "$lib" ] || continue
              install -Dm644 -t "$out/lib" "$lib"
            done
            rmdir --ignore-fail-on-non-empty "$out/bin"
            runHook postInstall
          '';
        passthru = (args.passthru or { }) // {
          cargoDeps = deps;
        };
      }
    );
in
{
  inherit buildRustPackage fetchCargoVendor importCargoLock;
  rust = {
    inherit (self) rustc cargo;
  };
  inherit (self) rustc cargo;
}
