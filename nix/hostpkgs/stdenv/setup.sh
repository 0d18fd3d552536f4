# hostpkgs' generic builder: the phases and hooks of nixpkgs' stdenv, for builds that run in the
# Nix sandbox on top of a Debian build root (mapped to /bin /usr /lib /lib64). Sourced by every
# stdenv.mkDerivation build as `$stdenv/setup`, then `genericBuild` runs the phases.
#
# Strictness is the point: PATH starts with $stdenv/bin, an allowlist of the base tools nixpkgs'
# stdenv has (coreutils, findutils, diffutils, sed, grep, awk, tar, gzip, bzip2, xz, make, patch,
# bash, the C compiler and binutils), and only declared inputs add to it, to the compiler's
# include and library paths, and to PKG_CONFIG_PATH & co.

set -eu
set -o pipefail
shopt -s extglob

: "${outputs:=out}"
: "${NIX_BUILD_CORES:=1}"
if [ "$NIX_BUILD_CORES" -le 0 ]; then NIX_BUILD_CORES=$(nproc); fi
export NIX_BUILD_CORES
export SHELL=/bin/bash CONFIG_SHELL=/bin/bash
export HOME=/homeless-shelter
export SOURCE_DATE_EPOCH="${SOURCE_DATE_EPOCH:-315532800}"
export TZ=UTC
export PATH="$stdenv/bin"
export HOST_PATH=""
export NIX_CFLAGS_COMPILE="${NIX_CFLAGS_COMPILE:-}"
export NIX_LDFLAGS="${NIX_LDFLAGS:-}"
# The tool variables nixpkgs' cc-wrapper and binutils-wrapper setup hooks export (`make CC:=$(CC)`,
# `$CC -o foo foo.c` in a buildPhase rely on them).
if [ -x "$stdenv/bin/gcc" ]; then
    export CC="${CC:-gcc}" CXX="${CXX:-g++}"
    for _tool in ar as ld nm objcopy objdump ranlib readelf size strings strip; do
        _var="${_tool^^}"
        export "$_var=${!_var:-$_tool}"
    done
    unset _tool _var
fi
for output in $outputs; do
    if [ -z "${!output:-}" ]; then
        echo "hostpkgs: output '$output' has no path" >&2
        exit 1
    fi
done
prefix="${prefix:-$out}"

# --- Hooks -------------------------------------------------------------------------------------

# Run the implicit hook (a function or a string variable of that name) and then every entry of the
# array `<name>Hooks` (nixpkgs' convention: `runHook postInstall` runs $postInstall and
# ${postInstallHooks[@]}).
runHook() {
    local hookName="$1"
    shift
    _callImplicitHook "$hookName" "$@"
    local arrayName="${hookName%Hook}Hooks"
    if declare -p "$arrayName" >/dev/null 2>&1; then
        local -n hooks="$arrayName"
        local hook
        for hook in "${hooks[@]}"; do
            _eval "$hook" "$@"
        done
    fi
    return 0
}

_callImplicitHook() {
    local hookName="$1"
    shift
    if declare -F "$hookName" >/dev/null; then
        "$hookName" "$@"
    elif [ -n "${!hookName:-}" ]; then
        eval "${!hookName}"
    fi
}

_eval() {
    if declare -F "$1" >/dev/null; then
        "$@"
    else
        eval "$1"
    fi
}

appendToVar() {
    local -n ref="$1"
    shift
    ref="${ref:+$ref }$*"
}
prependToVar() {
    local -n ref="$1"
    shift
    ref="$*${ref:+ $ref}"
}

addToSearchPathWithCustomDelimiter() {
    local delimiter="$1" varName="$2" dir="$3"
    if [ -d "$dir" ]; then
        local -n ref="$varName"
        case "$delimiter${ref:-}$delimiter" in
            *"$delimiter$dir$delimiter"*) ;;
            *) export "$varName=${ref:+$ref$delimiter}$dir" ;;
        esac
    fi
}
addToSearchPath() { addToSearchPathWithCustomDelimiter ":" "$@"; }

# Setup hooks of inputs register functions here; each runs once per dependency as
# `hook <path> <native|host>` (host = buildInputs and what they propagate).
hostOffset=0
targetOffset=1
buildOffset=-1
envHooks=()
addEnvHooks() {
    shift # nixpkgs passes a platform offset first; hostpkgs has one platform
    envHooks+=("$@")
}

# --- Dependencies ------------------------------------------------------------------------------

nativePkgs=()
hostPkgs=()
declare -A _seenDeps=()

findInputs() {
    local pkg="$1" role="$2"
    [ -n "$pkg" ] || return 0
    if [ -n "${_seenDeps[$role:$pkg]:-}" ]; then return 0; fi
    _seenDeps[$role:$pkg]=1
    if [ ! -e "$pkg" ]; then
        echo "hostpkgs: input '$pkg' does not exist" >&2
        exit 1
    fi
    if [ "$role" = native ]; then nativePkgs+=("$pkg"); else hostPkgs+=("$pkg"); fi
    local file dep
    for file in propagated-build-inputs propagated-native-build-inputs; do
        if [ -f "$pkg/nix-support/$file" ]; then
            for dep in $(<"$pkg/nix-support/$file"); do
                if [ "$file" = propagated-native-build-inputs ]; then
                    findInputs "$dep" native
                else
                    findInputs "$dep" "$role"
                fi
            done
        fi
    done
}

for pkg in ${nativeBuildInputs:-} ${propagatedNativeBuildInputs:-}; do findInputs "$pkg" native; done
for pkg in ${buildInputs:-} ${propagatedBuildInputs:-}; do findInputs "$pkg" host; done

# Without strictDeps nixpkgs lets build inputs' programs and native inputs' libraries be found
# too; with strictDeps each only serves its own role.
_strict="${strictDeps:-}"

_activatePkg() {
    local pkg="$1" role="$2"
    if [ "$role" = native ] || [ -z "$_strict" ]; then
        addToSearchPath PATH "$pkg/bin"
    fi
    if [ "$role" = host ] || [ -z "$_strict" ]; then
        addToSearchPath HOST_PATH "$pkg/bin"
    fi
    if [ -f "$pkg/nix-support/setup-hook" ]; then
        # shellcheck disable=SC1091
        source "$pkg/nix-support/setup-hook"
    fi
}

for pkg in ${nativePkgs[@]+"${nativePkgs[@]}"}; do _activatePkg "$pkg" native; done
for pkg in ${hostPkgs[@]+"${hostPkgs[@]}"}; do _activatePkg "$pkg" host; done

# The compiler wrapper's part (nixpkgs' cc-wrapper setup hook): headers and libraries of host
# inputs, and of native ones only without strictDeps.
_ccEnvHook() {
    local pkg="$1" role="$2"
    if [ "$role" = native ] && [ -n "$_strict" ]; then return 0; fi
    if [ -d "$pkg/include" ]; then appendToVar NIX_CFLAGS_COMPILE "-isystem $pkg/include"; fi
    if [ -d "$pkg/lib" ]; then appendToVar NIX_LDFLAGS "-L$pkg/lib"; fi
}
envHooks=(_ccEnvHook ${envHooks[@]+"${envHooks[@]}"})

for pkg in ${nativePkgs[@]+"${nativePkgs[@]}"}; do
    for hook in "${envHooks[@]}"; do "$hook" "$pkg" native; done
done
for pkg in ${hostPkgs[@]+"${hostPkgs[@]}"}; do
    for hook in "${envHooks[@]}"; do "$hook" "$pkg" host; done
done
# Libraries a package installs into its own lib/ are found at run time.
appendToVar NIX_LDFLAGS "-Wl,-rpath,$prefix/lib"
export NIX_CFLAGS_COMPILE NIX_LDFLAGS

# --- Unpack ------------------------------------------------------------------------------------

stripHash() {
    local base
    base="$(basename "$1")"
    if [[ "$base" =~ ^[a-z0-9]{32}- ]]; then echo "${base:33}"; else echo "$base"; fi
}

unpackCmdHooks=(_defaultUnpack)
_defaultUnpack() {
    local fn="$1"
    if [ -d "$fn" ]; then
        cp -pr --reflink=auto -- "$fn" "$(stripHash "$fn")"
        return 0
    fi
    case "$fn" in
        *.tar | *.tar.* | *.tgz | *.tbz | *.tbz2 | *.txz | *.tlz | *.tzst)
            case "$fn" in
                *.zst | *.tzst)
                    if ! command -v zstd >/dev/null; then
                        echo "hostpkgs: cannot unpack $fn: add zstd to nativeBuildInputs" >&2
                        return 1
                    fi
                    ;;
            esac
            tar xf "$fn" --mode=+w --warning=no-timestamp
            ;;
        *.zip | *.ZIP | *.jar | *.whl)
            if ! command -v unzip >/dev/null; then
                echo "do not know how to unpack source archive $fn: add unzip to nativeBuildInputs" >&2
                return 1
            fi
            unzip -qq "$fn"
            ;;
        *) return 1 ;;
    esac
}

unpackFile() {
    curSrc="$1"
    echo "unpacking source archive $curSrc"
    if [ -n "${unpackCmd:-}" ]; then
        eval "$unpackCmd"
        return 0
    fi
    local hook
    for hook in "${unpackCmdHooks[@]}"; do
        if "$hook" "$curSrc"; then return 0; fi
    done
    echo "do not know how to unpack source archive $curSrc" >&2
    exit 1
}

unpackPhase() {
    runHook preUnpack
    local srcList="${srcs:-${src:-}}"
    if [ -z "$srcList" ]; then
        echo "hostpkgs: variable \$src or \$srcs should point to the source" >&2
        exit 1
    fi
    local dirsBefore="" i
    for i in *; do [ -d "$i" ] && dirsBefore+="$i "; done
    for i in $srcList; do unpackFile "$i"; done
    : "${sourceRoot=}"
    if [ -n "${setSourceRoot:-}" ]; then
        runHook setSourceRoot
    elif [ -z "$sourceRoot" ]; then
        local d
        for d in *; do
            if [ -d "$d" ]; then
                case " $dirsBefore " in *" $d "*) continue ;; esac
                if [ -n "$sourceRoot" ]; then
                    echo "unpacker produced multiple directories; set sourceRoot" >&2
                    exit 1
                fi
                sourceRoot="$d"
            fi
        done
    fi
    if [ -z "$sourceRoot" ]; then
        echo "unpacker appears to have produced no directories; set sourceRoot" >&2
        exit 1
    fi
    echo "source root is $sourceRoot"
    if [ "${dontMakeSourcesWritable:-0}" != 1 ]; then chmod -R u+w -- "$sourceRoot"; fi
    runHook postUnpack
}

# --- Patch, configure, build, check, install ---------------------------------------------------

patchPhase() {
    runHook prePatch
    local p uncompress
    for p in ${patches:-}; do
        echo "applying patch $p"
        case "$p" in
            *.gz) uncompress="gzip -d" ;;
            *.bz2) uncompress="bzip2 -d" ;;
            *.xz) uncompress="xz -d" ;;
            *) uncompress="cat" ;;
        esac
        $uncompress <"$p" | patch ${patchFlags:--p1}
    done
    runHook postPatch
}

# nixpkgs' *FlagsArray variables (set by hooks or preBuild/preConfigure, for flags with spaces):
# `_appendArray dest name…` appends each named array's elements to the array `dest`.
_appendArray() {
    local -n _dest="$1"
    shift
    local _name
    for _name in "$@"; do
        if declare -p "$_name" >/dev/null 2>&1; then
            local -n _src="$_name"
            _dest+=(${_src[@]+"${_src[@]}"})
            unset -n _src
        fi
    done
}

_findMakefile() {
    if [ -n "${makefile:-}" ] && [ -e "$makefile" ]; then return 0; fi
    [ -e Makefile ] || [ -e makefile ] || [ -e GNUmakefile ]
}

configurePhase() {
    runHook preConfigure
    if [ -z "${configureScript:-}" ] && [ -x ./configure ]; then
        configureScript=./configure
    fi
    if [ -z "${configureScript:-}" ]; then
        echo "no configure script, doing nothing"
        runHook postConfigure
        return 0
    fi
    local flags=()
    if [ -z "${dontAddPrefix:-}" ]; then flags+=("${prefixKey:---prefix=}$prefix"); fi
    if [ -f "$configureScript" ] && grep -q dependency-tracking "$configureScript" 2>/dev/null \
        && [ -z "${dontDisableDependencyTracking:-}" ]; then
        flags+=(--disable-dependency-tracking)
    fi
    # shellcheck disable=SC2206
    flags+=(${configureFlags:-})
    _appendArray flags configureFlagsArray
    echo "configure flags: ${flags[*]}"
    $configureScript "${flags[@]}"
    runHook postConfigure
}

_makeParallel() {
    if [ -n "${enableParallelBuilding:-}" ]; then
        echo "-j$NIX_BUILD_CORES"
    fi
}

buildPhase() {
    runHook preBuild
    if [ -z "${makeFlags:-}${buildFlags:-}" ] && ! _findMakefile; then
        echo "no Makefile or custom buildPhase, doing nothing"
    else
        local flags=()
        _appendArray flags makeFlagsArray buildFlagsArray
        # shellcheck disable=SC2046,SC2086
        make ${makefile:+-f $makefile} $(_makeParallel) SHELL="$SHELL" ${makeFlags:-} ${buildFlags:-} ${flags[@]+"${flags[@]}"}
    fi
    runHook postBuild
}

checkPhase() {
    runHook preCheck
    if ! _findMakefile; then
        echo "no Makefile, skipping check"
    else
        local target="${checkTarget:-}"
        if [ -z "$target" ]; then
            if make -n ${makefile:+-f $makefile} check >/dev/null 2>&1; then
                target=check
            elif make -n ${makefile:+-f $makefile} test >/dev/null 2>&1; then
                target=test
            fi
        fi
        if [ -z "$target" ]; then
            echo "no check/test target, doing nothing"
        else
            local flags=()
            _appendArray flags makeFlagsArray checkFlagsArray
            # shellcheck disable=SC2046,SC2086
            make ${makefile:+-f $makefile} $(_makeParallel) SHELL="$SHELL" ${makeFlags:-} ${checkFlags:-} ${flags[@]+"${flags[@]}"} $target
        fi
    fi
    runHook postCheck
}

installPhase() {
    runHook preInstall
    # As nixpkgs: without a Makefile (a build system whose hook is missing) there is nothing to do.
    if [ -z "${makeFlags:-}" ] && [ -z "${makefile:-}" ] && ! _findMakefile; then
        echo "no Makefile or custom installPhase, doing nothing"
        runHook postInstall
        return 0
    fi
    mkdir -p "$prefix"
    local flags=()
    _appendArray flags makeFlagsArray installFlagsArray
    # shellcheck disable=SC2086
    make ${makefile:+-f $makefile} SHELL="$SHELL" ${makeFlags:-} ${installFlags:-} ${flags[@]+"${flags[@]}"} ${installTargets:-install}
    runHook postInstall
}

installCheckPhase() {
    runHook preInstallCheck
    if _findMakefile && make -n ${makefile:+-f $makefile} installcheck >/dev/null 2>&1; then
        local flags=()
        _appendArray flags makeFlagsArray installCheckFlagsArray
        # shellcheck disable=SC2086
        make ${makefile:+-f $makefile} SHELL="$SHELL" ${makeFlags:-} ${installCheckFlags:-} ${flags[@]+"${flags[@]}"} installcheck
    fi
    runHook postInstallCheck
}

distPhase() {
    runHook preDist
    runHook postDist
}

# --- Fixup -------------------------------------------------------------------------------------

# Rewrite `#!` lines of executable files to interpreters from the inputs, as nixpkgs does.
# --host (the default in fixup) looks programs up on HOST_PATH (buildInputs: what exists at run
# time); --build looks them up on PATH. Interpreters of the base system (/bin/sh, /bin/bash) stay.
patchShebangs() {
    local pathName=PATH
    case "${1:-}" in
        --host) pathName=HOST_PATH; shift ;;
        --build) pathName=PATH; shift ;;
    esac
    local searchPath="${!pathName}"
    local f
    while IFS= read -r -d '' f; do
        [ -f "$f" ] || continue
        local first
        first="$(head -c 2 "$f" 2>/dev/null || true)"
        [ "$first" = "#!" ] || continue
        local line interp args cmd newPath
        line="$(head -n 1 "$f")"
        line="${line#\#!}"
        read -r interp args <<<"$line" || true
        case "$interp" in /nix/store/*) continue ;; esac
        if [ "$(basename "$interp")" = env ]; then
            read -r cmd args <<<"$args" || true
            if [ "$cmd" = "-S" ]; then read -r cmd args <<<"$args" || true; fi
        else
            cmd="$(basename "$interp")"
        fi
        case "$cmd" in sh | bash | dash) continue ;; esac
        newPath="$(PATH="$searchPath" command -v "$cmd" || true)"
        if [ -z "$newPath" ] || [[ "$newPath" != /nix/store/* ]]; then
            echo "patchShebangs: $f: interpreter '$cmd' is not among the inputs; add it to buildInputs" >&2
            continue
        fi
        newPath="$(readlink -f "$newPath" | sed 's|^\(/nix/store/[^/]*\).*|\1|')/bin/$cmd"
        [ -x "$newPath" ] || newPath="$(PATH="$searchPath" command -v "$cmd")"
        echo "patching script interpreter of $f: $interp -> $newPath"
        local rest
        rest="$(tail -n +2 "$f"; printf x)"
        local mode
        mode="$(stat -c %a "$f")"
        printf '%s\n%s' "#!$newPath${args:+ $args}" "${rest%x}" >"$f.tmp"
        mv "$f.tmp" "$f"
        chmod "$mode" "$f"
    done < <(find "$@" -type f -perm -0100 -print0)
}

_isElf() { [ "$(head -c 4 "$1" 2>/dev/null | od -An -c | tr -d ' ')" = '177ELF' ]; }

fixupPhase() {
    runHook preFixup
    local output dir
    for output in $outputs; do
        dir="${!output}"
        [ -e "$dir" ] || continue
        # nixpkgs' layout: lib64 and sbin are folded into lib and bin.
        if [ -d "$dir/lib64" ] && [ ! -L "$dir/lib64" ]; then
            mkdir -p "$dir/lib"
            cp -a "$dir/lib64/." "$dir/lib/" && rm -rf "$dir/lib64" && ln -s lib "$dir/lib64"
        fi
        if [ -d "$dir/sbin" ] && [ ! -L "$dir/sbin" ]; then
            mkdir -p "$dir/bin"
            cp -a "$dir/sbin/." "$dir/bin/" && rm -rf "$dir/sbin" && ln -s bin "$dir/sbin"
        fi
        if [ -z "${dontStrip:-}" ]; then
            local f
            for sub in bin lib libexec; do
                [ -d "$dir/$sub" ] || continue
                while IFS= read -r -d '' f; do
                    if _isElf "$f"; then strip -S -p "$f" 2>/dev/null || true; fi
                done < <(find "$dir/$sub" -type f -print0)
            done
        fi
        if [ -z "${dontPatchShebangs:-}" ]; then patchShebangs --host "$dir"; fi
    done
    if [ -n "${propagatedBuildInputs:-}" ]; then
        mkdir -p "$out/nix-support"
        echo "$propagatedBuildInputs" >"$out/nix-support/propagated-build-inputs"
    fi
    if [ -n "${propagatedNativeBuildInputs:-}" ]; then
        mkdir -p "$out/nix-support"
        echo "$propagatedNativeBuildInputs" >"$out/nix-support/propagated-native-build-inputs"
    fi
    if [ -n "${setupHook:-}" ]; then
        mkdir -p "$out/nix-support"
        substitute "$setupHook" "$out/nix-support/setup-hook" --subst-var out
    fi
    runHook postFixup
}

# --- Helpers used by derivations ---------------------------------------------------------------

substitute() {
    local input="$1" output="$2"
    shift 2
    if [ ! -f "$input" ]; then
        echo "substitute(): ERROR: file '$input' does not exist" >&2
        return 1
    fi
    local content
    content="$(cat "$input"; printf x)"
    content="${content%x}"
    while [ $# -gt 0 ]; do
        case "$1" in
            --replace | --replace-fail | --replace-warn | --replace-quiet)
                local pattern="$2" replacement="$3"
                if [ "$1" != --replace-quiet ] && [[ "$content" != *"$pattern"* ]]; then
                    if [ "$1" = --replace-fail ]; then
                        echo "substitute(): ERROR: pattern '$pattern' doesn't match anything in file '$input'" >&2
                        return 1
                    fi
                    echo "substitute(): WARNING: pattern '$pattern' doesn't match anything in file '$input'" >&2
                fi
                content="${content//"$pattern"/"$replacement"}"
                shift 3
                ;;
            --subst-var)
                local var="$2"
                content="${content//@$var@/${!var}}"
                shift 2
                ;;
            --subst-var-by)
                content="${content//@$2@/$3}"
                shift 3
                ;;
            *)
                echo "substitute(): ERROR: invalid argument '$1'" >&2
                return 1
                ;;
        esac
    done
    printf '%s' "$content" >"$output.tmp"
    if [ -e "$input" ] && [ "$input" = "$output" ]; then chmod --reference="$input" "$output.tmp" 2>/dev/null || true; fi
    mv "$output.tmp" "$output"
}
substituteInPlace() {
    local files=()
    while [ $# -gt 0 ] && [[ "$1" != --* ]]; do files+=("$1"); shift; done
    local f
    for f in "${files[@]}"; do substitute "$f" "$f" "$@"; done
}
substituteAll() {
    local input="$1" output="$2" args=() v
    for v in $(env | sed -n 's/^\([a-z][a-zA-Z0-9_]*\)=.*/\1/p'); do args+=(--subst-var "$v"); done
    substitute "$input" "$output" "${args[@]}"
}
substituteAllInPlace() { substituteAll "$1" "$1"; }

# --- The driver --------------------------------------------------------------------------------

showPhaseHeader() { echo "Running phase: $1"; }

genericBuild() {
    if [ -n "${buildCommandPath:-}" ]; then
        # shellcheck disable=SC1090
        source "$buildCommandPath"
        return
    fi
    if [ -n "${buildCommand:-}" ]; then
        eval "$buildCommand"
        return
    fi
    local phaseList="${phases:-${prePhases:-} unpackPhase patchPhase ${preConfigurePhases:-} configurePhase ${preBuildPhases:-} buildPhase checkPhase ${preInstallPhases:-} installPhase ${preFixupPhases:-} fixupPhase installCheckPhase ${preDistPhases:-} distPhase ${postPhases:-}}"
    local curPhase
    for curPhase in $phaseList; do
        case "$curPhase" in
            unpackPhase) [ -z "${dontUnpack:-}" ] || continue ;;
            patchPhase) [ -z "${dontPatch:-}" ] || continue ;;
            configurePhase) [ -z "${dontConfigure:-}" ] || continue ;;
            buildPhase) [ -z "${dontBuild:-}" ] || continue ;;
            checkPhase) [ -n "${doCheck:-}" ] || continue ;;
            installPhase) [ -z "${dontInstall:-}" ] || continue ;;
            fixupPhase) [ -z "${dontFixup:-}" ] || continue ;;
            installCheckPhase) [ -n "${doInstallCheck:-}" ] || continue ;;
            distPhase) [ -n "${doDist:-}" ] || continue ;;
        esac
        showPhaseHeader "$curPhase"
        if [ -n "${!curPhase:-}" ]; then
            eval "${!curPhase}"
        else
            "$curPhase"
        fi
        if [ "$curPhase" = unpackPhase ]; then
            cd -- "${sourceRoot:-.}"
        fi
    done
    for output in $outputs; do
        if [ ! -e "${!output}" ]; then
            echo "hostpkgs: builder did not create output '$output' (${!output})" >&2
            exit 1
        fi
    done
}

runHook postHook
