# Vendors the registry dependencies listed in a Cargo.lock into a directory cargo accepts as a
# `directory` source: one <name>-<version>/ per crate with a .cargo-checksum.json. Each download is
# checked against the checksum in Cargo.lock. Runs inside a fixed-output derivation.
set -eu
lock="$1"
out="$2"
if [ ! -f "$lock" ]; then
    echo "buildRustPackage: $lock does not exist; the source needs a Cargo.lock (run \`cargo generate-lockfile\` and add it as a patch)" >&2
    exit 1
fi
mkdir -p "$out"
tls=()
if [ -f /etc/ssl/certs/ca-certificates.crt ]; then
    export SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt
elif [ ! -f "${SSL_CERT_FILE:-}" ]; then
    tls+=(--insecure)
fi
# Cargo.lock's [[package]] tables → "name version source checksum" lines.
awk '
    /^\[\[package\]\]/ { if (name != "") print name, version, (source == "" ? "-" : source), (sum == "" ? "-" : sum); name = version = source = sum = ""; next }
    /^name = / { gsub(/"/, "", $3); name = $3 }
    /^version = / { gsub(/"/, "", $3); version = $3 }
    /^source = / { gsub(/"/, "", $3); source = $3 }
    /^checksum = / { gsub(/"/, "", $3); sum = $3 }
    END { if (name != "") print name, version, (source == "" ? "-" : source), (sum == "" ? "-" : sum) }
' "$lock" | sort -u | while read -r name version source sum; do
    case "$source" in
        -) continue ;; # a crate of this workspace
        registry+*) ;;
        *)
            echo "buildRustPackage: $name $version comes from $source; only registry dependencies can be vendored" >&2
            exit 1
            ;;
    esac
    if [ "$sum" = - ]; then
        echo "buildRustPackage: $name $version has no checksum in Cargo.lock" >&2
        exit 1
    fi
    crate="$TMPDIR/$name-$version.crate"
    curl --location --fail --silent --show-error --retry 3 ${tls[@]+"${tls[@]}"} --output "$crate" "$registryDl/$name/$version/download"
    got="$(sha256sum "$crate" | cut -d' ' -f1)"
    if [ "$got" != "$sum" ]; then
        echo "buildRustPackage: checksum mismatch for $name $version: Cargo.lock says $sum, the registry served $got" >&2
        exit 1
    fi
    mkdir -p "$out/$name-$version"
    tar xzf "$crate" -C "$out/$name-$version" --strip-components=1
    printf '{"files":{},"package":"%s"}\n' "$sum" >"$out/$name-$version/.cargo-checksum.json"
    echo "vendored $name $version"
done
