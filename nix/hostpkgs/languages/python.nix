# python3Packages: Debian's Python modules (from the package table, merged in by ../default.nix)
# and nixpkgs' builders. A package is built into a wheel with pypa/build without isolation (its
# build backend must be among the inputs, as in nixpkgs), installed with pypa/installer, and its
# programs are wrapped so that they find the package's Python dependencies.
{ lib, self }:

let
  python = self.python3;
  sitePackages = "lib/python3.11/site-packages";

  buildPythonPackage =
    args@{
      pname ? null,
      version ? null,
      format ? null,
      pyproject ? null,
      build-system ? [ ],
      dependencies ? [ ],
      optional-dependencies ? { },
      propagatedBuildInputs ? [ ],
      nativeBuildInputs ? [ ],
      nativeCheckInputs ? [ ],
      pythonImportsCheck ? [ ],
      doCheck ? false,
      dontWrapPythonPrograms ? false,
      ...
    }:
    let
      wheel = format == "wheel";
    in
    self.stdenv.mkDerivation (
      builtins.removeAttrs args [
        "format"
        "pyproject"
        "build-system"
        "dependencies"
        "optional-dependencies"
        "pythonImportsCheck"
        "dontWrapPythonPrograms"
      ]
      // {
        name = args.name or "python3.11-${pname}-${version}";
        inherit doCheck;
        strictDeps = args.strictDeps or true;
        nativeBuildInputs = [
          python
          self.python3Packages.build
          self.python3Packages.installer
          self.makeWrapper
        ] ++ build-system ++ nativeBuildInputs;
        propagatedBuildInputs = [ python ] ++ dependencies ++ propagatedBuildInputs;
        pythonImportsCheckList = lib.concatStringsSep " " pythonImportsCheck;
        inherit sitePackages;
        dontConfigure = args.dontConfigure or true;
        buildPhase =
          args.buildPhase or (
            if wheel then
              ''
                runHook preBuild
                mkdir -p dist && cp "$src" dist/
                runHook postBuild
              ''
            else
              ''
                runHook preBuild
                python3 -m build --no-isolation --skip-dependency-check --wheel --outdir dist .
                runHook postBuild
              ''
          );
        installPhase =
          args.installPhase or ''
            runHook preInstall
            # Debian's Python installs into local/lib/python3.11/dist-packages by default (its
            # posix_local scheme); use the standard layout, lib/python3.11/site-packages, as nixpkgs.
            python3 - "$out" dist/*.whl <<'PY'
            import os, sys, sysconfig
            from installer import install
            from installer.destinations import SchemeDictionaryDestination
            from installer.sources import WheelFile
            prefix = sys.argv[1]
            base = dict(base=prefix, platbase=prefix, installed_base=prefix, installed_platbase=prefix)
            paths = sysconfig.get_paths(scheme="posix_prefix", vars=base)
            for wheel in sys.argv[2:]:
                with WheelFile.open(wheel) as source:
                    scheme = {key: paths[key] for key in ("purelib", "platlib", "scripts", "data")}
                    scheme["headers"] = os.path.join(paths["include"], source.distribution)
                    destination = SchemeDictionaryDestination(scheme, interpreter=sys.executable, script_kind="posix")
                    install(source, destination, {"INSTALLER": b"hostpkgs"})
            PY
            runHook postInstall
          '';
        checkPhase =
          args.checkPhase or ''
            runHook preCheck
            if python3 -c 'import pytest' 2>/dev/null; then python3 -m pytest; else python3 -m unittest discover; fi
            runHook postCheck
          '';
        postFixup =
          (args.postFixup or "")
          + lib.optionalString (!dontWrapPythonPrograms) ''
            # Programs find this package and its dependencies.
            pythonPath="$out/$sitePackages"
            for dep in ''${propagatedBuildInputs:-}; do
              for dir in "$dep/lib/python3/dist-packages" "$dep/$sitePackages"; do
                [ -d "$dir" ] && pythonPath="$pythonPath:$dir"
              done
              if [ -f "$dep/nix-support/propagated-build-inputs" ]; then
                for sub in $(cat "$dep/nix-support/propagated-build-inputs"); do
                  for dir in "$sub/lib/python3/dist-packages" "$sub/$sitePackages"; do
                    [ -d "$dir" ] && pythonPath="$pythonPath:$dir"
                  done
                done
              fi
            done
            if [ -d "$out/bin" ]; then
              for prog in "$out"/bin/*; do
                [ -f "$prog" ] && [ -x "$prog" ] || continue
                wrapProgram "$prog" --prefix PYTHONPATH : "$pythonPath"
              done
            fi
          '';
        doInstallCheck = args.doInstallCheck or (pythonImportsCheck != [ ]);
        installCheckPhase =
          args.installCheckPhase or ''
            runHook preInstallCheck
            for module in $pythonImportsCheckList; do
              echo "checking that $module can be imported"
              PYTHONPATH="$out/$sitePackages''${PYTHONPATH:+:$PYTHONPATH}" python3 -c "import $module"
            done
            runHook postInstallCheck
          '';
        passthru = (args.passthru or { }) // {
          pythonModule = python;
        };
      }
    );
in
{
  inherit buildPythonPackage;
  buildPythonApplication = buildPythonPackage;
  inherit python sitePackages;
}
