{ lib, stdenv, fetchurl, zlib, openssl }:

stdenv.mkDerivation (finalAttrs: {
  pname = "libevent";
  version = "2.1.12-stable";

  src = fetchurl {
    url = "mirror://debian/pool/main/libe/libevent/libevent_${finalAttrs.version}.orig.tar.gz";
    hash = "sha256-kubeG+nsF2Qo/SNnZ35hzv/C7hyxGQNQN6J9NGsEA7s=";
  };

  buildInputs = [ zlib openssl ];
  strictDeps = true;
  enableParallelBuilding = true;

  meta = {
    description = "More variables can be found by running cmake -LAH";
    license = lib.licenses.isc;
    mainProgram = "event_rpcgen.py";
    platforms = lib.platforms.unix;
  };
})
