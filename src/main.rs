//! The `wassenaar` command line: all of it lives in `wassenaar::cli`.

fn main() {
    std::process::exit(wassenaar::cli::run());
}
