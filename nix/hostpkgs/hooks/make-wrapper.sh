# makeWrapper / wrapProgram: shell wrappers that set up the environment of a program, with
# nixpkgs' flags (--set, --set-default, --unset, --prefix, --suffix, --add-flags, --append-flags,
# --chdir, --run, --argv0).
makeWrapper() {
    local original="$1" wrapper="$2"
    shift 2
    if [ ! -x "$original" ]; then
        echo "makeWrapper: '$original' does not exist or is not executable" >&2
        return 1
    fi
    local argv0="" flagsBefore="" flagsAfter=""
    mkdir -p "$(dirname "$wrapper")"
    {
        echo "#!/bin/bash"
        while [ $# -gt 0 ]; do
            case "$1" in
                --set) echo "export $2=$(printf %q "$3")"; shift 3 ;;
                --set-default) echo "export $2=\${$2-$(printf %q "$3")}"; shift 3 ;;
                --unset) echo "unset $2"; shift 2 ;;
                --prefix) echo "export $2=$(printf %q "$4")\${$2:+$(printf %q "$3")}\$$2"; shift 4 ;;
                --suffix) echo "export $2=\$$2\${$2:+$(printf %q "$3")}$(printf %q "$4")"; shift 4 ;;
                --prefix-each | --suffix-each)
                    local mode="$1" var="$2" sep="$3" item
                    for item in $4; do
                        if [ "$mode" = --prefix-each ]; then
                            echo "export $var=$(printf %q "$item")\${$var:+$(printf %q "$sep")}\$$var"
                        else
                            echo "export $var=\$$var\${$var:+$(printf %q "$sep")}$(printf %q "$item")"
                        fi
                    done
                    shift 4
                    ;;
                --add-flags) flagsBefore="$flagsBefore $2"; shift 2 ;;
                --append-flags) flagsAfter="$flagsAfter $2"; shift 2 ;;
                --chdir | --run-in) echo "cd $(printf %q "$2")"; shift 2 ;;
                --run) echo "$2"; shift 2 ;;
                --argv0) argv0="$2"; shift 2 ;;
                --inherit-argv0) argv0='$0'; shift ;;
                *) echo "makeWrapper: unknown argument '$1'" >&2; return 1 ;;
            esac
        done
        if [ -n "$argv0" ]; then
            echo "exec -a \"$argv0\" $(printf %q "$original")$flagsBefore \"\$@\"$flagsAfter"
        else
            echo "exec $(printf %q "$original")$flagsBefore \"\$@\"$flagsAfter"
        fi
    } >"$wrapper"
    chmod +x "$wrapper"
}
wrapProgram() {
    local prog="$1"
    shift
    local hidden
    hidden="$(dirname "$prog")/.$(basename "$prog")-wrapped"
    mv "$prog" "$hidden"
    makeWrapper "$hidden" "$prog" --inherit-argv0 "$@"
}
