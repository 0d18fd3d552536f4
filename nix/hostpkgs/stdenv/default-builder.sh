# shellcheck disable=SC1091
source "$stdenv/setup"
genericBuild
