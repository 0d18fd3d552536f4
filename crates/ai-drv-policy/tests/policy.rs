//! The policy against fixture derivations: every file in `tests/reject/` breaks exactly one
//! rule (named on its first line, `# rule: …`) at one line (`# line: …`), and every file in
//! `tests/accept/` — the dev corpus as the engine wrote it and legitimate tricky spellings —
//! passes, as do the nixpkgs-style files of `nix/tests/hostpkgs/corpus/`. Plus exact checks of the tricky spellings one by one.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use ai_drv_policy::{check, check_file, Rule, Violation};

fn fixtures(kind: &str) -> (PathBuf, Vec<PathBuf>) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join(kind);
    let mut files: Vec<PathBuf> = fs_err::read_dir(&dir)
        .expect("fixture directory")
        .map(|entry| entry.expect("directory entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "nix"))
        .collect();
    files.sort();
    (dir, files)
}

/// The `# rule:` and `# line:` header of a reject fixture.
fn header(path: &Path, text: &str) -> (Rule, u32) {
    let mut lines = text.lines();
    let rule = lines
        .next()
        .and_then(|line| line.strip_prefix("# rule: "))
        .and_then(Rule::from_name)
        .unwrap_or_else(|| {
            panic!(
                "{}: first line must be `# rule: <known rule>`",
                path.display()
            )
        });
    let line = lines
        .next()
        .and_then(|line| line.strip_prefix("# line: "))
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("{}: second line must be `# line: N`", path.display()));
    (rule, line)
}

fn show(found: &[Violation]) -> String {
    found
        .iter()
        .map(|v| format!("\n    {v}  [{}]", v.snippet))
        .collect()
}

#[test]
fn every_reject_file_breaks_exactly_its_rule_at_its_line() {
    let (dir, files) = fixtures("reject");
    assert!(files.len() >= 36, "only {} reject fixtures", files.len());
    let mut failures = Vec::new();
    let mut per_rule: BTreeMap<Rule, usize> = BTreeMap::new();
    for path in &files {
        let text = fs_err::read_to_string(path).expect("fixture");
        let (rule, line) = header(path, &text);
        *per_rule.entry(rule).or_default() += 1;
        let found = check(&text, Some(&dir));
        let rules: BTreeSet<Rule> = found.iter().map(|v| v.rule).collect();
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if rules != BTreeSet::from([rule]) {
            failures.push(format!(
                "{name}: expected only {rule}, got:{}",
                show(&found)
            ));
        } else if !found.iter().any(|v| v.line == line) {
            failures.push(format!(
                "{name}: expected {rule} at line {line}, got:{}",
                show(&found)
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    for rule in Rule::ALL {
        let count = per_rule.get(&rule).copied().unwrap_or(0);
        assert!(
            count >= 2,
            "rule {rule} has {count} reject fixtures, want at least 2"
        );
    }
}

#[test]
fn every_accept_file_passes() {
    let (dir, files) = fixtures("accept");
    // 37 dev-corpus derivations (lsof has none: it was never drafted) and 3 tricky ones.
    assert_eq!(files.len(), 40, "{files:?}");
    let mut failures = Vec::new();
    for path in &files {
        let text = fs_err::read_to_string(path).expect("fixture");
        let found = check(&text, Some(&dir));
        if !found.is_empty() {
            failures.push(format!("{}:{}", path.display(), show(&found)));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The hand-written nixpkgs-style files hostpkgs is tested with (sl, lz4, htop, hexyl, …), read
/// where they live, each against its own directory.
#[test]
fn the_nixpkgs_style_corpus_files_pass() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../nix/tests/hostpkgs/corpus");
    let mut checked = Vec::new();
    let mut failures = Vec::new();
    for entry in fs_err::read_dir(&dir).expect("corpus directory") {
        let path = entry.expect("directory entry").path();
        if path.extension().is_some_and(|ext| ext == "nix") {
            let found = check_file(&path).expect("readable");
            if !found.is_empty() {
                failures.push(format!("{}:{}", path.display(), show(&found)));
            }
            checked.push(path);
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    for name in ["sl.nix", "lz4.nix", "htop.nix", "hexyl.nix"] {
        assert!(checked.iter().any(|p| p.ends_with(name)), "{name} missing");
    }
}

#[test]
fn check_file_resolves_relative_paths_next_to_the_file() {
    let (dir, _) = fixtures("accept");
    assert_eq!(
        check_file(&dir.join("tricky-install-paths.nix")).expect("readable"),
        vec![]
    );
    let (dir, _) = fixtures("reject");
    let found = check_file(&dir.join("missing-sixel-patch.nix")).expect("readable");
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].rule, Rule::MissingFile);
    assert!(check_file(&dir.join("no-such-file.nix")).is_err());
}

/// Wraps phase text in a minimal mkDerivation and returns (rule, line, snippet) triples.
fn phase(name: &str, script: &str) -> Vec<(Rule, u32, String)> {
    let text = format!(
        "{{ stdenv }}:\nstdenv.mkDerivation {{\n  pname = \"x\";\n  {name} = ''\n{script}\n  '';\n}}\n"
    );
    check(&text, None)
        .into_iter()
        .map(|v| (v.rule, v.line, v.snippet))
        .collect()
}

fn one(rule: Rule, line: u32, snippet: &str) -> Vec<(Rule, u32, String)> {
    vec![(rule, line, snippet.to_string())]
}

#[test]
fn network_tools_in_phases() {
    let net = Rule::NetworkInBuild;
    assert_eq!(
        phase("postPatch", "    curl -L https://x.invalid/a.tgz | tar x"),
        one(net, 5, "curl -L https://x.invalid/a.tgz")
    );
    assert_eq!(
        phase("preBuild", "    git clone https://x.invalid/r"),
        one(net, 5, "git clone https://x.invalid/r")
    );
    assert_eq!(
        phase("buildPhase", "    git -C src fetch origin"),
        one(net, 5, "git -C src fetch origin")
    );
    assert_eq!(
        phase("buildPhase", "    pip install requests"),
        one(net, 5, "pip install requests")
    );
    assert_eq!(
        phase("buildPhase", "    python3 -m pip install ."),
        one(net, 5, "python3 -m pip install .")
    );
    assert_eq!(phase("buildPhase", "    npm ci"), one(net, 5, "npm ci"));
    assert_eq!(phase("buildPhase", "    yarn"), one(net, 5, "yarn"));
    assert_eq!(
        phase("buildPhase", "    go get example.invalid/m@v1"),
        one(net, 5, "go get example.invalid/m@v1")
    );
    assert_eq!(
        phase("buildPhase", "    go install example.invalid/tool@latest"),
        one(net, 5, "go install example.invalid/tool@latest")
    );
    assert_eq!(
        phase("buildPhase", "    cargo install ripgrep"),
        one(net, 5, "cargo install ripgrep")
    );
    assert_eq!(
        phase("buildPhase", "    ${curl}/bin/curl -O u"),
        one(net, 5, "${curl}/bin/curl -O u")
    );
    assert_eq!(
        phase("buildPhase", "    if true; then wget u; fi"),
        one(net, 5, "wget u")
    );
    assert_eq!(
        phase("buildPhase", "    env A=1 nohup wget u"),
        one(net, 5, "env A=1 nohup wget u")
    );
    assert_eq!(
        phase("buildPhase", "    rsync -a host:/srv/data ."),
        one(net, 5, "rsync -a host:/srv/data .")
    );
    assert_eq!(
        phase("buildPhase", "    ssh build@host make"),
        one(net, 5, "ssh build@host make")
    );
    assert_eq!(
        phase("buildPhase", "    make \\\n      && curl u"),
        one(net, 6, "curl u")
    );
}

#[test]
fn offline_spellings_are_not_network() {
    for script in [
        "    pip install --no-index --find-links dist foo",
        "    pip install --no-deps dist/foo-1.0-py3-none-any.whl",
        "    npm ci --offline",
        "    npm run build",
        "    cargo build --release",
        "    cargo install --path . --offline --root $out",
        "    go install ./cmd/...",
        "    go build -o $out/bin/x .",
        "    git init && git apply x.diff",
        "    rsync -a src/ $out/share/",
        "    # curl https://x.invalid is not needed",
        "    echo 'curl is a word here'",
        "    cat > $out/README <<EOF\n    curl u\n    EOF",
        "    CURL=curl make",
        "    $out/bin/curl --version",
        "    git --version",
        "    cargo install --path . --root $out",
        "    curl --unix-socket ./socket http://localhost/status",
    ] {
        assert_eq!(phase("buildPhase", script), vec![], "{script}");
    }
}

#[test]
fn writes_outside_the_outputs() {
    let write = Rule::WriteOutsideOutputs;
    assert_eq!(
        phase("installPhase", "    cp foo /usr/local/bin"),
        one(write, 5, "cp foo /usr/local/bin")
    );
    assert_eq!(
        phase("installPhase", "    echo x > /etc/x"),
        one(write, 5, "echo x > /etc/x")
    );
    assert_eq!(
        phase("installPhase", "    echo x >> ~/.profile"),
        one(write, 5, "echo x >> ~/.profile")
    );
    assert_eq!(
        phase("installPhase", "    install -Dt /usr/bin foo"),
        one(write, 5, "install -Dt /usr/bin foo")
    );
    assert_eq!(
        phase("installPhase", "    mkdir -p /opt/x"),
        one(write, 5, "mkdir -p /opt/x")
    );
    assert_eq!(
        phase("installPhase", "    ln -s $out/bin/x /usr/bin/x"),
        one(write, 5, "ln -s $out/bin/x /usr/bin/x")
    );
    assert_eq!(
        phase("installPhase", "    make install PREFIX=/usr/local"),
        one(write, 5, "make install PREFIX=/usr/local")
    );
    assert_eq!(
        phase("installPhase", "    make DESTDIR=/ install"),
        one(write, 5, "make DESTDIR=/ install")
    );
    assert_eq!(
        phase("installPhase", "    tar -C /opt -xf x.tar"),
        one(write, 5, "tar -C /opt -xf x.tar")
    );
    assert_eq!(
        phase("installPhase", "    dd if=x of=/dev/sda"),
        one(write, 5, "dd if=x of=/dev/sda")
    );
    assert_eq!(
        phase("installPhase", "    cp x $out/../y"),
        one(write, 5, "cp x $out/../y")
    );
    assert_eq!(
        phase("installPhase", "    echo x | tee /etc/motd"),
        one(write, 5, "tee /etc/motd")
    );
}

#[test]
fn writes_inside_the_build_are_fine() {
    for script in [
        "    substituteInPlace Makefile --replace-fail /usr/local $out",
        "    install -Dm755 foo $out/bin/foo",
        "    mkdir -p $TMPDIR/x /tmp/y /build/z",
        "    cp -r . $out/share/x",
        "    cp x ${placeholder \"out\"}/bin/",
        "    make >/dev/null 2>&1",
        "    echo done > /dev/stderr",
        "    ln -s /bin/sh $out/bin/sh",
        "    sed -i 's|/usr/bin|/bin|' Makefile",
        "    sh install.sh $out </dev/null",
        "    cp x \"$dev/include\" \"$man/share\"",
        "    make install PREFIX=$out",
        "    make install DESTDIR=$out PREFIX=/",
    ] {
        assert_eq!(phase("installPhase", script), vec![], "{script}");
    }
}

#[test]
fn privileges_and_destruction() {
    let privilege = Rule::PrivilegeEscalation;
    let destroy = Rule::DestructiveCommand;
    assert_eq!(
        phase("installPhase", "    sudo make install"),
        one(privilege, 5, "sudo make install")
    );
    assert_eq!(
        phase("installPhase", "    chmod u+s $out/bin/x"),
        one(privilege, 5, "chmod u+s $out/bin/x")
    );
    assert_eq!(
        phase("installPhase", "    chmod 4755 $out/bin/x"),
        one(privilege, 5, "chmod 4755 $out/bin/x")
    );
    assert_eq!(
        phase("installPhase", "    install -Dm6755 x $out/bin/x"),
        one(privilege, 5, "install -Dm6755 x $out/bin/x")
    );
    assert_eq!(
        phase("installPhase", "    setcap cap_net_raw+ep $out/bin/x"),
        one(privilege, 5, "setcap cap_net_raw+ep $out/bin/x")
    );
    assert_eq!(
        phase("installPhase", "    su -c 'make install'"),
        one(privilege, 5, "su -c 'make install'")
    );
    assert_eq!(
        phase("postInstall", "    rm -rf /"),
        one(destroy, 5, "rm -rf /")
    );
    assert_eq!(
        phase("postInstall", "    rm -rf /*"),
        one(destroy, 5, "rm -rf /*")
    );
    assert_eq!(
        phase("postInstall", "    rm -rf ~"),
        one(destroy, 5, "rm -rf ~")
    );
    assert_eq!(
        phase("postInstall", "    rm -fr \"$out/../..\""),
        one(destroy, 5, "rm -fr \"$out/../..\"")
    );
    assert_eq!(
        phase("postInstall", "    rm -r --no-preserve-root x"),
        one(destroy, 5, "rm -r --no-preserve-root x")
    );
    // Both rules when both apply.
    let both: Vec<Rule> = phase("installPhase", "    sudo cp x /usr/bin/")
        .into_iter()
        .map(|v| v.0)
        .collect();
    assert_eq!(both, vec![privilege, Rule::WriteOutsideOutputs]);
    for script in [
        "    chmod 755 $out/bin/x",
        "    chmod g-s x",
        "    rm -rf $out/share/doc build",
        "    chown $USER x",
    ] {
        assert_eq!(phase("installPhase", script), vec![], "{script}");
    }
}

#[test]
fn runtime_scripts_may_use_the_network_but_not_root() {
    let text = "{ writeShellScriptBin }:\nwriteShellScriptBin \"up\" ''\n  curl -o ~/.cache/x u\n  sudo rm -rf /\n''\n";
    let found: Vec<(Rule, u32)> = check(text, None)
        .into_iter()
        .map(|v| (v.rule, v.line))
        .collect();
    assert_eq!(
        found,
        vec![
            (Rule::PrivilegeEscalation, 4),
            (Rule::DestructiveCommand, 4)
        ]
    );
}

#[test]
fn build_scripts_of_run_command_are_phases() {
    let text = "{ runCommand }:\nrunCommand \"x\" { } ''\n  mkdir $out\n  wget u\n''\n";
    let found: Vec<(Rule, u32, String)> = check(text, None)
        .into_iter()
        .map(|v| (v.rule, v.line, v.reason))
        .collect();
    assert_eq!(
        found,
        vec![(
            Rule::NetworkInBuild,
            4,
            "`wget` in the runCommand script downloads at build time, where there is no network; \
             put the file in a fetcher (fetchurl, fetchzip) with a hash and use it from there"
                .to_string()
        )]
    );
}

fn nix(text: &str) -> Vec<(Rule, u32, String)> {
    check(text, None)
        .into_iter()
        .map(|v| (v.rule, v.line, v.snippet))
        .collect()
}

#[test]
fn builtins_through_every_spelling() {
    let exec = Rule::EvalExec;
    assert_eq!(
        nix("builtins.exec [ \"x\" ]"),
        one(exec, 1, "builtins.exec")
    );
    assert_eq!(
        nix("builtins.\"exec\" [ \"x\" ]"),
        one(exec, 1, "builtins.\"exec\"")
    );
    assert_eq!(
        nix("builtins.${\"exec\"} [ \"x\" ]"),
        one(exec, 1, "builtins.${\"exec\"}")
    );
    assert_eq!(nix("with builtins;\nexec [ \"x\" ]"), one(exec, 2, "exec"));
    assert_eq!(
        nix("with builtins; with lib;\nexec [ \"x\" ]"),
        one(exec, 2, "exec")
    );
    assert_eq!(
        nix("let inherit (builtins) exec;\nin exec [ ]"),
        one(exec, 1, "inherit (builtins) exec;")
    );
    assert_eq!(
        nix("let b = builtins; in\nb.exec [ ]"),
        one(exec, 2, "b.exec")
    );
    assert_eq!(
        nix("(builtins).importNative ./. \"f\""),
        one(exec, 1, "(builtins).importNative")
    );
    // A lexical binding shadows `with`; an attribute name is no reference.
    assert_eq!(nix("with builtins; let exec = x: x; in exec 1"), vec![]);
    assert_eq!(nix("{ exec = 1; builtins = { }; }"), vec![]);
    assert_eq!(
        nix("let builtins = { exec = 1; }; in builtins.exec"),
        vec![]
    );
}

#[test]
fn evaluation_time_fetches() {
    let fetch = Rule::EvalTimeFetch;
    assert_eq!(
        nix("builtins.fetchTarball \"https://x.invalid/a.tgz\""),
        one(
            fetch,
            1,
            "builtins.fetchTarball \"https://x.invalid/a.tgz\""
        )
    );
    assert_eq!(
        nix("fetchGit { url = \"u\"; }"),
        one(fetch, 1, "fetchGit { url = \"u\"; }")
    );
    assert_eq!(
        nix("builtins.fetchClosure { fromPath = x; }"),
        one(fetch, 1, "builtins.fetchClosure { fromPath = x; }")
    );
    assert_eq!(
        nix("builtins.fetchTarball { url = \"u\"; sha256 = \"\"; }"),
        vec![]
    );
    assert_eq!(
        nix("builtins.fetchGit { url = \"u\"; rev = \"abc\"; }"),
        vec![]
    );
    // callPackage's fetchurl is nixpkgs' fetcher, even under `with builtins;`.
    assert_eq!(
        nix("{ fetchurl }: with builtins; fetchurl { url = \"u\"; hash = \"\"; }"),
        vec![]
    );
    let impure = Rule::ImpureEval;
    assert_eq!(
        nix("builtins.getEnv \"HOME\""),
        one(impure, 1, "builtins.getEnv")
    );
    assert_eq!(
        nix("with builtins; currentTime"),
        one(impure, 1, "currentTime")
    );
}

#[test]
fn sandbox_escapes_and_fixed_outputs() {
    assert_eq!(
        nix("{ __noChroot = true; }"),
        one(Rule::SandboxEscape, 1, "__noChroot = true;")
    );
    assert_eq!(
        nix("{ \"__impure\" = true; }"),
        one(Rule::SandboxEscape, 1, "\"__impure\" = true;")
    );
    assert_eq!(nix("{ __contentAddressed = true; }"), vec![]);
    assert_eq!(
        nix("stdenv.mkDerivation {\n  outputHash = \"\";\n  outputHashMode = \"recursive\";\n}"),
        one(Rule::FixedOutputDerivation, 2, "outputHash = \"\";")
    );
    assert_eq!(
        nix("fetchurl { url = \"u\"; outputHash = \"\"; outputHashAlgo = \"sha256\"; }"),
        vec![]
    );
    assert_eq!(
        nix("fetchurl ({ url = \"u\"; } // { outputHash = \"\"; })"),
        vec![]
    );
}

#[test]
fn paths() {
    assert_eq!(
        nix("import <nixpkgs> { }"),
        one(Rule::SearchPath, 1, "<nixpkgs>")
    );
    assert_eq!(
        nix("builtins.readFile /etc/passwd"),
        one(Rule::AbsolutePath, 1, "/etc/passwd")
    );
    assert_eq!(nix("{ src = ~/src; }"), one(Rule::AbsolutePath, 1, "~/src"));
    assert_eq!(
        nix("{ src = /nix/store/${x}; }"),
        one(Rule::AbsolutePath, 1, "/nix/store/${x}")
    );
    assert_eq!(nix("{ src = ./.; }"), vec![]);
    assert_eq!(
        nix("import (pkgs.path + /pkgs/build-support/x.nix)"),
        vec![]
    );
    assert_eq!(nix("/. + name"), one(Rule::AbsolutePath, 1, "/."));
    assert_eq!(
        nix("\"${x}\" + /etc/passwd"),
        one(Rule::AbsolutePath, 1, "/etc/passwd")
    );
    assert_eq!(
        nix("{ patches = [ ./fix.patch ]; }"),
        one(Rule::MissingFile, 1, "./fix.patch")
    );
    assert_eq!(
        nix("{\n  src = ../src;\n}"),
        one(Rule::MissingFile, 2, "../src")
    );
    // Strings that hold paths are not path literals.
    assert_eq!(
        nix("{ configureFlags = [ \"--sysconfdir=/etc\" ]; homepage = \"https://x.invalid/~u\"; }"),
        vec![]
    );
}

#[test]
fn relative_paths_resolve_against_dir() {
    let (dir, _) = fixtures("accept");
    let text = "{ patches = [ ./fix.patch ./patches/${name}.patch ./gone.patch ]; src = ./.; }";
    let found: Vec<String> = check(text, Some(&dir))
        .into_iter()
        .map(|v| v.snippet)
        .collect();
    assert_eq!(
        found,
        vec![
            "./patches/${name}.patch".to_string(),
            "./gone.patch".to_string()
        ]
    );
}

#[test]
fn missing_hashes() {
    let missing = Rule::MissingHash;
    assert_eq!(
        nix("fetchFromGitHub { owner = \"o\"; repo = \"r\"; rev = \"v1\"; }"),
        one(
            missing,
            1,
            "fetchFromGitHub { owner = \"o\"; repo = \"r\"; rev = \"v1\"; }"
        )
    );
    assert_eq!(
        nix("python3.pkgs.fetchPypi { pname = \"a\"; version = \"1\"; }").len(),
        1
    );
    for fine in [
        "fetchurl { url = \"u\"; hash = \"\"; }",
        "fetchurl { url = \"u\"; hash = lib.fakeHash; }",
        "fetchzip { url = \"u\"; sha256 = lib.fakeSha256; }",
        "fetchgit { url = \"u\"; rev = \"r\"; sha256 = \"sha256-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\"; }",
        "fetchFromGitHub ({ owner = \"o\"; repo = \"r\"; } // srcInfo)",
        "fetchurl args",
        "rustPlatform.buildRustPackage { cargoLock.lockFile = x; }",
        "buildRustPackage (finalAttrs: { cargoHash = \"\"; })",
        "buildNpmPackage rec { npmDepsHash = \"\"; }",
    ] {
        assert_eq!(nix(fine), vec![], "{fine}");
    }
    assert_eq!(
        nix("rustPlatform.buildRustPackage { pname = \"x\"; }"),
        one(missing, 1, "rustPlatform.buildRustPackage")
    );
    assert_eq!(
        nix("buildGoModule { pname = \"x\"; }"),
        one(missing, 1, "buildGoModule")
    );
}

#[test]
fn broken_text_is_checked_as_far_as_it_parses() {
    // An unterminated attribute set: the walk still sees what rnix recovered.
    let text = "{ stdenv }:\nstdenv.mkDerivation {\n  __noChroot = true;\n  installPhase = ''\n    curl u\n  '';\n";
    let rules: Vec<(Rule, u32)> = check(text, None)
        .into_iter()
        .map(|v| (v.rule, v.line))
        .collect();
    assert_eq!(
        rules,
        vec![(Rule::SandboxEscape, 3), (Rule::NetworkInBuild, 5)]
    );
    assert_eq!(check("{ = ; ''", None), vec![]);
}

#[test]
fn reasons_show_interpolations_as_written() {
    let text = "{ stdenv, foo }:\nstdenv.mkDerivation {\n  installPhase = ''\n    cp x /usr/${foo.name}/bin\n    cp y ${placeholder \"out\"}/../z\n  '';\n}\n";
    let reasons: Vec<String> = check(text, None).into_iter().map(|v| v.reason).collect();
    assert_eq!(reasons.len(), 2, "{reasons:#?}");
    assert!(
        reasons[0].contains("writes to /usr/${…}/bin, outside the outputs"),
        "{}",
        reasons[0]
    );
    assert!(
        reasons[1].contains("writes to ${placeholder \"out\"}/../z, which climbs out"),
        "{}",
        reasons[1]
    );
}

#[test]
fn scripts_inside_strings_are_checked_too() {
    let net = Rule::NetworkInBuild;
    assert_eq!(
        phase("buildPhase", "    sh -c 'curl -O u'"),
        one(net, 5, "'curl -O u'")
    );
    assert_eq!(
        phase("buildPhase", "    bash -ec \"git clone u\""),
        one(net, 5, "\"git clone u\"")
    );
    assert_eq!(
        phase("buildPhase", "    eval \"wget u\""),
        one(net, 5, "\"wget u\"")
    );
    assert_eq!(
        phase("buildPhase", "    sh ./configure --prefix=$out"),
        vec![]
    );
    assert_eq!(
        phase("installPhase", "    sh -c 'cp x /usr/bin'"),
        one(Rule::WriteOutsideOutputs, 5, "'cp x /usr/bin'")
    );
}
