//! `shortcrust devnet --validators N`: a many-validator chain on this machine. Generates N
//! validator keys, one shared dev genesis (the funded dev accounts of `node --dev`) and one
//! configuration file per validator, starts each validator as its own process
//! (`shortcrust node --config FILE`, talking authenticated p2p over loopback), prints their
//! RPC addresses and the dev accounts, and stops them cleanly (SIGTERM, then SIGKILL after
//! [`STOP_GRACE`]) on Ctrl-C or SIGTERM.
//!
//! A validator that exits on its own is reported and not restarted: with N = 3f + 1, the chain
//! goes on without f of them, which is what a devnet is for trying.
//!
//! # Layout of `--dir`
//!
//! `genesis.json`, and per validator `validator-<i>/`: `config.toml`, `key` (its secret seed:
//! DEV ONLY, stored unencrypted), `node/` (its node directory) and `log.txt` (its output).

use std::io::{BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::Ordering;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use clap::Args;
use serde_json::json;
use shortcrust_node::validator::{Peer, ValidatorConfig, generate_seed, public_key_hex};
use shortcrust_node::{dev_accounts_text, dev_genesis};

use crate::error::CliError;
use crate::load::{LoadKind, run_load};
use crate::report::Report;

/// How long a validator has to stop after SIGTERM before it is killed.
pub const STOP_GRACE: Duration = Duration::from_secs(10);
/// How long a validator has to open its directory and print its RPC address.
const START_TIMEOUT: Duration = Duration::from_secs(60);

#[derive(Args, Debug)]
pub struct DevnetArgs {
    /// Number of validators (4 tolerates one faulty validator: n = 3f + 1).
    #[arg(long, default_value_t = 4, value_parser = clap::value_parser!(u16).range(1..=64))]
    pub validators: u16,
    /// Directory for the keys, configurations and node directories; kept after the devnet
    /// stops (default: a fresh temporary directory, removed at exit).
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
    /// First port: validator i listens for peers on BASE + 2i and serves RPC on BASE + 2i + 1
    /// (default: free ports picked by the system).
    #[arg(long, value_name = "PORT")]
    pub base_port: Option<u16>,
    /// How long an idle leader waits for transactions before proposing an empty block.
    #[arg(long, value_name = "MS", default_value_t = 500)]
    pub idle_wait: u64,
    /// Measure instead of waiting for Ctrl-C: send a load through the validators, print
    /// finalized transactions per second and time to finality, then stop (see `load`).
    #[arg(long, value_name = "KIND")]
    pub load: Option<LoadKind>,
    /// Transactions of the load.
    #[arg(long, default_value_t = 4_000, requires = "load")]
    pub count: usize,
    /// Sending accounts of the load (each has at most 32 transactions in flight).
    #[arg(long, default_value_t = 64, requires = "load")]
    pub senders: usize,
}

/// A validator process of the devnet.
struct Validator {
    child: Child,
    rpc: String,
    account: String,
    exited: bool,
}

fn io(what: &str, e: impl std::fmt::Display) -> CliError {
    CliError::Devnet(format!("{what}: {e}"))
}

/// A loopback address with a port free right now (the system picks it).
fn free_port() -> Result<SocketAddr, CliError> {
    let listener = TcpListener::bind("127.0.0.1:0").map_err(|e| io("picking a free port", e))?;
    listener
        .local_addr()
        .map_err(|e| io("picking a free port", e))
}

/// The dev genesis ([`dev_genesis`]) as a genesis file.
fn genesis_json() -> serde_json::Value {
    let genesis = dev_genesis();
    json!({
        "chain_id": genesis.params.chain_id,
        "protocol_version": genesis.params.protocol_version,
        "block_gas_limit": genesis.params.block_gas_limit,
        "timestamp": genesis.timestamp,
        "accounts": genesis.accounts.iter().map(|(id, balance)| json!({
            "account": id.to_string(),
            "balance": balance.to_string(),
        })).collect::<Vec<_>>(),
    })
}

/// Writes the devnet's files into `dir`; returns each validator's configuration file.
fn write_files(args: &DevnetArgs, dir: &Path) -> Result<Vec<PathBuf>, CliError> {
    let n = usize::from(args.validators);
    std::fs::create_dir_all(dir).map_err(|e| io(&dir.display().to_string(), e))?;
    let genesis = serde_json::to_string_pretty(&genesis_json()).map_err(|e| io("genesis", e))?;
    std::fs::write(dir.join("genesis.json"), genesis).map_err(|e| io("genesis.json", e))?;
    let mut seeds = Vec::with_capacity(n);
    let mut peers = Vec::with_capacity(n);
    let mut rpcs = Vec::with_capacity(n);
    for i in 0..n {
        let seed = generate_seed();
        let (p2p, rpc) = match args.base_port {
            Some(base) => {
                let port = |k: usize| -> Result<u16, CliError> {
                    u16::try_from(usize::from(base) + 2 * i + k)
                        .map_err(|_| CliError::input("--base-port", "ports run past 65535"))
                };
                (
                    SocketAddr::from(([127, 0, 0, 1], port(0)?)),
                    SocketAddr::from(([127, 0, 0, 1], port(1)?)),
                )
            }
            None => (free_port()?, free_port()?),
        };
        peers.push(Peer {
            public_key: public_key_hex(&seed).map_err(|e| CliError::Devnet(e.to_string()))?,
            address: p2p,
        });
        seeds.push(seed);
        rpcs.push(rpc);
    }
    let mut configs = Vec::with_capacity(n);
    for (i, seed) in seeds.iter().enumerate() {
        let home = dir.join(format!("validator-{i}"));
        std::fs::create_dir_all(&home).map_err(|e| io(&home.display().to_string(), e))?;
        write_secret(&home.join("key"), &hex::encode(seed))?;
        let config = ValidatorConfig {
            dir: PathBuf::from("node"),
            genesis: PathBuf::from("../genesis.json"),
            key_file: PathBuf::from("key"),
            p2p: peers[i].address,
            rpc: rpcs[i],
            idle_wait_ms: Some(args.idle_wait),
            validators: peers.clone(),
        };
        let text = config
            .to_toml()
            .map_err(|e| CliError::Devnet(e.to_string()))?;
        let path = home.join("config.toml");
        std::fs::write(&path, text).map_err(|e| io("config.toml", e))?;
        configs.push(path);
    }
    Ok(configs)
}

/// Writes a secret readable by its owner only (on Unix).
fn write_secret(path: &Path, text: &str) -> Result<(), CliError> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options
        .open(path)
        .map_err(|e| io(&path.display().to_string(), e))?;
    file.write_all(text.as_bytes())
        .map_err(|e| io(&path.display().to_string(), e))
}

/// Starts the validator of `config` and waits for its RPC address. Its further output goes to
/// `log.txt` beside the configuration.
fn start(config: &Path) -> Result<Validator, CliError> {
    let home = config.parent().unwrap_or(Path::new("."));
    let log_path = home.join("log.txt");
    let log = std::fs::File::create(&log_path).map_err(|e| io("log.txt", e))?;
    let stderr = log.try_clone().map_err(|e| io("log.txt", e))?;
    let exe = std::env::current_exe().map_err(|e| io("finding the shortcrust binary", e))?;
    let mut child = Command::new(exe)
        .arg("node")
        .arg("--config")
        .arg(config)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(stderr)
        .spawn()
        .map_err(|e| io("starting a validator", e))?;
    let Some(stdout) = child.stdout.take() else {
        return Err(CliError::Devnet("a validator's output is not piped".into()));
    };
    // The reader thread copies every line to the log and hands the header lines over.
    let (lines, received) = mpsc::channel::<String>();
    std::thread::spawn(move || {
        let mut log = log;
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let _ = writeln!(log, "{line}");
            let _ = lines.send(line);
        }
    });
    let deadline = Instant::now() + START_TIMEOUT;
    let (mut rpc, mut account) = (None, None);
    while rpc.is_none() || account.is_none() {
        let left = deadline.saturating_duration_since(Instant::now());
        match received.recv_timeout(left) {
            Ok(line) => {
                if let Some(url) = line.strip_prefix("rpc: ") {
                    rpc = Some(url.to_string());
                } else if let Some(id) = line.strip_prefix("account: ") {
                    account = Some(id.to_string());
                }
            }
            Err(_) => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(CliError::Devnet(format!(
                    "the validator of {} did not start (see {})",
                    config.display(),
                    log_path.display()
                )));
            }
        }
    }
    Ok(Validator {
        child,
        rpc: rpc.unwrap_or_default(),
        account: account.unwrap_or_default(),
        exited: false,
    })
}

/// Asks every running validator to stop (SIGTERM), then kills those still running after
/// [`STOP_GRACE`].
fn stop_all(validators: &mut [Validator]) {
    for v in validators.iter_mut().filter(|v| !v.exited) {
        #[cfg(unix)]
        // SAFETY: kill(2) on a process id this process spawned and has not reaped yet (so the id
        // cannot have been reused); it touches no memory.
        unsafe {
            libc::kill(v.child.id() as libc::pid_t, libc::SIGTERM);
        }
        #[cfg(not(unix))]
        let _ = v.child.kill();
    }
    let deadline = Instant::now() + STOP_GRACE;
    for v in validators.iter_mut().filter(|v| !v.exited) {
        loop {
            match v.child.try_wait() {
                Ok(Some(_)) | Err(_) => break,
                Ok(None) if Instant::now() >= deadline => {
                    let _ = v.child.kill();
                    let _ = v.child.wait();
                    break;
                }
                Ok(None) => std::thread::sleep(Duration::from_millis(50)),
            }
        }
        v.exited = true;
    }
}

/// Runs the devnet until Ctrl-C or SIGTERM.
pub fn devnet(args: &DevnetArgs) -> Result<Report, CliError> {
    let (dir, temporary) = match &args.dir {
        Some(d) => (d.clone(), false),
        None => {
            let d = tempfile::Builder::new()
                .prefix("shortcrust-devnet-")
                .tempdir()
                .map_err(|e| io("temporary directory", e))?;
            (d.keep(), true)
        }
    };
    let result = run(args, &dir);
    if temporary {
        let _ = std::fs::remove_dir_all(&dir);
    }
    result
}

fn run(args: &DevnetArgs, dir: &Path) -> Result<Report, CliError> {
    let shutdown = shortcrust_node::watch_shutdown();
    let configs = write_files(args, dir)?;
    let mut validators: Vec<Validator> = Vec::with_capacity(configs.len());
    for config in &configs {
        match start(config) {
            Ok(v) => validators.push(v),
            Err(e) => {
                stop_all(&mut validators);
                return Err(e);
            }
        }
    }
    let mut out = format!(
        "Shortcrust devnet: {} validators, chain {}\ndirectory: {}\n\n",
        validators.len(),
        dev_genesis().params.chain_id,
        dir.display()
    );
    for (i, v) in validators.iter().enumerate() {
        out.push_str(&format!(
            "validator {i}: pid {} rpc {} account {}\n",
            v.child.id(),
            v.rpc,
            v.account
        ));
    }
    out.push_str(&dev_accounts_text());
    if let Some(kind) = args.load {
        eprint!("{out}");
        let rpcs: Vec<String> = validators.iter().map(|v| v.rpc.clone()).collect();
        let measured = run_load(&rpcs, kind, args.count, args.senders);
        stop_all(&mut validators);
        let measured = measured?;
        let mut json = measured.json();
        if let Some(map) = json.as_object_mut() {
            map.insert("ok".into(), true.into());
            map.insert("error".into(), serde_json::Value::Null);
        }
        return Ok(Report {
            json,
            text: measured.text(),
            success: true,
        });
    }
    out.push_str("\ndevnet running; Ctrl-C stops it\n");
    print!("{out}");
    let _ = std::io::stdout().flush();

    while !shutdown.load(Ordering::SeqCst) {
        for (i, v) in validators.iter_mut().enumerate() {
            if v.exited {
                continue;
            }
            if let Ok(Some(status)) = v.child.try_wait() {
                v.exited = true;
                eprintln!("validator {i} exited ({status}); the others go on");
            }
        }
        if validators.iter().all(|v| v.exited) {
            return Err(CliError::Devnet("every validator exited".into()));
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    stop_all(&mut validators);
    Ok(Report {
        json: json!({"ok": true, "error": null, "validators": validators.len()}),
        text: "devnet stopped\n".into(),
        success: true,
    })
}
