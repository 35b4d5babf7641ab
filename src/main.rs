fn main() {
    std::process::exit(wassenaar::cli::run());
}
