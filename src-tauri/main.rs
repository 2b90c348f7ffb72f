// No console window on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    let args: Vec<String> = std::env::args().collect();
    // `bkash-pos report …` is for back-office scripts: no window, no lock.
    if pos_core::cli::is_headless(&args) {
        std::process::exit(pos_core::cli::run(&args, &mut std::io::stdout().lock(), &mut std::io::stderr().lock()));
    }
    bkash_pos::run();
}
