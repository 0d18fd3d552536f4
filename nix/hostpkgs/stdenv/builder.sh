# Builds the stdenv output: bin/ holds the base tools (symlinks into the build root, which the
# sandbox maps to /usr and /bin) and the compiler wrappers; `setup` is the generic builder.
set -eu
/bin/mkdir -p "$out/bin"
for tool in $baseTools; do
    target=""
    for dir in /usr/bin /bin /usr/sbin /sbin; do
        if [ -e "$dir/$tool" ]; then target="$dir/$tool"; break; fi
    done
    if [ -z "$target" ]; then
        echo "stdenv: the build root has no '$tool'; recreate it with scripts/setup" >&2
        exit 1
    fi
    /bin/ln -s "$target" "$out/bin/$tool"
done
/bin/ln -s /usr/bin/mawk "$out/bin/awk"
for pair in $compilers; do
    name="${pair%%=*}"
    /bin/sed "s|@compiler@|${pair#*=}|" "$ccWrapper" >"$out/bin/$name"
    /bin/chmod 555 "$out/bin/$name"
done
/bin/cp "$setup" "$out/setup"
