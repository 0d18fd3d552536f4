# hostpkgs lib: system doubles and platform lists (lib.platforms and a
# minimal lib.systems).
#
# The doubles are those of nixpkgs' lib/systems/doubles.nix; the lists are
# derived from the "<cpu>-<os>" split instead of parsed system records.
# lib.systems.elaborate / parse / inspect are not provided.
{ lib }:
let
  inherit (builtins) filter elem head match;

  all = [
    "i686-cygwin" "x86_64-cygwin"
    "x86_64-darwin" "i686-darwin" "aarch64-darwin" "armv7a-darwin"
    "i686-freebsd" "x86_64-freebsd" "aarch64-freebsd"
    "aarch64-genode" "i686-genode" "x86_64-genode"
    "x86_64-solaris"
    "javascript-ghcjs"
    "aarch64-linux" "armv5tel-linux" "armv6l-linux" "armv7a-linux" "armv7l-linux"
    "i686-linux" "loongarch64-linux" "m68k-linux" "microblaze-linux" "microblazeel-linux"
    "mips-linux" "mips64-linux" "mips64el-linux" "mipsel-linux" "powerpc64-linux"
    "powerpc64le-linux" "riscv32-linux" "riscv64-linux" "s390-linux" "s390x-linux" "x86_64-linux"
    "mmix-mmixware"
    "aarch64-netbsd" "armv6l-netbsd" "armv7a-netbsd" "armv7l-netbsd" "i686-netbsd"
    "m68k-netbsd" "mipsel-netbsd" "powerpc-netbsd" "riscv32-netbsd" "riscv64-netbsd" "x86_64-netbsd"
    "aarch64_be-none" "aarch64-none" "arm-none" "armv6l-none" "avr-none" "i686-none"
    "microblaze-none" "microblazeel-none" "mips-none" "mips64-none" "msp430-none" "or1k-none"
    "m68k-none" "powerpc-none" "powerpcle-none" "riscv32-none" "riscv64-none" "rx-none"
    "s390-none" "s390x-none" "vc4-none" "x86_64-none"
    "i686-openbsd" "x86_64-openbsd"
    "x86_64-redox"
    "wasm64-wasi" "wasm32-wasi"
    "aarch64-windows" "x86_64-windows" "i686-windows"
  ];

  # "<cpu>-<os>" -> { cpu; os; }
  split = d: let m = match "([^-]+)-(.+)" d; in { cpu = head m; os = builtins.elemAt m 1; };
  onOs = oses: filter (d: elem (split d).os oses) all;
  onCpu = re: filter (d: match re (split d).cpu != null) all;

  platforms = rec {
    inherit all;
    none = [ ];

    # Operating systems
    linux = onOs [ "linux" ];
    darwin = onOs [ "darwin" ];
    freebsd = onOs [ "freebsd" ];
    openbsd = onOs [ "openbsd" ];
    netbsd = onOs [ "netbsd" ];
    bsd = freebsd ++ netbsd ++ openbsd;
    illumos = onOs [ "solaris" ];
    cygwin = onOs [ "cygwin" ];
    windows = onOs [ "windows" ];
    genode = onOs [ "genode" ];
    redox = onOs [ "redox" ];
    wasi = onOs [ "wasi" ];
    ghcjs = onOs [ "ghcjs" ];
    js = ghcjs;
    embedded = onOs [ "none" ];
    unix = onOs [ "linux" "darwin" "freebsd" "openbsd" "netbsd" "solaris" "cygwin" "redox" ];

    # CPU families
    x86_64 = onCpu "x86_64";
    i686 = onCpu "i686";
    x86 = x86_64 ++ i686;
    aarch64 = onCpu "aarch64(_be)?";
    aarch = aarch64 ++ arm;
    arm = onCpu "arm.*";
    riscv = onCpu "riscv(32|64)";
    riscv32 = onCpu "riscv32";
    riscv64 = onCpu "riscv64";
    power = onCpu "powerpc.*";
    mips = onCpu "mips.*";
    s390 = onCpu "s390x?";
    loongarch64 = onCpu "loongarch64";
    m68k = onCpu "m68k";
    microblaze = onCpu "microblaze(el)?";
    wasm = onCpu "wasm(32|64)";
    avr = onCpu "avr";

    # Systems with Mesa support, as listed by nixpkgs
    mesaPlatforms = [
      "i686-linux" "x86_64-linux" "x86_64-darwin" "armv5tel-linux" "armv6l-linux"
      "armv7l-linux" "armv7a-linux" "aarch64-linux" "powerpc64-linux" "powerpc64le-linux"
      "aarch64-darwin" "riscv64-linux"
    ];
  };
in
{
  inherit platforms;
  systems = {
    doubles = platforms;
    # Systems exposed in flake outputs by nixpkgs.
    flakeExposed = [
      "x86_64-linux" "aarch64-linux" "x86_64-darwin" "armv6l-linux" "armv7l-linux"
      "i686-linux" "aarch64-darwin" "powerpc64le-linux" "riscv64-linux" "x86_64-freebsd"
    ];
  };
}
