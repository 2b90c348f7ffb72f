//! `bkash-sim`: the bKash simulator on its own, for trainers and manual tests.

use bkash_sim::{SimConfig, SimServer};

const HELP: &str = "bkash-sim: a local bKash (Checkout 1.2.0-beta and Tokenized) for training and tests

USAGE:
    bkash-sim [--port N] [--token-budget N] [--duplicate-window SECS]

OPTIONS:
    --port N                 port on 127.0.0.1 (default 8089; 0 picks a free one)
    --token-budget N         token grants + refreshes per merchant per hour (default 2)
    --duplicate-window SECS  same wallet + amount within SECS gets 2029 (default 300)
    -h, --help               this text

The published sandbox credentials are accepted. Customer: any 01XXXXXXXXX
wallet, OTP 123456, PIN 12121; 01823074817 has insufficient balance and
01823074818 is debit-blocked. The control API is under /__sim/ (see README).";

fn parse_args() -> Result<(u16, SimConfig), String> {
    let mut port = 8089u16;
    let mut config = SimConfig::default();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = |name: &str| args.next().ok_or_else(|| format!("{name} needs a value"));
        match arg.as_str() {
            "-h" | "--help" => {
                println!("{HELP}");
                std::process::exit(0);
            }
            "--port" => port = value("--port")?.parse().map_err(|_| "--port must be a number from 0 to 65535".to_string())?,
            "--token-budget" => {
                config.token_budget_per_hour =
                    value("--token-budget")?.parse().map_err(|_| "--token-budget must be a whole number".to_string())?
            }
            "--duplicate-window" => {
                config.duplicate_window_secs =
                    value("--duplicate-window")?.parse().map_err(|_| "--duplicate-window must be seconds".to_string())?
            }
            other => return Err(format!("unknown argument `{other}` (try --help)")),
        }
    }
    Ok((port, config))
}

#[tokio::main]
async fn main() {
    let (port, config) = match parse_args() {
        Ok(parsed) => parsed,
        Err(e) => {
            eprintln!("bkash-sim: {e}");
            std::process::exit(2);
        }
    };
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()))
        .init();
    let server = match SimServer::start(config, port).await {
        Ok(server) => server,
        Err(e) => {
            eprintln!("bkash-sim: cannot listen on 127.0.0.1:{port}: {e}");
            std::process::exit(1);
        }
    };
    println!("bkash-sim listening on {}", server.base_url());
    println!("  Checkout API base: {}", server.checkout_base_url());
    println!("  checkout script:   {}", server.script_url());
    println!("  control API:       {}/__sim/", server.base_url());
    let _ = tokio::signal::ctrl_c().await;
    server.shutdown();
}
