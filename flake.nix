# ai-drv as a flake. No inputs: nixpkgs may be unreachable (it is on ai-drv's own build machines),
# so the package set is the repo's hostpkgs, Debian's packages, for each system it has pins for.
# With nixpkgs, use `lib.mkLib pkgs` or `overlays.default` on your own package set instead.
{
  description = "ai-drv: Nix derivations from plain words, built and checked before you get them";

  outputs =
    { self }:
    let
      # hostpkgs pins Debian's amd64 packages.
      systems = [ "x86_64-linux" ];
      forAllSystems =
        f:
        builtins.listToAttrs (
          map (system: {
            name = system;
            value = f system;
          }) systems
        );
      # nix/package.nix (ai-drv built with rustPlatform.buildRustPackage) may be missing in
      # older checkouts; without it the library still works, only recursive mode and the
      # package and app outputs are gone.
      hasPackage = builtins.pathExists ./nix/package.nix;

      mkLib =
        pkgs:
        import ./nix/lib {
          inherit pkgs;
          ai-drv = pkgs.ai-drv or null;
        };
    in
    {
      lib = {
        # The library for any package set (nixpkgs or hostpkgs): `(ai-drv.lib.mkLib pkgs).mkAIDerivation`.
        inherit mkLib;
        # The library for hostpkgs on x86_64-linux.
        inherit (mkLib self.hostpkgs.x86_64-linux) mkAIDerivation normalisePrompt;
      };

      # Adds `mkAIDerivation` and `ai-drv` to a package set.
      overlays.default = final: prev: {
        ai-drv = final.callPackage ./nix/package.nix { };
        mkAIDerivation =
          (import ./nix/lib {
            pkgs = final;
            ai-drv = final.ai-drv;
          }).mkAIDerivation;
      };

      # hostpkgs with the overlay: a package set for machines without nixpkgs. Not named
      # `legacyPackages`: `nix eval ai-drv#lib…` would then find hostpkgs' `lib` first.
      hostpkgs = forAllSystems (
        system:
        import ./nix/hostpkgs {
          inherit system;
          overlays = [ self.overlays.default ];
        }
      );

      packages = forAllSystems (
        system:
        if hasPackage then
          {
            default = self.hostpkgs.${system}.ai-drv;
            ai-drv = self.hostpkgs.${system}.ai-drv;
          }
        else
          { }
      );

      # `nix run` starts the server (arguments go to `ai-drv serve`).
      apps = forAllSystems (
        system:
        let
          pkgs = self.hostpkgs.${system};
        in
        if hasPackage then
          {
            default = {
              type = "app";
              program = "${pkgs.writeShellScript "ai-drv-serve" ''
                exec ${pkgs.ai-drv}/bin/ai-drv serve "$@"
              ''}";
            };
          }
        else
          { }
      );
    };
}
