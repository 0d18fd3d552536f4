# python3's setup hook: Python modules of every input are importable during the build.
_hostpkgsPythonPath() {
    local dir
    addToSearchPath PYTHONPATH "$1/lib/python3/dist-packages"
    for dir in "$1"/lib/python3.*/site-packages; do addToSearchPath PYTHONPATH "$dir"; done
}
addEnvHooks "$hostOffset" _hostpkgsPythonPath
export PYTHONDONTWRITEBYTECODE=1
