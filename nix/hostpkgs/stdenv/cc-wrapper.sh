#!/bin/bash
# hostpkgs' compiler wrapper, in the role of nixpkgs' cc-wrapper: the build root's compiler
# (@compiler@) sees the declared inputs through NIX_CFLAGS_COMPILE (-isystem <input>/include) and,
# when it links, NIX_LDFLAGS (-L<input>/lib, each also made an rpath so that the program finds its
# libraries at run time, outside the sandbox too).
link=1
for arg in "$@"; do
    case "$arg" in
        -c | -S | -E | -M | -MM | -fsyntax-only | -print-* | --version | -dumpversion | -dumpmachine) link=0 ;;
    esac
done
pre=()
for flag in ${NIX_CFLAGS_COMPILE-}; do pre+=("$flag"); done
post=()
if [ "$link" = 1 ]; then
    for flag in ${NIX_LDFLAGS-}; do
        case "$flag" in
            -L/nix/store/*) post+=("$flag" "-Wl,-rpath,${flag#-L}") ;;
            *) post+=("$flag") ;;
        esac
    done
fi
exec @compiler@ ${pre[@]+"${pre[@]}"} "$@" ${post[@]+"${post[@]}"}
