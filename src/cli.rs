//! The command line. Exit codes: 0 ok, 1 runtime failure, 2 usage or configuration error.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::app::{App, Running, StartError};
use crate::backup::Kind;
use crate::config::{self, Config, LogFormat};
use crate::forms::Registry;

#[derive(Parser)]
#[command(
    name = "radhus",
    version,
    about = "Rådhus: a municipal e-services appliance"
)]
struct Cli {
    /// Log as JSON lines instead of human-readable text.
    #[arg(long, global = true)]
    log_json: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum DeliveriesAction {
    /// Deliver a submission again (every target not yet delivered).
    Retry { reference: String },
}

#[derive(Subcommand)]
enum Command {
    /// Serve the municipalities in a configuration file.
    Serve {
        #[arg(long, value_name = "PATH")]
        config: PathBuf,
    },
    /// Run a demo with two sample municipalities; needs no configuration.
    Demo {
        /// Keep data here (default: a temporary folder removed on exit).
        #[arg(long, value_name = "DIR")]
        data: Option<PathBuf>,
        /// Address to listen on.
        #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:8443")]
        listen: SocketAddr,
        /// For a load test from this one machine: the per-address budgets and connection limit are
        /// raised to the tenant's and the total's (every simulated citizen comes from one address).
        #[arg(long)]
        load_test: bool,
    },
    /// Check a configuration file (and its certificates and themes) and exit.
    CheckConfig { path: PathBuf },
    /// Check form definitions (default: the built-in library) and their example answers; errors are
    /// printed as FILE:LINE:COL: message, exit 1 on any error.
    ///
    /// Override files (`<id>.override.toml`) among them are applied to the library and checked: a part
    /// that no longer fits the library version is an error, and an override written for an older
    /// version is listed with the library's changes since then.
    CheckForms {
        paths: Vec<PathBuf>,
        /// Check overrides against the library forms in this folder instead of the built-in library (the
        /// forms of the version you are about to install).
        #[arg(long, value_name = "DIR")]
        library: Option<PathBuf>,
    },
    /// List the library forms that are new or changed in a Rådhus release (default: this one), with
    /// what changed.
    FormChanges {
        #[arg(long, value_name = "VERSION")]
        release: Option<String>,
    },
    /// List deliveries (all, or those not delivered with --failing), or try a submission's again.
    Deliveries {
        #[arg(long, value_name = "PATH")]
        config: PathBuf,
        /// Only deliveries that are pending, failing or failed.
        #[arg(long)]
        failing: bool,
        #[command(subcommand)]
        action: Option<DeliveriesAction>,
    },
    /// Make a backup of the store and every file it refers to, while the server runs (through its control
    /// socket) or not; the folder gets a manifest with every file's size and SHA-256.
    Backup {
        #[arg(long, value_name = "PATH")]
        config: PathBuf,
        /// The new backup folder (must not exist, or be empty).
        #[arg(
            long,
            value_name = "DIR",
            required_unless_present = "into",
            conflicts_with = "into"
        )]
        to: Option<PathBuf>,
        /// A folder of backups: the new one is made in it as radhus-<date>-<time> (UTC).
        #[arg(long, value_name = "DIR")]
        into: Option<PathBuf>,
        /// With --into: afterwards keep only this many complete backups there.
        #[arg(long, value_name = "N", requires = "into")]
        keep: Option<usize>,
    },
    /// Restore a backup as a new data folder, checking every file against its manifest as it is copied.
    /// Never writes into a folder that holds anything.
    Restore {
        /// The backup folder.
        #[arg(long, value_name = "DIR")]
        from: PathBuf,
        /// The data folder to create (server.data_dir); it must not exist, or be empty.
        #[arg(long, value_name = "DIR", required_unless_present = "check")]
        data: Option<PathBuf>,
        /// Only check the backup against its manifest; restore nothing.
        #[arg(long)]
        check: bool,
    },
    /// Export everything (every tenant's drafts, submissions, outbox, counters, lists; the files beside
    /// them) as JSON lines into a new folder, while the server runs or not. docs/export.md has the format.
    Export {
        #[arg(long, value_name = "PATH")]
        config: PathBuf,
        /// The new export folder (must not exist, or be empty).
        #[arg(long, value_name = "DIR")]
        to: PathBuf,
    },
    /// Import an export into a new data folder (into an empty store only), checking every file
    /// against its manifest as it is read.
    Import {
        /// The export folder.
        #[arg(long, value_name = "DIR")]
        from: PathBuf,
        /// The data folder to create; it must not exist, or be empty.
        #[arg(long, value_name = "DIR", required_unless_present = "check")]
        data: Option<PathBuf>,
        /// Only check the export against its manifest; import nothing.
        #[arg(long)]
        check: bool,
    },
    /// Print the version.
    Version,
}

pub fn run() -> ExitCode {
    crate::memory::tune();
    crate::fs_modes::private_umask();
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    match cli.command {
        Command::Version => {
            println!("radhus {}", crate::VERSION);
            ExitCode::SUCCESS
        }
        Command::CheckConfig { path } => check_config(&path),
        Command::CheckForms { paths, library } => check_forms(&paths, library.as_deref()),
        Command::FormChanges { release } => form_changes(release.as_deref()),
        Command::Deliveries {
            config,
            failing,
            action,
        } => {
            let request = match action {
                Some(DeliveriesAction::Retry { reference }) => format!("retry {reference}"),
                None if failing => "deliveries failing".to_owned(),
                None => "deliveries".to_owned(),
            };
            deliveries(&config, &request)
        }
        Command::Backup {
            config,
            to,
            into,
            keep,
        } => {
            init_logging(cli.log_json);
            copy_out(Kind::Backup, &config, to, into, keep)
        }
        Command::Export { config, to } => {
            init_logging(cli.log_json);
            copy_out(Kind::Export, &config, Some(to), None, None)
        }
        Command::Restore { from, data, check } => {
            put_back(Kind::Backup, &from, data.as_deref(), check)
        }
        Command::Import { from, data, check } => {
            put_back(Kind::Export, &from, data.as_deref(), check)
        }
        Command::Serve { config } => {
            let registry = match Registry::load_embedded() {
                Ok(r) => r,
                Err(errs) => {
                    for e in errs {
                        eprintln!("{e}");
                    }
                    return ExitCode::from(1);
                }
            };
            let cfg = match config::load(&config, &|id| registry.contains(id)) {
                Ok(c) => c,
                Err(e) => {
                    eprintln!("{e}");
                    return ExitCode::from(2);
                }
            };
            init_logging(cli.log_json || cfg.server.log_format == LogFormat::Json);
            runtime_then(|| serve(cfg, None))
        }
        Command::Demo {
            data,
            listen,
            load_test,
        } => {
            init_logging(cli.log_json);
            let temp = match &data {
                Some(_) => None,
                None => match tempfile::Builder::new().prefix("radhus-demo-").tempdir() {
                    Ok(t) => Some(t),
                    Err(e) => {
                        eprintln!("cannot create a temporary data folder: {e}");
                        return ExitCode::from(1);
                    }
                },
            };
            let dir = data.unwrap_or_else(|| {
                temp.as_ref()
                    .map(|t| t.path().to_path_buf())
                    .unwrap_or_default()
            });
            let mut cfg = match crate::demo::prepare(&dir, listen) {
                Ok(c) => c,
                Err(e) => {
                    eprintln!("{e}");
                    return ExitCode::from(1);
                }
            };
            if load_test {
                crate::demo::for_load_tests(&mut cfg);
            }
            let code = runtime_then(|| serve(cfg, Some(&dir)));
            drop(temp);
            code
        }
    }
}

fn check_config(path: &Path) -> ExitCode {
    let registry = match Registry::load_embedded() {
        Ok(r) => r,
        Err(errs) => {
            for e in errs {
                eprintln!("{e}");
            }
            return ExitCode::from(1);
        }
    };
    let cfg = match config::load(path, &|id| registry.contains(id)) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    let file = path.display();
    if cfg.server.tls_self_signed && cfg.acme.is_some() {
        eprintln!(
            "{file}: warning: no certificate from the ACME CA yet; the server serves a self-signed one at {} until it arrives",
            cfg.server.tls_cert.display()
        );
    } else if cfg.server.tls_self_signed {
        eprintln!(
            "{file}: warning: server.tls_cert and server.tls_key do not exist; with tls_fallback = \"self-signed\" the server makes a self-signed certificate at {} at start (browsers warn about it)",
            cfg.server.tls_cert.display()
        );
    } else {
        match crate::http::tls::load_key(&cfg.server.tls_cert, &cfg.server.tls_key) {
            Err(e) => {
                eprintln!("{file}: server.tls_cert/tls_key: {e}");
                return ExitCode::from(2);
            }
            Ok(key) => {
                let now = time::OffsetDateTime::now_utc().unix_timestamp();
                if let Some(w) = crate::http::tls::not_after(&key)
                    .and_then(|t| crate::http::tls::expiry_warning(t, now))
                {
                    eprintln!("{file}: warning: server.tls_cert: {w}");
                }
            }
        }
    }
    for (i, t) in cfg.tenants.iter().enumerate() {
        match crate::themes::build(&t.theme, t.theme_dir.as_deref()) {
            Err(e) => {
                eprintln!("{file}: tenant[{i}].theme_dir: {e}");
                return ExitCode::from(2);
            }
            // Not fatal: the pages show the logo, the PDFs go without it.
            Ok(theme) => {
                if let Err(e) = crate::pdf::VectorLogo::from_svg(&theme.logo_svg) {
                    eprintln!(
                        "{file}: warning: tenant[{i}] ({}): logo.svg cannot be drawn in PDFs, so PDFs are made without the logo: {e}",
                        t.id
                    );
                }
            }
        }
    }
    let n = cfg.tenants.len();
    println!(
        "{file}: ok ({n} {})",
        if n == 1 { "tenant" } else { "tenants" }
    );
    ExitCode::SUCCESS
}

fn form_changes(release: Option<&str>) -> ExitCode {
    let registry = match Registry::load_embedded() {
        Ok(r) => r,
        Err(errs) => return print_errors(&errs),
    };
    let release = release.unwrap_or(crate::VERSION);
    let changed = registry.changed_in(release);
    println!(
        "{} of {} library forms are new or changed in Rådhus {release}:",
        changed.len(),
        registry.all().len()
    );
    for (f, c) in changed {
        println!(
            "  {} version {} ({}): {}",
            f.id, c.version, c.date, c.text.en
        );
    }
    ExitCode::SUCCESS
}

fn print_errors(errs: &[crate::forms::LoadError]) -> ExitCode {
    for e in errs {
        eprintln!("{e}");
    }
    eprintln!(
        "{} error{}",
        errs.len(),
        if errs.len() == 1 { "" } else { "s" }
    );
    ExitCode::from(1)
}

fn check_forms(paths: &[PathBuf], library: Option<&Path>) -> ExitCode {
    let library = match library {
        None => Registry::load_embedded(),
        Some(dir) => crate::form_files::load(&[dir.to_path_buf()]),
    };
    let library = match library {
        Ok(l) => l,
        Err(errs) => return print_errors(&errs),
    };
    let mut misfits = vec![];
    let (registry, examples) = if paths.is_empty() {
        let examples: Vec<(String, String)> = crate::forms::embedded::EXAMPLES
            .iter()
            .map(|(n, t)| (format!("forms/{n}"), (*t).to_owned()))
            .collect();
        (Registry::load_embedded(), examples)
    } else {
        let mut examples = vec![];
        for p in paths {
            let dir = if p.is_dir() {
                p.clone()
            } else {
                p.parent().map(Path::to_path_buf).unwrap_or_default()
            };
            if let Ok(rd) = std::fs::read_dir(&dir) {
                for e in rd.flatten() {
                    let f = e.path();
                    if f.to_string_lossy().ends_with(".example.toml")
                        && let Ok(t) = std::fs::read_to_string(&f)
                    {
                        examples.push((f.display().to_string(), t));
                    }
                }
            }
        }
        let loaded = crate::form_files::load_with_overrides(paths, &library).map(|l| {
            for r in &l.reviews {
                println!(
                    "review: {} was written for version {} of {}; the library has version {}. Changes since:",
                    r.file, r.based_on, r.form, r.version
                );
                for c in &r.changes {
                    println!("  version {} ({}): {}", c.version, c.date, c.text.en);
                }
            }
            misfits = l.misfits;
            l.registry
        });
        (loaded, examples)
    };
    let registry = match registry {
        Ok(r) => r,
        Err(errs) => return print_errors(&errs),
    };
    if !misfits.is_empty() {
        for m in &misfits {
            eprintln!("{m} (this part no longer fits the library form and is left out)");
        }
        eprintln!(
            "{} override part{} no longer fit{} the library",
            misfits.len(),
            if misfits.len() == 1 { "" } else { "s" },
            if misfits.len() == 1 { "s" } else { "" }
        );
        return ExitCode::from(1);
    }
    let problems = crate::forms::check::examples(&registry, &examples);
    for p in &problems {
        eprintln!("{p}");
    }
    if !problems.is_empty() {
        return ExitCode::from(1);
    }
    println!("{} forms ok", registry.all().len());
    ExitCode::SUCCESS
}

fn load_config(path: &Path) -> Result<Config, ExitCode> {
    let registry = Registry::load_embedded().unwrap_or_default();
    config::load(path, &|id| registry.contains(id)).map_err(|e| {
        eprintln!("{e}");
        ExitCode::from(2)
    })
}

/// Sends one request to the running server's control socket; None when no server listens there.
fn ask_server(data_dir: &Path, request: &str) -> Option<String> {
    let socket = crate::control::socket_path(data_dir);
    let mut s = std::os::unix::net::UnixStream::connect(&socket).ok()?;
    use std::io::{Read, Write};
    let mut out = String::new();
    let sent = s
        .write_all(format!("{request}\n").as_bytes())
        .and_then(|()| s.read_to_string(&mut out));
    Some(match sent {
        Ok(_) => out,
        Err(e) => format!(
            "error: talking to the server at {}: {e}\n",
            socket.display()
        ),
    })
}

/// Prints a control answer: "error: …" to stderr with exit 1, anything else to stdout.
fn print_answer(answer: &str) -> ExitCode {
    if let Some(e) = answer.strip_prefix("error: ") {
        eprint!("{e}");
        return ExitCode::from(1);
    }
    print!("{answer}");
    ExitCode::SUCCESS
}

/// `radhus backup` and `radhus export`.
fn copy_out(
    kind: Kind,
    config_path: &Path,
    to: Option<PathBuf>,
    into: Option<PathBuf>,
    keep: Option<usize>,
) -> ExitCode {
    let cfg = match load_config(config_path) {
        Ok(c) => c,
        Err(code) => return code,
    };
    let to = match (to, &into) {
        (Some(t), _) => t,
        (None, Some(parent)) => {
            parent.join(crate::backup::dated_name(time::OffsetDateTime::now_utc()))
        }
        (None, None) => return ExitCode::from(2),
    };
    // The server may run elsewhere in the file system's view: it gets an absolute path.
    let to = match std::path::absolute(&to) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("{}: {e}", to.display());
            return ExitCode::from(2);
        }
    };
    if to.exists() && std::fs::read_dir(&to).is_ok_and(|mut d| d.next().is_some()) {
        eprintln!("{}", crate::backup::BackupError::TargetNotEmpty(to));
        return ExitCode::from(2);
    }
    let request = format!("{} {}", kind.name(), to.display());
    let answer = match ask_server(&cfg.server.data_dir, &request) {
        Some(a) => a,
        None => {
            // No server: the store is opened here, and nothing else changes the files meanwhile.
            let store = match crate::store::Store::open(&cfg.server.data_dir) {
                Ok(s) => s,
                Err(e) => {
                    eprintln!("{e}");
                    return ExitCode::from(1);
                }
            };
            let files = crate::attachments::FileStore::new(&cfg.server.data_dir);
            crate::backup::copy_out(kind, &store, &files, &cfg.server.data_dir, &to)
                .unwrap_or_else(|e| format!("error: {e}\n"))
        }
    };
    let code = print_answer(&answer);
    if code == ExitCode::SUCCESS
        && let (Some(parent), Some(keep)) = (into, keep)
    {
        match crate::backup::rotate(&parent, keep) {
            Ok(removed) => {
                for p in removed {
                    println!("removed the older backup {}", p.display());
                }
            }
            Err(e) => {
                eprintln!("{e}");
                return ExitCode::from(1);
            }
        }
    }
    code
}

/// `radhus restore` and `radhus import`.
fn put_back(kind: Kind, from: &Path, data: Option<&Path>, check: bool) -> ExitCode {
    let result = match (check, data) {
        (true, _) => crate::backup::read_manifest(kind, from)
            .and_then(|m| crate::backup::verify(kind, from, &m).map(|()| m)),
        (false, Some(data)) if kind == Kind::Backup => crate::backup::restore(from, data),
        (false, Some(data)) => crate::backup::import(from, data),
        (false, None) => return ExitCode::from(2),
    };
    match result {
        Ok(m) if check => {
            println!(
                "{} is a complete {}: {}",
                from.display(),
                kind.name(),
                m.summary()
            );
            ExitCode::SUCCESS
        }
        Ok(m) => {
            println!(
                "{} {} into {}: {}",
                if kind == Kind::Backup {
                    "restored"
                } else {
                    "imported"
                },
                from.display(),
                data.map(|d| d.display().to_string()).unwrap_or_default(),
                m.summary()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{e}");
            ExitCode::from(e.exit_code())
        }
    }
}

/// Asks the running server through its control socket; if none runs, opens the store itself.
fn deliveries(config_path: &Path, request: &str) -> ExitCode {
    let cfg = match load_config(config_path) {
        Ok(c) => c,
        Err(code) => return code,
    };
    let answer = match ask_server(&cfg.server.data_dir, request) {
        Some(a) => a,
        None => {
            // No server: the store can be opened directly.
            let store = match crate::store::Store::open(&cfg.server.data_dir) {
                Ok(s) => s,
                Err(e) => {
                    eprintln!("{e}");
                    return ExitCode::from(1);
                }
            };
            let rt = match tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
            {
                Ok(rt) => rt,
                Err(e) => {
                    eprintln!("cannot start the async runtime: {e}");
                    return ExitCode::from(1);
                }
            };
            rt.block_on(crate::control::answer(&store, request, None))
        }
    };
    print_answer(&answer)
}

fn init_logging(json: bool) {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    // Colours only on a terminal: the journal (or a log file) gets plain text.
    let colours = std::io::IsTerminal::is_terminal(&std::io::stderr())
        && std::env::var_os("NO_COLOR").is_none();
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(colours)
        .with_writer(std::io::stderr);
    let _ = if json {
        builder.json().try_init()
    } else {
        builder.try_init()
    };
}

fn runtime_then(f: impl AsyncFnOnce() -> ExitCode) -> ExitCode {
    match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt.block_on(f()),
        Err(e) => {
            eprintln!("cannot start the async runtime: {e}");
            ExitCode::from(1)
        }
    }
}

async fn serve(cfg: Config, demo_dir: Option<&Path>) -> ExitCode {
    // Handlers first: a signal that arrives while starting must not kill the process uncleanly.
    let signals = match Signals::install() {
        Ok(s) => s,
        Err(e) => {
            eprintln!("cannot install signal handlers: {e}");
            return ExitCode::from(1);
        }
    };
    let running = match App::start(cfg).await {
        Ok(r) => r,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(start_code(&e));
        }
    };
    if let Some(dir) = demo_dir {
        if let Err(e) = crate::demo::seed_citizens(running.state()).await {
            eprintln!("the demo's sample citizens could not be made: {e}");
        }
        print_demo_banner(&running, dir);
    }
    crate::watchdog::ready(&format!(
        "serving {} tenants on {}",
        running.state().tenants.len(),
        running.addr
    ));
    let (dog_stop, dog_rx) = tokio::sync::watch::channel(false);
    let dog = crate::watchdog::interval().map(|every| {
        tokio::spawn(crate::watchdog::feed(
            running.state().clone(),
            every,
            dog_rx,
        ))
    });
    let code = wait_for_signals(running, signals, || {
        crate::watchdog::stopping();
        let _ = dog_stop.send(true);
    })
    .await;
    if let Some(d) = dog {
        let _ = d.await;
    }
    code
}

fn start_code(e: &StartError) -> u8 {
    e.exit_code()
}

fn print_demo_banner(running: &Running, dir: &Path) {
    let port = running.addr.port();
    // The library the server loaded at start, not a second parse of it.
    let library = &running.state().registry;
    let changed = library.changed_in(crate::VERSION).len();
    let dir = dir.display();
    let text = format!(
        "Rådhus {} demo is running.\n\n\
         \x20 Eksempel kommune   https://eksempel.localhost:{port}/\n\
         \x20 Prøvestad kommune  https://provestad.localhost:{port}/\n\
         \x20 Health             https://localhost:{port}/healthz\n\n\
         The certificate is self-signed for this demo ({dir}/tls/cert.pem);\n\
         your browser will ask you to accept it once.\n\
         Sample citizens (Log in / Mine saker, top right), each with a sent case and a draft:\n\
         \x20 Eksempel kommune   {kari} / {kari_pw}\n\
         \x20 Prøvestad kommune  {ola} / {ola_pw}\n\
         \x20 (registering a new account needs an [smtp] section: the demo sends no mail.)\n\
         Form library: {forms} forms, {changed} of them new or changed in this version\n\
         \x20 (radhus form-changes lists them; docs/form-library.md describes the library).\n\
         Data folder: {dir} (archive deliveries land in archive/<municipality>/)\n\
         Stop with Ctrl+C.\n",
        crate::VERSION,
        forms = library.all().len(),
        kari = crate::demo::CITIZENS[0].1,
        kari_pw = crate::demo::CITIZENS[0].2,
        ola = crate::demo::CITIZENS[1].1,
        ola_pw = crate::demo::CITIZENS[1].2,
    );
    // A closed stdout (a pipe whose reader left) must not take the server down, so no println!.
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(text.as_bytes()).and_then(|()| out.flush());
}

struct Signals {
    term: tokio::signal::unix::Signal,
    int: tokio::signal::unix::Signal,
    hup: tokio::signal::unix::Signal,
}

impl Signals {
    fn install() -> std::io::Result<Signals> {
        use tokio::signal::unix::{SignalKind, signal};
        Ok(Signals {
            term: signal(SignalKind::terminate())?,
            int: signal(SignalKind::interrupt())?,
            hup: signal(SignalKind::hangup())?,
        })
    }
}

async fn wait_for_signals(running: Running, mut s: Signals, stopping: impl FnOnce()) -> ExitCode {
    loop {
        tokio::select! {
            _ = s.term.recv() => break,
            _ = s.int.recv() => break,
            _ = s.hup.recv() => match running.reload_tls() {
                Ok(()) => tracing::info!("TLS certificate reloaded"),
                Err(e) => tracing::error!(error = %e, "TLS reload failed; keeping the old certificate"),
            },
        }
    }
    stopping();
    tracing::info!("shutting down: finishing requests in flight");
    running.shutdown().await;
    ExitCode::SUCCESS
}
