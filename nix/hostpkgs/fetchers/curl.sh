# Download for hostpkgs' fetchers (fixed-output): try each URL with curl, then run postFetch.
# shellcheck disable=SC1091
source "$stdenv/setup"
if [ -n "$downloadToTemp" ]; then downloadedFile="$TMPDIR/download"; else downloadedFile="$out"; fi
ok=""
for url in $urls; do
    echo "trying $url"
    # shellcheck disable=SC2086
    if curl --location --fail --silent --show-error --retry 3 --connect-timeout 30 \
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
