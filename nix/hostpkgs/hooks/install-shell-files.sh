# installShellFiles: installManPage and installShellCompletion, as in nixpkgs.
installManPage() {
    local page section dest
    for page in "$@"; do
        section="${page##*.}"
        [ "$section" = gz ] && { section="${page%.gz}"; section="${section##*.}"; }
        dest="${!outputMan:-$out}/share/man/man${section:0:1}"
        install -Dm644 -t "$dest" "$page"
    done
}
installShellCompletion() {
    local shell="" name="" arg
    while [ $# -gt 0 ]; do
        arg="$1"
        shift
        case "$arg" in
            --bash | --zsh | --fish) shell="${arg#--}"; continue ;;
            --name) name="$1"; shift; continue ;;
            --cmd) name="$1"; shift; continue ;;
        esac
        local sh="$shell" base
        if [ -z "$sh" ]; then
            case "$arg" in
                *.bash) sh=bash ;;
                *.zsh | _*) sh=zsh ;;
                *.fish) sh=fish ;;
                *) echo "installShellCompletion: cannot tell the shell of '$arg'; pass --bash, --zsh or --fish" >&2; return 1 ;;
            esac
        fi
        base="${name:-$(basename "$arg")}"
        case "$sh" in
            bash) install -Dm644 "$arg" "$out/share/bash-completion/completions/${base%.bash}" ;;
            zsh) install -Dm644 "$arg" "$out/share/zsh/site-functions/_${base#_}" && mv "$out/share/zsh/site-functions/_${base#_}" "$out/share/zsh/site-functions/$(basename "_${base#_}" .zsh)" ;;
            fish) install -Dm644 "$arg" "$out/share/fish/vendor_completions.d/${base%.fish}.fish" ;;
        esac
        name=""
    done
}
