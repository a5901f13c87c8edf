//! Thin binary: argv → [`radhus::cli::run`] → exit code (0 ok, 1 runtime failure, 2 usage or configuration).

fn main() -> std::process::ExitCode {
    radhus::cli::run()
}
