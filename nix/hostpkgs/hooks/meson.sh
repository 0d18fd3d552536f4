# meson's setup hook: `meson setup build` with nixpkgs' defaults; ninja builds and installs.
mesonConfigurePhase() {
    runHook preConfigure
    local flags=("--prefix=$prefix" --libdir=lib --libexecdir=libexec --bindir=bin --includedir=include
        --buildtype="${mesonBuildType:-plain}" --wrap-mode=nodownload -Dauto_features="${mesonAutoFeatures:-enabled}")
    # shellcheck disable=SC2206
    flags+=(${mesonFlags:-})
    echo "meson flags: ${flags[*]}"
    meson setup build "${flags[@]}"
    cd build
    if [ -z "${enableParallelBuilding+set}" ]; then enableParallelBuilding=1; fi
    runHook postConfigure
}
if [ -z "${dontUseMesonConfigure:-}" ] && [ -z "${configurePhase:-}" ]; then
    configurePhase=mesonConfigurePhase
fi
