//! `ai-drv serve`: the ai-drv-server protocol and ai-drv's JSON API over HTTP.

use clap::Args;

use crate::error::Result;
use crate::printer::Printer;

/// Serve verified derivations over HTTP, speaking the original ai-drv-server protocol
/// (`/hash?req=…`, `/drv?hash=…`) that `mkAIDerivation` uses, plus a JSON API.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:5000")]
    pub listen: String,
    /// Require this bearer token (needed to listen on a non-loopback address).
    #[arg(long, env = "AI_DRV_TOKEN", hide_env_values = true)]
    pub token: Option<String>,
    /// Allow a non-loopback address without a token.
    #[arg(long)]
    pub insecure: bool,
}

pub fn run(_args: ServeArgs, _printer: &Printer) -> Result<()> {
    Err(super::not_yet_implemented("serve"))
}
