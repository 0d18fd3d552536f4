# nixpkgs' fetchers for hostpkgs. Plain `fetchurl` is Nix's own builtin fetcher (no dependencies);
# fetchers that post-process the download (fetchzip and everything built on it, `postFetch`) run
# Debian's curl in a fixed-output derivation, as nixpkgs runs its curl. Hashes mean what they mean
# in nixpkgs: flat for fetchurl, the NAR hash of the unpacked tree for fetchzip and the forges.
{
  lib,
  self,
  mirrorOf,
}:

let
  # mirror://NAME/PATH → the first configured mirror for NAME (see mirrorOf in ../default.nix).
  resolveUrl =
    url:
    let
      m = builtins.match "mirror://([^/]+)/(.*)" url;
    in
    if m == null then url else "${mirrorOf (builtins.elemAt m 0)}/${builtins.elemAt m 1}";

  pickHash =
    args:
    let
      h = args.hash or "";
      firstSet = lib.findFirst (n: (args.${n} or "") != "") null [
        "sha512"
        "sha256"
        "sha1"
      ];
    in
    if h != "" then
      {
        outputHash = h;
        outputHashAlgo = null;
      }
    else if firstSet != null then
      {
        outputHash = args.${firstSet};
        outputHashAlgo = firstSet;
      }
    else
      {
        outputHash = "";
        outputHashAlgo = "sha256";
      };

  urlsOf =
    args:
    let
      list = if args ? url && args.url != null then [ args.url ] else args.urls or [ ];
    in
    if list == [ ] then throw "fetchurl: give `url` or `urls`" else map resolveUrl list;

  fetchurlBoot =
    {
      url,
      sha256 ? "",
      hash ? "",
      name ? baseNameOf url,
      executable ? false,
    }:
    import <nix/fetchurl.nix> {
      inherit
        url
        sha256
        hash
        name
        executable
        ;
    };

  # A fixed-output derivation that downloads with curl and then runs `postFetch`.
  fetchWithCurl =
    {
      name,
      urls,
      hashArgs,
      recursiveHash ? false,
      executable ? false,
      downloadToTemp ? false,
      postFetch ? "",
      curlOpts ? "",
      curlOptsList ? [ ],
      nativeBuildInputs ? [ ],
      passthru ? { },
      meta ? { },
      extraEnv ? { },
    }:
    let
      h = pickHash hashArgs;
    in
    self.stdenvNoCC.mkDerivation (
      {
        inherit
          name
          urls
          postFetch
          curlOpts
          passthru
          meta
          ;
        curlOptsList = lib.concatStringsSep " " curlOptsList;
        downloadToTemp = downloadToTemp;
        executable = executable;
        builder = ./curl.sh;
        nativeBuildInputs = [ self.curl ] ++ nativeBuildInputs;
        # nixpkgs' rule: a download pinned by its hash needs no certificate check (curl.sh passes
        # --insecure when this file does not exist); one whose hash is still to be learnt does.
        SSL_CERT_FILE =
          if
            builtins.elem h.outputHash [
              ""
              lib.fakeHash
              lib.fakeSha256
              lib.fakeSha512
            ]
          then
            "${self.cacert}/etc/ssl/certs/ca-bundle.crt"
          else
            "/no-cert-file.crt";
        outputHash = h.outputHash;
        outputHashMode = if recursiveHash || executable then "recursive" else "flat";
        impureEnvVars = lib.fetchers.proxyImpureEnvVars;
        preferLocalBuild = true;
      }
      // lib.optionalAttrs (h.outputHashAlgo != null) { inherit (h) outputHashAlgo; }
      // extraEnv
    );

  fetchurl =
    args@{
      name ? null,
      pname ? null,
      version ? null,
      executable ? false,
      postFetch ? "",
      downloadToTemp ? false,
      recursiveHash ? false,
      curlOpts ? "",
      curlOptsList ? [ ],
      passthru ? { },
      meta ? { },
      ...
    }:
    let
      urls = urlsOf args;
      name' =
        if name != null then
          name
        else if pname != null && version != null then
          "${pname}-${version}"
        else
          lib.strings.sanitizeDerivationName (baseNameOf (builtins.head urls));
      h = pickHash args;
      simple = postFetch == "" && !downloadToTemp && !recursiveHash && curlOpts == "" && curlOptsList == [ ];
    in
    if simple then
      fetchurlBoot {
        url = builtins.head urls;
        name = name';
        inherit executable;
        hash = if h.outputHashAlgo == null then h.outputHash else "";
        sha256 =
          if h.outputHashAlgo == "sha256" then
            h.outputHash
          else if h.outputHashAlgo == null then
            ""
          else
            throw "fetchurl: hostpkgs' builtin fetcher takes `hash` or `sha256`; write the hash as `hash = \"sha512-…\"`";
      }
      // {
        inherit passthru meta;
        inherit urls;
      }
    else
      fetchWithCurl {
        name = name';
        inherit
          urls
          executable
          downloadToTemp
          postFetch
          recursiveHash
          curlOpts
          curlOptsList
          passthru
          meta
          ;
        hashArgs = args;
      };

  fetchzip =
    args@{
      name ? "source",
      stripRoot ? true,
      extension ? null,
      postFetch ? "",
      passthru ? { },
      meta ? { },
      ...
    }:
    fetchWithCurl {
      inherit name passthru meta;
      urls = urlsOf args;
      hashArgs = args;
      recursiveHash = true;
      downloadToTemp = true;
      nativeBuildInputs = [ self.unzip ];
      postFetch = ''
        unpackDir="$TMPDIR/unpack"
        mkdir "$unpackDir"
        cd "$unpackDir"
        renamed="$TMPDIR/download${lib.optionalString (extension != null) ".${extension}"}"
        ${lib.optionalString (extension != null) ''mv "$downloadedFile" "$renamed"; downloadedFile="$renamed"''}
        unpackFile "$downloadedFile"
        chmod -R +w "$unpackDir"
        ${
          if stripRoot then
            ''
              if [ "$(ls -A "$unpackDir" | wc -l)" != 1 ]; then
                echo "fetchzip: error: zip file must contain a single file or directory; use stripRoot = false" >&2
                exit 1
              fi
              fn=$(cd "$unpackDir" && ls -A)
              if [ -f "$unpackDir/$fn" ]; then
                mkdir "$out"
              fi
              mv "$unpackDir/$fn" "$out"
            ''
          else
            ''
              mv "$unpackDir" "$out"
            ''
        }
        ${postFetch}
        chmod 755 "$out"
      '';
    };

  githubArchive =
    {
      owner,
      repo,
      rev ? null,
      tag ? null,
      githubBase ? "github.com",
      ...
    }:
    let
      ref = if tag != null then "refs/tags/${tag}" else rev;
    in
    "https://${githubBase}/${owner}/${repo}/archive/${ref}.tar.gz";

  forgeArgs = [
    "owner"
    "repo"
    "rev"
    "tag"
    "githubBase"
    "domain"
    "group"
    "fetchSubmodules"
    "leaveDotGit"
    "deepClone"
    "private"
    "forceFetchGit"
    "sparseCheckout"
    "fetchLFS"
    "protocol"
  ];

  noGit =
    fetcher: args:
    if (args.fetchSubmodules or false) || (args.leaveDotGit or false) || (args.deepClone or false) || (args.forceFetchGit or false) then
      throw "${fetcher}: git checkouts (fetchSubmodules, leaveDotGit, deepClone) need git and the forge; hostpkgs fetches release archives only"
    else
      args;

  fetchFromGitHub =
    args:
    let
      a = noGit "fetchFromGitHub" args;
      rev = a.rev or a.tag or (throw "fetchFromGitHub: give `rev` or `tag`");
    in
    fetchzip (
      builtins.removeAttrs a forgeArgs
      // {
        name = a.name or "source";
        url = githubArchive a;
        passthru = (a.passthru or { }) // {
          gitRepoUrl = "https://${a.githubBase or "github.com"}/${a.owner}/${a.repo}.git";
          inherit rev;
          inherit (a) owner repo;
        };
      }
    );

  fetchFromGitLab =
    args:
    let
      a = noGit "fetchFromGitLab" args;
      domain = a.domain or "gitlab.com";
      slug = lib.concatStringsSep "/" ((lib.optional (a ? group && a.group != null) a.group) ++ [ a.owner a.repo ]);
      rev = if a ? tag && a.tag != null then a.tag else a.rev;
    in
    fetchzip (
      builtins.removeAttrs a forgeArgs
      // {
        name = a.name or "source";
        url = "https://${domain}/api/v4/projects/${lib.escapeURL slug}/repository/archive.tar.gz?sha=${lib.escapeURL rev}";
        passthru = (a.passthru or { }) // {
          gitRepoUrl = "https://${domain}/${slug}.git";
        };
      }
    );

  fetchFromCodeberg =
    args:
    let
      a = noGit "fetchFromCodeberg" args;
      domain = a.domain or "codeberg.org";
      rev = if a ? tag && a.tag != null then a.tag else a.rev;
    in
    fetchzip (
      builtins.removeAttrs a forgeArgs
      // {
        name = a.name or "source";
        url = "https://${domain}/${a.owner}/${a.repo}/archive/${rev}.tar.gz";
      }
    );

  fetchCrate =
    {
      crateName ? args.pname,
      pname ? null,
      version,
      unpack ? true,
      registryDl ? mirrorOf "crates",
      ...
    }@args:
    let
      url = "${lib.removeSuffix "/" registryDl}/${crateName}/${version}/download";
      rest = builtins.removeAttrs args [
        "crateName"
        "pname"
        "version"
        "unpack"
        "registryDl"
      ];
    in
    if unpack then
      fetchzip (
        rest
        // {
          name = "${crateName}-${version}.tar.gz";
          inherit url;
          extension = "tar.gz";
        }
      )
    else
      fetchurl (
        rest
        // {
          name = "${crateName}-${version}.tar.gz";
          inherit url;
        }
      );

  # PEP 503: an index names a project in lower case with runs of "-", "_" and "." as one "-".
  normalizePypiName = name: lib.concatStringsSep "-" (builtins.filter (x: builtins.isString x && x != "") (builtins.split "[-_.]+" (lib.toLower name)));

  fetchPypi =
    {
      pname,
      version,
      format ? "setuptools",
      extension ? "tar.gz",
      ...
    }@args:
    let
      rest = builtins.removeAttrs args [
        "pname"
        "version"
        "format"
        "extension"
        "dist"
        "python"
        "abi"
        "platform"
      ];
    in
    if format == "wheel" then
      throw "fetchPypi: wheels are not supported by hostpkgs; fetch the sdist (format = \"setuptools\")"
    else if builtins.match ".*/simple/?" (mirrorOf "pypi") != null then
      # The mirror is a package index (PEP 503) rather than PyPI's file host: find the file's
      # link on the project's index page, then download it. The hash is still the file's.
      fetchWithCurl {
        name = "${pname}-${version}.${extension}";
        urls = [ "${lib.removeSuffix "/" (mirrorOf "pypi")}/${normalizePypiName pname}/" ];
        hashArgs = rest;
        downloadToTemp = true;
        passthru = rest.passthru or { };
        meta = rest.meta or { };
        postFetch = ''
          file=${lib.escapeShellArg "${pname}-${version}.${extension}"}
          index="''${urls%% *}"
          href=""
          while IFS= read -r link; do
            case "''${link,,}" in
              "''${file,,}" | */"''${file,,}") href="$link"; break ;;
            esac
          done < <(grep -o 'href="[^"]*"' "$downloadedFile" | sed -e 's/^href="//' -e 's/"$//' -e 's/#.*//' -e 's/&amp;/\&/g')
          if [ -z "$href" ]; then
            echo "fetchPypi: the index page $index does not list $file" >&2
            exit 1
          fi
          case "$href" in
            http://* | https://*) ;;
            /*) href="$(echo "$index" | sed 's|^\([a-z]*://[^/]*\).*|\1|')$href" ;;
            *) href="$index$href" ;;
          esac
          echo "downloading $href"
          curl --location --fail --silent --show-error --retry 3 --connect-timeout 30 ''${tls[@]+"''${tls[@]}"} \
            --user-agent "hostpkgs-fetchurl" --output "$out" "$href"
        '';
      }
    else
      fetchurl (
        rest
        // {
          url = "mirror://pypi/${builtins.substring 0 1 pname}/${pname}/${pname}-${version}.${extension}";
        }
      );

  # nixpkgs' fetchpatch normalises the patch (patchutils) before hashing; hostpkgs has no
  # patchutils, so the hash is that of the file as served. Good for patches made by this set.
  fetchpatch =
    args@{
      stripLen ? 0,
      extraPrefix ? null,
      excludes ? [ ],
      includes ? [ ],
      revert ? false,
      relative ? null,
      ...
    }:
    if stripLen != 0 || extraPrefix != null || excludes != [ ] || includes != [ ] || revert || relative != null then
      throw "fetchpatch: stripLen, extraPrefix, excludes, includes, revert and relative need patchutils, which hostpkgs does not have"
    else
      fetchurl (builtins.removeAttrs args [ "stripLen" "extraPrefix" "excludes" "includes" "revert" "relative" ]);

  unsupportedGit =
    name: _:
    throw "${name}: hostpkgs cannot fetch git repositories (no git forge is reachable); use a release archive with fetchurl or fetchzip";
in
{
  inherit
    fetchurlBoot
    fetchurl
    fetchzip
    fetchFromGitHub
    fetchFromGitLab
    fetchFromCodeberg
    fetchCrate
    fetchPypi
    fetchpatch
    ;
  fetchpatch2 = fetchpatch;
  # nixpkgs' generic Gitea fetcher (Codeberg is a Gitea): same archive layout, `domain` given.
  fetchFromGitea = fetchFromCodeberg;
  fetchgit = unsupportedGit "fetchgit";
  fetchFromSourcehut = unsupportedGit "fetchFromSourcehut";
  fetchFromBitbucket = unsupportedGit "fetchFromBitbucket";
}
