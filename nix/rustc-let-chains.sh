#!/bin/sh
# RUSTC_WRAPPER for building ai-drv with a Rust older than 1.88 (hostpkgs' rustc is Debian's 1.85):
# genai has used `if let … && let …` (let chains, stable from Rust 1.88) since 0.4, and no genai
# release with the providers ai-drv needs avoids them. Rust 1.85 implements let chains behind the
# `let_chains` feature gate with the 2024 edition's semantics, so this opens that gate for the
# genai crate alone; every other crate is compiled exactly as cargo asked. Harmless with 1.88 and
# later (the gate is then a no-op). Used by nix/package.nix; by hand:
#   RUSTC_WRAPPER="$PWD/nix/rustc-let-chains.sh" cargo build --locked
rustc="$1"
shift
case " $* " in
*" --crate-name genai "*)
    RUSTC_BOOTSTRAP=1 exec "$rustc" -Zcrate-attr='feature(let_chains)' "$@"
    ;;
esac
exec "$rustc" "$@"
