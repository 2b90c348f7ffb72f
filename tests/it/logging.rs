use bkash_pos::logging;

#[test]
fn log_lines_land_in_a_dated_file_in_the_given_folder() {
    let dir = tempfile::tempdir().unwrap();
    let guard = logging::init(dir.path()).unwrap();
    tracing::info!(payment_id = "TR0011TEST", "journal opened for the logging test");
    drop(guard); // flushes the background writer
    let files: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().path()).collect();
    assert_eq!(files.len(), 1, "{files:?}");
    let name = files[0].file_name().unwrap().to_string_lossy().into_owned();
    let today = chrono::Utc::now().format("%Y-%m-%d").to_string();
    assert_eq!(name, format!("{}.{today}.log", logging::FILE_PREFIX));
    let text = std::fs::read_to_string(&files[0]).unwrap();
    assert!(text.contains("journal opened for the logging test") && text.contains("TR0011TEST"), "{text}");
}
