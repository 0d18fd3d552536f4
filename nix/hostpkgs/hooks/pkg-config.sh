# pkg-config's setup hook: pkg-config finds the .pc files of declared inputs, and only those.
_hostpkgsPkgConfigPath() {
    if [ "$2" = native ] && [ -n "${strictDeps:-}" ]; then return 0; fi
    addToSearchPath PKG_CONFIG_PATH "$1/lib/pkgconfig"
    addToSearchPath PKG_CONFIG_PATH "$1/share/pkgconfig"
}
addEnvHooks "$hostOffset" _hostpkgsPkgConfigPath
# The build root's own .pc directories are not inputs.
export PKG_CONFIG_LIBDIR=""
