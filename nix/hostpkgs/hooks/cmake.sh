# cmake's setup hook, as in nixpkgs: configure out of tree in build/, install into $prefix with
# nixpkgs' directory layout, find declared inputs through CMAKE_PREFIX_PATH.
_hostpkgsCmakePath() {
    if [ "$2" = native ] && [ -n "${strictDeps:-}" ]; then return 0; fi
    addToSearchPath CMAKE_PREFIX_PATH "$1"
}
addEnvHooks "$hostOffset" _hostpkgsCmakePath

cmakeConfigurePhase() {
    runHook preConfigure
    export CTEST_OUTPUT_ON_FAILURE=1
    : "${cmakeDir:=.}"
    if [ -z "${dontUseCmakeBuildDir:-}" ]; then
        mkdir -p "${cmakeBuildDir:=build}"
        cd "$cmakeBuildDir"
        cmakeDir="${cmakeDir:-.}"
        [ "$cmakeDir" = . ] && cmakeDir=..
    fi
    local flags=(
        "-DCMAKE_INSTALL_PREFIX=$prefix"
        "-DCMAKE_BUILD_TYPE=${cmakeBuildType:-Release}"
        -DCMAKE_INSTALL_BINDIR=bin -DCMAKE_INSTALL_SBINDIR=sbin -DCMAKE_INSTALL_LIBDIR=lib
        -DCMAKE_INSTALL_INCLUDEDIR=include -DCMAKE_INSTALL_DATAROOTDIR=share
        -DCMAKE_INSTALL_LIBEXECDIR=libexec -DCMAKE_INSTALL_MANDIR=share/man
        -DCMAKE_SKIP_BUILD_RPATH=ON -DCMAKE_INSTALL_RPATH="$prefix/lib"
        -DCMAKE_EXPORT_NO_PACKAGE_REGISTRY=ON -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF
    )
    if [ -z "${dontUseNinjaBuild:-}" ] && command -v ninja >/dev/null; then flags+=(-GNinja); fi
    # shellcheck disable=SC2086,SC2206
    flags+=(${cmakeFlags:-})
    echo "cmake flags: ${flags[*]}"
    cmake "$cmakeDir" "${flags[@]}"
    if [ -z "${enableParallelBuilding+set}" ]; then enableParallelBuilding=1; fi
    runHook postConfigure
}
if [ -z "${dontUseCmakeConfigure:-}" ] && [ -z "${configurePhase:-}" ]; then
    configurePhase=cmakeConfigurePhase
fi
