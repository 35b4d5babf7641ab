//! The `wassenaar` command line: all of it lives in `wassenaar::cli`.

/// mimalloc, not the system allocator: with glibc's, the large buffers handed between
/// `matrix`'s filling thread and its Parquet writer went back to the kernel after every row
/// group and were faulted in again for the next (the whole process ran about 10-15 % slower).
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    std::process::exit(wassenaar::cli::run());
}
