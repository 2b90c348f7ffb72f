use pos_core::instance::{InstanceError, InstanceLock};

#[test]
fn a_second_lock_on_the_same_data_folder_is_refused_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let first = InstanceLock::acquire(dir.path()).unwrap();
    let second = InstanceLock::acquire(dir.path());
    match second {
        Err(InstanceError::AlreadyRunning(path)) => assert_eq!(path, dir.path()),
        other => panic!("expected AlreadyRunning, got {other:?}"),
    }
    let message = InstanceLock::acquire(dir.path()).unwrap_err().to_string();
    assert!(message.contains("already running"), "{message}");
    drop(first);
}

#[test]
fn the_lock_is_free_again_once_its_holder_is_gone() {
    let dir = tempfile::tempdir().unwrap();
    drop(InstanceLock::acquire(dir.path()).unwrap());
    let again = InstanceLock::acquire(dir.path()).unwrap();
    let pid = std::fs::read_to_string(again.path()).unwrap();
    assert_eq!(pid.trim(), std::process::id().to_string());
}

#[test]
fn a_lock_held_by_another_process_is_released_when_that_process_is_killed() {
    // flock is held per open file description, so a child `flock` process is a
    // faithful stand-in for a second app that dies without cleaning up.
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path()).unwrap();
    let lock_path = dir.path().join(InstanceLock::FILE_NAME);
    std::fs::write(&lock_path, b"").unwrap();
    // --no-fork: flock execs `sleep` itself, so killing that one pid frees the lock.
    let mut holder =
        std::process::Command::new("flock").arg("--no-fork").arg(&lock_path).args(["sleep", "30"]).spawn().expect("util-linux flock");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    loop {
        match InstanceLock::acquire(dir.path()) {
            Err(InstanceError::AlreadyRunning(_)) => break,
            Ok(lock) if std::time::Instant::now() < deadline => {
                drop(lock); // the child has not taken it yet
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
            other => panic!("the child never held the lock: {other:?}"),
        }
    }
    holder.kill().unwrap();
    holder.wait().unwrap();
    InstanceLock::acquire(dir.path()).expect("a killed holder leaves no stale lock");
}
