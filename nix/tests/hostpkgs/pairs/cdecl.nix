{ lib, stdenv, fetchurl, bison, flex, readline }:

stdenv.mkDerivation (finalAttrs: {
  pname = "cdecl";
  version = "2.5";

  src = fetchurl {
    url = "mirror://debian/pool/main/c/cdecl/cdecl_${finalAttrs.version}.orig.tar.gz";
    hash = "sha256-/7Lf18+ub1TkjbKgL48/9XroBhKqVR4PMsI/oU1VIVs=";
  };

  nativeBuildInputs = [ bison flex ];
  buildInputs = [ readline ];
  strictDeps = true;

  # K&R C.
  env.NIX_CFLAGS_COMPILE = "-std=gnu89";

  # A 1996 program: its own getline() and getopt() prototypes clash with today's C library.
  postPatch = ''
    sed -i -e 's/\bgetline\b/cdecl_getline/g' -e '/^  int getopt(int,char \*\*,char \*);$/d' cdecl.c
  '';

  makeFlags = [
    "CC:=$(CC)"
    "CFLAGS=-DUSE_READLINE"
    "LIBS=-lreadline"
    "BINDIR=$(out)/bin"
    "MANDIR=$(out)/share/man/man1"
  ];

  preInstall = ''
    mkdir -p $out/bin $out/share/man/man1
  '';

  doInstallCheck = true;
  installCheckPhase = ''
    runHook preInstallCheck
    echo 'explain int (*f)(char *)' | $out/bin/cdecl | grep 'pointer to function'
    runHook postInstallCheck
  '';

  meta = {
    description = "Translator between C declarations and English";
    license = lib.licenses.publicDomain;
    mainProgram = "cdecl";
    platforms = lib.platforms.unix;
  };
})
