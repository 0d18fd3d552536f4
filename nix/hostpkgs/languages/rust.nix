# rustPlatform.buildRustPackage: dependencies are vendored from the crates registry into a
# fixed-output derivation (hash: `cargoHash`) by reading Cargo.lock, and the build runs cargo
# offline against that directory, with Debian's Rust toolchain.
{ lib, self }:

let
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
        cargoWorkDir = if buildAndTestSubdir != null then buildAndTestSubdir else if cargoRoot != null then cargoRoot else ".";
        configurePhase =
          args.configurePhase or ''
            runHook preConfigure
            export CARGO_HOME="$NIX_BUILD_TOP/.cargo-home"
            mkdir -p "$CARGO_HOME"
            cat > "$CARGO_HOME/config.toml" <<CONFIG
            [source.crates-io]
            replace-with = "vendored-sources"
            [source.vendored-sources]
            directory = "$cargoDeps"
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
  inherit buildRustPackage fetchCargoVendor;
  rust = {
    inherit (self) rustc cargo;
  };
  inherit (self) rustc cargo;
}
