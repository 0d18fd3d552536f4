# Download for hostpkgs' fetchers (fixed-output): try each URL with curl, then run postFetch.
# shellcheck disable=SC1091
source "$stdenv/setup"
if [ -n "$downloadToTemp" ]; then downloadedFile="$TMPDIR/download"; else downloadedFile="$out"; fi
# The machine's own CA file, which newer Nix mounts into fixed-output builds (it knows the CA of a
# TLS-intercepting proxy), wins over Debian's bundle; without any file, as in nixpkgs, the hash
# alone vouches for the download.
if [ "${SSL_CERT_FILE:-}" != /no-cert-file.crt ] && [ -f /etc/ssl/certs/ca-certificates.crt ]; then
    export SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt
fi
tls=()
if [ ! -f "${SSL_CERT_FILE:-}" ]; then tls+=(--insecure); fi
ok=""
for url in $urls; do
    echo "trying $url"
    # shellcheck disable=SC2086
    if curl --location --fail --silent --show-error --retry 3 --connect-timeout 30 ${tls[@]+"${tls[@]}"} \
        --user-agent "hostpkgs-fetchurl" $curlOpts $curlOptsList --output "$downloadedFile" "$url"; then
        ok=1
        break
    fi
done
if [ -z "$ok" ]; then
    echo "error: cannot download $(basename "${urls%% *}") from any mirror" >&2
    exit 1
fi
if [ -n "$executable" ] && [ -z "$downloadToTemp" ]; then chmod +x "$downloadedFile"; fi
export downloadedFile
runHook postFetch
