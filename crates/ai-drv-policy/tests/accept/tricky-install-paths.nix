{ lib, stdenv, fetchurl, ncurses }:

stdenv.mkDerivation (finalAttrs: {
  pname = "demo";
  version = "1.0";

  src = fetchurl {
    url = "mirror://debian/pool/main/d/demo/demo_${finalAttrs.version}.orig.tar.gz";
    hash = "";
  };

  patches = [ ./fix.patch ];

  buildInputs = [ ncurses ];

  # The Makefile hard-codes /usr/local; point it at the output.
  postPatch = ''
    substituteInPlace Makefile --replace-fail /usr/local $out
    substituteInPlace src/paths.h \
      --replace-fail '"/bin/sh"' '"${stdenv.shell}"' \
      --replace-fail /etc/demo.conf $out/etc/demo.conf
    sed -i 's|/usr/share/demo|'"$out"'/share/demo|' Makefile
  '';

  makeFlags = [ "PREFIX=$(out)" "CC:=$(CC)" ];
  configureFlags = [ "--sysconfdir=/etc" ];

  preBuild = ''
    export HOME=$TMPDIR
    mkdir -p $TMPDIR/x "$HOME/.cache"
    echo "building in $PWD" > /dev/stderr
    make -C doc 2>/dev/null || true
  '';

  installPhase = ''
    runHook preInstall
    install -Dm755 demo $out/bin/demo
    install -Dm644 -t $out/share/man/man1 demo.1
    install -d $out/share/demo
    cp -r . $out/share/x
    ln -s $out/bin/demo $out/bin/demo-alias
    ln -s /bin/sh $out/share/demo/sh
    mkdir -p ${placeholder "out"}/lib
    echo "prefix=$out" > $out/share/demo/paths
    cat > "$out/share/demo/README" <<EOF
    curl is not used; copy /etc/demo.conf to ~/.config/demo by hand
    EOF
    chmod +x $out/bin/demo
    rm -rf $out/share/doc
    make install PREFIX=$out DESTDIR=
    runHook postInstall
  '';

  meta = {
    description = "Demo that uses curl and wget to fetch things, and sudo to install them";
    longDescription = ''
      Run `sudo demo --install /usr/local` after `curl -O` to get the data.
    '';
    license = lib.licenses.mit;
    mainProgram = "demo";
  };
})
