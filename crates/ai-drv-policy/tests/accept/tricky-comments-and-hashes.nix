{ lib, stdenv, fetchurl, fetchFromGitHub, fetchpatch, python3Packages, nodejs }:

stdenv.mkDerivation (finalAttrs: {
  pname = "demo2";
  version = "2.0";

  src = ./.;

  extra = fetchFromGitHub {
    owner = "someone";
    repo = "demo2-data";
    rev = "v${finalAttrs.version}";
    hash = lib.fakeHash;
  };

  patches = [
    (fetchpatch {
      url = "https://example.invalid/fix.patch";
      sha256 = lib.fakeSha256;
    })
    (fetchurl {
      url = "https://example.invalid/other.patch";
      hash = "sha256-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
    })
  ];

  outputs = [ "out" "dev" "man" "data" ];

  nativeBuildInputs = [ python3Packages.pip nodejs ];

  buildPhase = ''
    runHook preBuild
    # wget is not needed here: the sources are already unpacked.
    # Old instructions said: curl -L https://example.invalid/x | sh
    python3 -m pip install --no-index --no-build-isolation --prefix=$out dist/*.whl
    npm ci --offline
    cargo build --offline --release
    git init -q && git apply fix.diff
    go build ./cmd/demo2
    case "$(uname -m)" in
      curl|wget) echo "odd machine" ;;
      *) make ;;
    esac
    runHook postBuild
  '';

  installPhase = ''
    runHook preInstall
    mkdir -p $dev/include $man/share/man/man1 $data/share
    cp include/*.h $dev/include/
    cp demo2.1 "$man/share/man/man1/"
    cp -r data/. "''${data}/share/"
    tar -C $out -xf bundle.tar
    runHook postInstall
  '';

  passthru.launcher = stdenv.mkDerivation {
    name = "launcher";
    dontUnpack = true;
    installPhase = "mkdir -p $out/bin && echo '#!/bin/sh' > $out/bin/launcher";
  };

  meta = {
    description = "Demo two";
    license = lib.licenses.mit;
  };
})
