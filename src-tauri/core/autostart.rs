//! Start on login: an XDG autostart entry, the freedesktop way GNOME, KDE,
//! Xfce, MATE and LXQt all read (`$XDG_CONFIG_HOME/autostart/*.desktop`).
//! Windows would use the `Run` registry key and macOS a login item; see the
//! README's notes for those platforms.

use std::path::{Path, PathBuf};

/// The entry's file name: the app's identifier, so it never clashes.
pub const FILE: &str = "bd.counterpos.bkash.desktop";

/// Where the entry lives under the user's config folder (`~/.config`).
pub fn path(config_dir: &Path) -> PathBuf {
    config_dir.join("autostart").join(FILE)
}

/// The desktop entry that starts `exec` when the shop's user logs in.
pub fn entry(exec: &Path) -> String {
    // Desktop-entry quoting: the path in double quotes, with `"`, `` ` ``,
    // `$` and `\` escaped, so a path with spaces still starts the app.
    let quoted: String = exec
        .display()
        .to_string()
        .chars()
        .flat_map(|c| if matches!(c, '"' | '`' | '$' | '\\') { vec!['\\', c] } else { vec![c] })
        .collect();
    format!(
        "[Desktop Entry]\nType=Application\nName=bKash Counter POS\nComment=Take bKash payments at the counter\nExec=\"{quoted}\"\nIcon=bkash-pos\nTerminal=false\nX-GNOME-Autostart-enabled=true\n"
    )
}

/// Writes or removes the entry. Removing one that is not there is fine.
pub fn set(config_dir: &Path, on: bool, exec: &Path) -> std::io::Result<()> {
    let file = path(config_dir);
    if on {
        std::fs::create_dir_all(file.parent().expect("autostart/ has a parent"))?;
        std::fs::write(&file, entry(exec))
    } else {
        match std::fs::remove_file(&file) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            done => done,
        }
    }
}
