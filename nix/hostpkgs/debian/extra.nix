# What Debian's files need on top of the unpacking to behave like the nixpkgs attribute of the
# same name: setup hooks, and small fix-ups after unpacking.
{ lib, self }:

let
  hook = file: { setupHook = file; };

  # Replace bin/<program> with a bash script that sets M4 (the m4 among the attribute's
  # dependencies) and runs the original under its own name; `exports` adds lines of its own
  # (written for the script, so `$out` is expanded now and `\$VAR` then).
  wrapWithM4 = program: exports: ''
    m4=m4
    for dep in $propagated $runtime; do
      if [ -x "$dep/bin/m4" ]; then m4="$dep/bin/m4"; fi
    done
    mv "$out/bin/${program}" "$out/bin/.${program}-wrapped"
    cat >"$out/bin/${program}" <<EOF
    #!/bin/bash
    export M4="\''${M4-$m4}"
    ${exports}
    exec -a "\$0" "$out/bin/.${program}-wrapped" "\$@"
    EOF
    chmod 555 "$out/bin/${program}"
  '';
in
{
  "pkg-config" = hook ../hooks/pkg-config.sh;
  cmake = hook ../hooks/cmake.sh;
  # Installing, upstream meson drops from RUNPATH the directories of the libraries that
  # pkg-config found, which are the store paths of the inputs here; keep those, as nixpkgs' meson
  # does, so that the installed programs find their libraries.
  meson = hook ../hooks/meson.sh // {
    postUnpack = ''
      f="$out/lib/python3/dist-packages/mesonbuild/scripts/depfixer.py"
      chmod u+w "$f"
      sed -i 's|if not (rpath_dir in rpath_dirs_to_remove or|if rpath_dir.startswith(b"/nix/store/") or not (rpath_dir in rpath_dirs_to_remove or|' "$f"
      grep -q 'rpath_dir.startswith(b"/nix/store/")' "$f"
    '';
  };
  ninja = hook ../hooks/ninja.sh;
  # aclocal builds its two macro directories from split strings that the unpacking cannot
  # rewrite; point them at this output (share/aclocal holds no macros of its own here).
  automake = hook ../hooks/aclocal.sh // {
    postUnpack = ''
      mkdir -p "$out/share/aclocal"
      for f in "$out"/bin/aclocal-*; do
        sed -i -e "s|'/usr/share/aclocal-'|'$out/share/aclocal-'|" -e "s|'/usr/share/aclocal'|'$out/share/aclocal'|" "$f"
      done
    '';
  };
  # Debian's bison and flex run /usr/bin/m4 and bison reads its skeletons from /usr/share/bison,
  # which the build root does not have; bison's yacc script runs /usr/bin/bison. Point them at the
  # store (the variables stay overridable).
  bison.postUnpack = wrapWithM4 "bison" ''
    export BISON_PKGDATADIR="\''${BISON_PKGDATADIR-$out/share/bison}"
  '' + ''
    chmod u+w "$out/bin/bison.yacc"
    sed -i "s|^prefix=/usr\$|prefix=$out|" "$out/bin/bison.yacc"
  '';
  flex.postUnpack = wrapWithM4 "flex" "";
  # Perl modules of the inputs (perlPackages.*) on PERL5LIB.
  perl = hook ../hooks/perl.sh;
  python3 = {
    setupHook = ../hooks/python.sh;
    passthru = {
      pythonVersion = "3.11";
      sitePackages = "lib/python3.11/site-packages";
      executable = "python3";
    };
  };
  # Debian assembles the CA bundle at install time; do it here, at the path nixpkgs' cacert has.
  cacert.postUnpack = ''
    mkdir -p "$out/etc/ssl/certs"
    cat "$out"/share/ca-certificates/mozilla/*.crt > "$out/etc/ssl/certs/ca-bundle.crt"
    ln -sf ca-bundle.crt "$out/etc/ssl/certs/ca-certificates.crt"
  '';
}
