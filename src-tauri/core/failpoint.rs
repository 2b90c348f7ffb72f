//! Crash points for the crash-matrix tests. In a debug build, when
//! `BKASH_POS_CRASH_AT` names this point, the process announces it on stdout
//! and stops dead, so the test can SIGKILL it exactly here. Release builds
//! compile this to nothing.

/// Marks a named point on the money path.
#[inline]
pub fn hit(name: &str) {
    #[cfg(debug_assertions)]
    if std::env::var("BKASH_POS_CRASH_AT").is_ok_and(|wanted| wanted == name) {
        use std::io::Write;
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "CRASH-POINT {name}");
        let _ = out.flush();
        // Wait to be killed; never run past the point.
        loop {
            std::thread::park();
        }
    }
    #[cfg(not(debug_assertions))]
    let _ = name;
}
