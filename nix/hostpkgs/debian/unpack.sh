# Turns Debian binary packages into one nixpkgs-style output: usr/ and the multiarch directories
# are flattened into bin/ lib/ include/ share/, symlinks and text files that name /usr paths now
# name the output, .pc files point at the output, and ELF files get an rpath to the output's lib/
# and to the lib/ of each propagated attribute, so that they run outside the build root too.
set -eu
export PATH=/usr/bin:/bin
root="$TMPDIR/root"
mkdir -p "$root" "$out"
for deb in $debs $closureDebs; do
    # Not `dpkg-deb -x`: it keeps setuid/setgid bits, which the sandbox refuses to set.
    dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$root" --no-same-permissions --no-same-owner
done
triplet=x86_64-linux-gnu

# Where a path of the Debian file system lands in the output (empty: dropped).
map_path() {
    case "$1" in
        /usr/lib/$triplet/* | /lib/$triplet/*) echo "$out/lib/${1#*/lib/$triplet/}" ;;
        /usr/lib/$triplet | /lib/$triplet) echo "$out/lib" ;;
        /usr/include/$triplet/*) echo "$out/include/${1#/usr/include/$triplet/}" ;;
        /usr/bin/* | /usr/sbin/* | /bin/* | /sbin/* | /usr/games/*) echo "$out/bin/${1##*/}" ;;
        /usr/lib/* | /lib/*) echo "$out/lib/${1#*/lib/}" ;;
        /usr/lib64/* | /lib64/*) echo "$out/lib/${1#*/lib64/}" ;;
        /usr/include/*) echo "$out/include/${1#/usr/include/}" ;;
        /usr/share/*) echo "$out/share/${1#/usr/share/}" ;;
        /usr/libexec/*) echo "$out/libexec/${1#/usr/libexec/}" ;;
        /etc/*) echo "$out/etc/${1#/etc/}" ;;
        /usr/local/* | /var/* | /run/*) echo "" ;;
        *) echo "$out/${1#/}" ;;
    esac
}

# Regular files first, then symlinks (whose targets are mapped the same way when they exist).
(cd "$root" && find . -type f) | while IFS= read -r rel; do
    dest="$(map_path "${rel#.}")"
    [ -n "$dest" ] || continue
    [ -e "$dest" ] && continue
    mkdir -p "$(dirname "$dest")"
    cp -p "$root/$rel" "$dest"
done
(cd "$root" && find . -type l) | while IFS= read -r rel; do
    src="${rel#.}"
    dest="$(map_path "$src")"
    [ -n "$dest" ] || continue
    [ -e "$dest" ] || [ -L "$dest" ] && continue
    target="$(readlink "$root/$rel")"
    case "$target" in
        /*) abs="$target" ;;
        *) abs="$(realpath -m -s "$(dirname "$src")/$target")" ;;
    esac
    mapped="$(map_path "$abs")"
    mkdir -p "$(dirname "$dest")"
    if [ -n "$mapped" ] && { [ -e "$root$abs" ] || [ -L "$root$abs" ]; }; then
        ln -s "$mapped" "$dest"
    else
        ln -s "$abs" "$dest"
    fi
done

# Commands that Debian's maintainer scripts make with update-alternatives (aclocal, automake,
# yacc…): the same links, read from the `--install` and `--slave` arguments of each postinst.
ctl="$TMPDIR/control"
for deb in $debs $closureDebs; do
    rm -rf "$ctl"
    dpkg-deb -e "$deb" "$ctl"
    [ -f "$ctl/postinst" ] || continue
    declare -A vars=()
    while IFS= read -r line; do
        if [[ "$line" =~ ^[[:space:]]*([A-Za-z_][A-Za-z0-9_]*)=([A-Za-z0-9_./+:-]*)[[:space:]]*$ ]]; then
            vars[${BASH_REMATCH[1]}]="${BASH_REMATCH[2]}"
            continue
        fi
        [[ "$line" == *update-alternatives*--install* ]] || continue
        # Longer names first (reverse order puts "version" before "ver").
        for v in $(printf '%s\n' "${!vars[@]}" | sort -r); do
            line="${line//\$\{$v\}/${vars[$v]}}"
            line="${line//\$$v/${vars[$v]}}"
        done
        line="${line//[\"\']/}"
        read -ra words <<<"${line#*--install}"
        pairs=("${words[0]:-}" "${words[2]:-}")
        for ((i = 4; i + 3 < ${#words[@]}; i++)); do
            if [ "${words[i]}" = --slave ]; then pairs+=("${words[i + 1]}" "${words[i + 3]}"); fi
        done
        for ((i = 0; i + 1 < ${#pairs[@]}; i += 2)); do
            link="${pairs[i]}" path="${pairs[i + 1]}"
            [[ "$link$path" == /* && "$link$path" != *'$'* ]] || continue
            dest="$(map_path "$link")" target="$(map_path "$path")"
            if [ -n "$dest" ] && [ -n "$target" ] && [ -e "$target" ] && [ ! -e "$dest" ] && [ ! -L "$dest" ]; then
                mkdir -p "$(dirname "$dest")"
                ln -s "$target" "$dest"
            fi
        done
    done < <(sed -e ':a' -e '/\\$/{N;s/\\\n//;ba}' "$ctl/postinst")
    unset vars
done

# Text files that name /usr paths of files now in the output are rewritten to the output.
rewrites=()
for top in share lib libexec include; do
    [ -d "$out/$top" ] || continue
    for entry in "$out/$top"/*; do
        name="${entry##*/}"
        rewrites+=(-e "s|/usr/$top/$triplet/$name\\b|$out/$top/$name|g" -e "s|/usr/$top/$name\\b|$out/$top/$name|g")
    done
done
# So do programs of this output and of the attributes it needs that scripts name by their
# /usr/bin path (aclocal runs /usr/bin/autom4te); `#!` lines stay (see the Python wrappers below).
for dep in $out $propagated $runtime; do
    [ -d "$dep/bin" ] || continue
    for entry in "$dep/bin"/*; do
        name="$(printf '%s' "${entry##*/}" | sed 's/[].[*^$\\#]/\\&/g')"
        rewrites+=(-e "2,\$ s#/usr/s\\?bin/$name\\([^A-Za-z0-9._+-]\\|\$\\)#$entry\\1#g")
    done
done
find "$out" -type f -size -4M | while IFS= read -r f; do
    case "$f" in *.h | *.hpp | *.gz | *.png | *.mo) continue ;; esac
    grep -Iq . "$f" 2>/dev/null || continue
    grep -q '/usr/' "$f" || continue
    if [ "${#rewrites[@]}" -gt 0 ]; then sed -i "${rewrites[@]}" "$f"; fi
done
for dir in "$out/lib/pkgconfig" "$out/share/pkgconfig"; do
    [ -d "$dir" ] || continue
    for pc in "$dir"/*.pc; do
        [ -e "$pc" ] || continue
        sed -i -e "s|/lib/$triplet\\b|/lib|g" -e "s|/include/$triplet\\b|/include|g" \
            -e "s|^prefix=/usr\$|prefix=$out|" -e "s|=/usr/|=$out/|g" "$pc"
    done
done

if [ -n "$patchelf" ]; then
    rpath="$out/lib"
    for dep in $propagated $runtime; do
        [ -d "$dep/lib" ] && rpath="$rpath:$dep/lib"
    done
    find "$out" -type f | while IFS= read -r f; do
        [ "$(head -c 4 "$f" | od -An -c | tr -d ' ')" = '177ELF' ] || continue
        "$patchelf" --print-rpath "$f" >/dev/null 2>&1 || continue
        chmod u+w "$f"
        "$patchelf" --set-rpath "$rpath" "$f"
    done
fi

# Debian's Python programs start with #!/usr/bin/python3, which the build root does not have, and
# find their modules in /usr/lib/python3/dist-packages: their #! line names instead an interpreter
# script of this output that runs the propagated python3 with this output's (and the propagated
# attributes') modules on PYTHONPATH. The programs stay Python files that run when executed
# directly (meson records its own path and ninja runs it).
python=""
pythonPath="$out/lib/python3/dist-packages"
for dep in $out $propagated $runtime; do
    if [ -z "$python" ] && [ -x "$dep/bin/python3" ]; then python="$dep/bin/python3"; fi
    if [ "$dep" != "$out" ] && [ -d "$dep/lib/python3/dist-packages" ]; then
        pythonPath="$pythonPath:$dep/lib/python3/dist-packages"
    fi
done
if [ -n "$python" ] && [ -d "$out/bin" ]; then
    interpreter="$out/libexec/hostpkgs/python3"
    for f in "$out"/bin/*; do
        [ -f "$f" ] && [ ! -L "$f" ] || continue
        [ "$(head -c 2 "$f")" = '#!' ] || continue
        line="$(head -n 1 "$f")"
        case "$line" in
            '#!/usr/bin/python3'* | '#! /usr/bin/python3'* | '#!/usr/bin/env python3'*)
                if [ ! -e "$interpreter" ]; then
                    mkdir -p "${interpreter%/*}"
                    printf '#!/bin/sh\nexport PYTHONPATH="%s${PYTHONPATH:+:$PYTHONPATH}"\nexec %s "$@"\n' \
                        "$pythonPath" "$python" >"$interpreter"
                    chmod 555 "$interpreter"
                fi
                args="$(printf '%s' "$line" | sed -E 's,^#! ?(/usr/bin/env )?[^ ]*python3[0-9.]*,,')"
                chmod u+w "$f"
                sed -i "1s|.*|#!$interpreter$args|" "$f"
                ;;
        esac
    done
fi

eval "${postUnpack:-}"

if [ -n "$propagated" ]; then
    mkdir -p "$out/nix-support"
    echo "$propagated" >"$out/nix-support/propagated-build-inputs"
fi
if [ -n "${setupHook:-}" ]; then
    mkdir -p "$out/nix-support"
    sed "s|@out@|$out|g" "$setupHook" >"$out/nix-support/setup-hook"
fi
