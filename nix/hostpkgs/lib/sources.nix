# hostpkgs lib: source filtering (lib.sources) and small filesystem
# helpers (lib.filesystem).
#
# Semantics follow nixpkgs' lib/sources.nix: a filtered source is an
# attrset { _isLibCleanSourceWith; origSrc; filter; name; outPath } whose
# outPath is builtins.path of the original source, so filters compose.
# lib.fileset is NOT provided (it needs a large amount of machinery);
# use cleanSourceWith / sourceByRegex / sourceFilesBySuffices instead.
{ lib }:
let
  inherit (builtins) baseNameOf match readDir pathExists;
  inherit (lib.strings) hasPrefix hasSuffix removePrefix;

  toSourceAttributes = src:
    if src ? _isLibCleanSourceWith then { inherit (src) origSrc filter name; }
    else { origSrc = src; filter = _: _: true; name = "source"; };

  fromSourceAttributes = { origSrc, filter, name }: {
    _isLibCleanSourceWith = true;
    inherit origSrc filter name;
    outPath = builtins.path { inherit filter name; path = origSrc; };
  };
in
rec {
  sources = rec {
    # Drop version-control directories, editor backups, objects, result
    # symlinks and special files.
    cleanSourceFilter = name: type:
      let base = baseNameOf (toString name); in
      !((type == "directory" && builtins.elem base [ ".git" ".svn" "CVS" ".hg" ".jj" ".pijul" ])
        || hasSuffix "~" base
        || match "^\\.sw[a-z]$" base != null
        || match "^\\..*\\.sw[a-z]$" base != null
        || hasSuffix ".o" base || hasSuffix ".so" base
        || (type == "symlink" && hasPrefix "result" base)
        || type == "unknown");

    cleanSourceWith = { src, filter ? _: _: true, name ? null }:
      let orig = toSourceAttributes src; in
      fromSourceAttributes {
        inherit (orig) origSrc;
        filter = path: type: filter path type && orig.filter path type;
        name = if name != null then name else orig.name;
      };

    cleanSource = src: cleanSourceWith { filter = cleanSourceFilter; inherit src; };

    # Keep paths (relative to the source root) matching any of `regexes`.
    sourceByRegex = src: regexes:
      let root = toString (toSourceAttributes src).origSrc; in
      cleanSourceWith {
        inherit src;
        filter = path: _:
          let rel = removePrefix (root + "/") (toString path); in
          lib.lists.any (re: match re rel != null) regexes;
      };

    # Keep directories and files whose names end in one of `exts`.
    sourceFilesBySuffices = src: exts:
      cleanSourceWith {
        inherit src;
        filter = name: type:
          type == "directory" || lib.lists.any (e: hasSuffix e (baseNameOf (toString name))) exts;
      };

    pathType = filesystem.pathType;
    pathIsDirectory = filesystem.pathIsDirectory;
    pathIsRegularFile = filesystem.pathIsRegularFile;
    pathIsGitRepo = path: pathExists (toString path + "/.git");
    inherit toSourceAttributes;
  };

  filesystem = rec {
    # "directory", "regular", "symlink" or "unknown" (as readDir reports).
    pathType = path:
      if toString path == "/" then "directory"
      else (readDir (dirOf path)).${baseNameOf path}
        or (throw "lib.filesystem.pathType: path ${toString path} does not exist");
    pathIsDirectory = path: pathExists path && pathType path == "directory";
    pathIsRegularFile = path: pathExists path && pathType path == "regular";

    # All regular files below `dir`, as paths, depth first.
    listFilesRecursive = dir:
      lib.lists.flatten (lib.attrsets.mapAttrsToList
        (name: type: if type == "directory" then listFilesRecursive (dir + "/${name}") else dir + "/${name}")
        (readDir dir));
  };
}
