# hostpkgs' stdenv: `stdenv.mkDerivation` with nixpkgs' interface (phases and hooks, finalAttrs,
# overrideAttrs, passthru, meta, env, strictDeps…), building with the Debian build root's compiler
# and base tools inside the Nix sandbox. `withCC = false` gives stdenvNoCC.
{ lib, system }:

let
  shell = "/bin/bash";

  # The tools every build gets, as in nixpkgs' stdenv (initialPath + binutils); nothing else of the
  # build root is on PATH.
  baseTools = [
    # coreutils
    "[" "arch" "b2sum" "base32" "base64" "basename" "basenc" "cat" "chgrp" "chmod" "chown" "cksum"
    "comm" "cp" "csplit" "cut" "date" "dd" "df" "dir" "dircolors" "dirname" "du" "echo" "env"
    "expand" "expr" "factor" "false" "fmt" "fold" "groups" "head" "hostid" "id" "install" "join"
    "link" "ln" "logname" "ls" "md5sum" "mkdir" "mkfifo" "mknod" "mktemp" "mv" "nice" "nl" "nohup"
    "nproc" "numfmt" "od" "paste" "pathchk" "pr" "printenv" "printf" "ptx" "pwd" "readlink"
    "realpath" "rm" "rmdir" "seq" "sha1sum" "sha224sum" "sha256sum" "sha384sum" "sha512sum" "shred"
    "shuf" "sleep" "sort" "split" "stat" "stdbuf" "stty" "sum" "sync" "tac" "tail" "tee" "test"
    "timeout" "touch" "tr" "true" "truncate" "tsort" "tty" "uname" "unexpand" "uniq" "unlink" "vdir"
    "wc" "whoami" "yes"
    # findutils, diffutils, sed, grep, tar, compressors, make, patch, bash
    "find" "xargs" "cmp" "diff" "diff3" "sdiff" "sed" "grep" "egrep" "fgrep" "tar"
    "gzip" "gunzip" "zcat" "bzip2" "bunzip2" "bzcat" "xz" "unxz" "xzcat"
    "make" "gmake" "patch" "bash" "sh"
    # what configure scripts expect of a libc system
    "getconf" "getopt"
  ];
  binutils = [
    "addr2line" "ar" "as" "c++filt" "elfedit" "gprof" "ld" "ld.bfd" "ld.gold" "nm" "objcopy"
    "objdump" "ranlib" "readelf" "size" "strings" "strip" "cpp" "gcc-ar" "gcc-nm" "gcc-ranlib"
  ];

  hostPlatform = {
    inherit system;
    config = "x86_64-unknown-linux-gnu";
    isLinux = true;
    isDarwin = false;
    isWindows = false;
    isFreeBSD = false;
    isx86_64 = system == "x86_64-linux";
    isx86 = system == "x86_64-linux";
    isAarch64 = system == "aarch64-linux";
    isi686 = false;
    is64bit = true;
    isStatic = false;
    isMusl = false;
    isGnu = true;
    isUnix = true;
    libc = "glibc";
    extensions = {
      sharedLibrary = ".so";
      staticLibrary = ".a";
      executable = "";
      library = ".so";
    };
    parsed = {
      cpu.name = "x86_64";
      kernel.name = "linux";
    };
    linker = "bfd";
    uname = {
      system = "Linux";
      processor = "x86_64";
    };
    canExecute = _: true;
    emulatorAvailable = _: true;
    emulator = _: "";
  };

  makeStdenv =
    { withCC }:
    let
      drv = derivation {
        name = if withCC then "stdenv-hostpkgs" else "stdenv-nocc-hostpkgs";
        inherit system;
        builder = shell;
        args = [ "-e" ./builder.sh ];
        baseTools = lib.concatStringsSep " " (baseTools ++ lib.optionals withCC binutils);
        ccWrapper = if withCC then ./cc-wrapper.sh else "";
        setup = ./setup.sh;
        compilers = lib.optionalString withCC "gcc=/usr/bin/gcc cc=/usr/bin/gcc g++=/usr/bin/g++ c++=/usr/bin/g++";
      };
      cc = {
        isGNU = withCC;
        isClang = false;
        targetPrefix = "";
        libc = { };
        cc = { };
        pname = "gcc";
        version = "12";
        outPath = "${drv}";
      };
      self = drv // {
        inherit hostPlatform shell cc;
        buildPlatform = hostPlatform;
        targetPlatform = hostPlatform;
        inherit (hostPlatform) isLinux isDarwin isx86_64 isAarch64;
        isCygwin = false;
        isFreeBSD = false;
        isOpenBSD = false;
        isi686 = false;
        is64bit = true;
        isMips = false;
        hasCC = withCC;
        mkDerivation = mkDerivationWith self;
      };
    in
    self;

  # Turn the arguments of mkDerivation into a derivation. Like nixpkgs: pname/version → name,
  # dependency lists flattened (nulls dropped), `env` merged into the environment, meta and
  # passthru kept on the result, and the result can be changed with overrideAttrs.
  makeDerivation =
    stdenv: overrideAttrs: attrs:
    let
      name =
        attrs.name or (
          if attrs ? version then "${attrs.pname}-${attrs.version}" else attrs.pname or (throw "mkDerivation: neither `name` nor `pname` is set")
        );
      inputs = list: builtins.filter (x: x != null) (lib.flatten list);
      doCheck = attrs.doCheck or false;
      doInstallCheck = attrs.doInstallCheck or false;
      env = attrs.env or { };
      clashes = builtins.filter (n: attrs ? ${n}) (builtins.attrNames env);
      passthru = attrs.passthru or { };
      meta = {
        inherit name;
        platforms = lib.platforms.linux or [ system ];
      } // (attrs.meta or { });
      drvAttrs =
        builtins.removeAttrs attrs [
          "meta"
          "passthru"
          "env"
          "pos"
          "checkInputs"
          "nativeCheckInputs"
          "installCheckInputs"
          "nativeInstallCheckInputs"
          "__structuredAttrs"
          "builder"
          "realBuilder"
          "args"
          "enableParallelChecking"
          "separateDebugInfo"
          "hardeningDisable"
          "hardeningEnable"
        ]
        // env
        // {
          inherit name system doCheck doInstallCheck;
          builder = attrs.realBuilder or shell;
          args = attrs.args or [
            "-e"
            (attrs.builder or ./default-builder.sh)
          ];
          stdenv = stdenv;
          nativeBuildInputs = inputs (
            (attrs.nativeBuildInputs or [ ])
            ++ lib.optionals doCheck (attrs.nativeCheckInputs or [ ])
            ++ lib.optionals doInstallCheck (attrs.nativeInstallCheckInputs or [ ])
          );
          buildInputs = inputs (
            (attrs.buildInputs or [ ])
            ++ lib.optionals doCheck (attrs.checkInputs or [ ])
            ++ lib.optionals doInstallCheck (attrs.installCheckInputs or [ ])
          );
          propagatedBuildInputs = inputs (attrs.propagatedBuildInputs or [ ]);
          propagatedNativeBuildInputs = inputs (attrs.propagatedNativeBuildInputs or [ ]);
          strictDeps = attrs.strictDeps or false;
        };
      drv = derivation drvAttrs;
    in
    if clashes != [ ] then
      throw "mkDerivation ${name}: `${builtins.head clashes}` is set both in `env` and as an attribute; keep one"
    else
      drv
      // passthru
      // {
        inherit meta passthru overrideAttrs;
        inherit (drvAttrs) nativeBuildInputs buildInputs propagatedBuildInputs;
        overrideDerivation = f: derivation (drvAttrs // f drvAttrs);
      }
      // lib.optionalAttrs (attrs ? pname) { inherit (attrs) pname; }
      // lib.optionalAttrs (attrs ? version) { inherit (attrs) version; };

  # nixpkgs' extensible form: `mkDerivation (finalAttrs: { … })` sees its own final attributes,
  # and `overrideAttrs` accepts `prev: { … }` or `final: prev: { … }`.
  mkDerivationWith =
    stdenv: fnOrAttrs:
    let
      extensible =
        rattrs:
        let
          args = rattrs (args // { inherit finalPackage overrideAttrs; });
          finalPackage = makeDerivation stdenv overrideAttrs args;
          overrideAttrs =
            f0:
            let
              f =
                final: prev:
                let
                  x = f0 prev;
                in
                if builtins.isFunction x then f0 final prev else x;
            in
            extensible (
              final:
              let
                prev = rattrs final;
              in
              prev // (if builtins.isFunction f0 then f final prev else f0)
            );
        in
        finalPackage;
    in
    extensible (if builtins.isFunction fnOrAttrs then fnOrAttrs else (_: fnOrAttrs));
in
{
  stdenv = makeStdenv { withCC = true; };
  stdenvNoCC = makeStdenv { withCC = false; };
}
