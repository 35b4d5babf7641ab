//! The `wassenaar` command line: all of it lives in `wassenaar::cli`.

/// mimalloc keeps memory it has been given for reuse across threads: `matrix` hands row
/// groups between threads, and the system allocator returned those pages and faulted them
/// back in for every group.
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    std::process::exit(wassenaar::cli::run());
}
