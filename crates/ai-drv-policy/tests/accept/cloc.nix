{ lib, stdenv, fetchurl, perl, perlPackages, makeWrapper }:

stdenv.mkDerivation (finalAttrs: {
  pname = "cloc";
  version = "1.96";

  src = fetchurl {
    url = "mirror://debian/pool/main/c/cloc/cloc_${finalAttrs.version}.orig.tar.xz";
    hash = "sha256-Vg4R7Mc8B5KKu5VqNV2FZEgfygySl10kNXNV6wu44W8=";
  };
  postUnpack = "sourceRoot=$sourceRoot/Unix";

  nativeBuildInputs = [ perl makeWrapper ];
  strictDeps = true;
  enableParallelBuilding = true;
  dontConfigure = true;

  makeFlags = [
    "prefix=$(out)"
    "CC:=$(CC)"
  ];
  buildInputs = [
    perlPackages.RegexpCommon
    perl
    perlPackages.AlgorithmDiff
    perlPackages.ParallelForkManager
  ];
  postFixup = ''
    # ai-drv: wrap Perl programs (their modules are on PERL5LIB only during the build)
    for f in "$out"/bin/*; do
      [ -f "$f" ] && [ -x "$f" ] || continue
      case "$(head -n 1 "$f")" in
        '#!'*perl*) wrapProgram "$f" --prefix PERL5LIB : "$PERL5LIB" ;;
      esac
    done
  '';

  meta = {
    description = "Count physical lines of source code in the given files";
    license = lib.licenses.gpl2Plus;
    platforms = lib.platforms.unix;
  };
})
