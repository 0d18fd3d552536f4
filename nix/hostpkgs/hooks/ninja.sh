# ninja's setup hook: build, check and install with ninja when a build.ninja exists.
ninjaBuildPhase() {
    runHook preBuild
    ninja -j"${NIX_BUILD_CORES}" ${ninjaFlags:-} ${buildFlags:-}
    runHook postBuild
}
ninjaInstallPhase() {
    runHook preInstall
    ninja install ${ninjaFlags:-} ${installFlags:-}
    runHook postInstall
}
ninjaCheckPhase() {
    runHook preCheck
    ninja -j"${NIX_BUILD_CORES}" ${checkTarget:-test}
    runHook postCheck
}
_hostpkgsUseNinja() {
    [ -z "${dontUseNinjaBuild:-}" ] && [ -e build.ninja ]
}
# genericBuild evaluates these strings; the names inside call the generic phase functions.
if [ -z "${dontUseNinjaBuild:-}" ] && [ -z "${buildPhase:-}" ]; then
    buildPhase='if _hostpkgsUseNinja; then ninjaBuildPhase; else buildPhase; fi'
fi
if [ -z "${dontUseNinjaInstall:-}" ] && [ -z "${installPhase:-}" ]; then
    installPhase='if [ -e build.ninja ]; then ninjaInstallPhase; else installPhase; fi'
fi
if [ -z "${dontUseNinjaCheck:-}" ] && [ -z "${checkPhase:-}" ]; then
    checkPhase='if [ -e build.ninja ]; then ninjaCheckPhase; else checkPhase; fi'
fi
