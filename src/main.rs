//! The `fleksim` command. All logic lives in the library (`fleksim::cli`).

fn main() -> std::process::ExitCode {
    fleksim::cli::main()
}
