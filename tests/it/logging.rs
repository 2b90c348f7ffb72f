use pos_core::logging;

/// Shaped like every command (`app/commands/`): its error is logged under
/// its name, its arguments never.
#[tracing::instrument(skip_all, err(level = "warn"))]
fn manager_unlock(_pin: &str) -> Result<(), String> {
    Err("pin_wrong: Wrong PIN. 4 tries left before it locks.".into())
}

#[test]
fn log_lines_land_in_a_dated_file_in_the_given_folder() {
    let dir = tempfile::tempdir().unwrap();
    let guard = logging::init(dir.path()).unwrap();
    tracing::info!(payment_id = "TR0011TEST", "journal opened for the logging test");
    let _ = manager_unlock("7391");
    drop(guard); // flushes the background writer
    let files: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().path()).collect();
    assert_eq!(files.len(), 1, "{files:?}");
    let name = files[0].file_name().unwrap().to_string_lossy().into_owned();
    let today = chrono::Utc::now().format("%Y-%m-%d").to_string();
    assert_eq!(name, format!("{}.{today}.log", logging::FILE_PREFIX));
    let text = std::fs::read_to_string(&files[0]).unwrap();
    assert!(text.contains("journal opened for the logging test") && text.contains("TR0011TEST"), "{text}");
    let refused = text.lines().find(|l| l.contains("pin_wrong")).expect("a command's error is logged");
    assert!(refused.contains("WARN") && refused.contains(" manager_unlock: "), "under the command's name: {refused}");
    assert!(!text.contains("7391"), "a command's arguments are never logged: {text}");
}
