# rule: eval-time-fetch
# line: 9
{ lib, stdenv }:

stdenv.mkDerivation {
  pname = "sl";
  version = "5.02";

  src = builtins.fetchTarball "https://github.com/mtoyoda/sl/archive/5.02.tar.gz";

  makeFlags = [ "CC:=$(CC)" ];
  installPhase = ''
    runHook preInstall
    install -Dm755 -t $out/bin sl
    runHook postInstall
  '';

  meta.license = lib.licenses.free;
}
