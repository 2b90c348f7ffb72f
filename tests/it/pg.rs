//! A private PostgreSQL for one test: its own data folder, port and socket
//! folder (`scripts/pg`), stopped when the test ends. A test may stop, kill
//! and restart it without touching any other test.

use std::path::{Path, PathBuf};
use std::process::Command;

use bkash_pos::money::Secret;
use bkash_pos::store::{StoreConfig, TlsMode};

pub struct PrivatePg {
    pub dir: tempfile::TempDir,
    pub port: u16,
    pub admin: String,
}

fn script() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/pg")
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

impl PrivatePg {
    pub fn start() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let port = free_port();
        let out = Command::new(script()).arg("start").arg(dir.path()).arg(port.to_string()).output().unwrap();
        assert!(out.status.success(), "scripts/pg start failed: {}", String::from_utf8_lossy(&out.stderr));
        let admin = String::from_utf8(out.stdout).unwrap().trim().to_string();
        Self { dir, port, admin }
    }

    fn control(&self, verb: &str) {
        let out = Command::new(script()).arg(verb).arg(self.dir.path()).output().unwrap();
        assert!(out.status.success(), "scripts/pg {verb} failed: {}", String::from_utf8_lossy(&out.stderr));
    }

    /// Stops the server the hard way (no checkpoint), as a power cut would.
    pub fn kill(&self) {
        self.control("kill");
    }

    pub fn restart(&self) {
        let out = Command::new(script()).arg("start").arg(self.dir.path()).arg(self.port.to_string()).output().unwrap();
        assert!(out.status.success(), "scripts/pg restart failed: {}", String::from_utf8_lossy(&out.stderr));
    }

    pub fn admin_client(&self, database: &str) -> postgres::Client {
        let conn = self.admin.replace("dbname=postgres", &format!("dbname={database}"));
        postgres::Client::connect(&conn, postgres::NoTls).unwrap()
    }

    /// A store database with a least-privilege role, as the README tells a
    /// shop to make one: the role logs in with a password over TCP, owns the
    /// app's schema and nothing else.
    pub fn store_database(&self, name: &str) -> (String, String, Secret) {
        let password = Secret::new(format!("pw-{}-{}", name, rand::random::<u64>()));
        let role = format!("{name}_counter");
        let mut admin = self.admin_client("postgres");
        for statement in [
            format!("CREATE ROLE {role} LOGIN PASSWORD '{}' NOSUPERUSER NOCREATEDB NOCREATEROLE", password.expose()),
            format!("CREATE DATABASE {name}"),
            format!("REVOKE ALL ON DATABASE {name} FROM PUBLIC"),
            format!("GRANT CONNECT ON DATABASE {name} TO {role}"),
        ] {
            admin.batch_execute(&statement).unwrap();
        }
        let mut db = self.admin_client(name);
        db.batch_execute(&format!("REVOKE ALL ON SCHEMA public FROM PUBLIC; CREATE SCHEMA bkash_store AUTHORIZATION {role};")).unwrap();
        (name.to_string(), role, password)
    }

    /// A counter's settings for the store database `name` made above.
    pub fn config(&self, database: &str, role: &str, counter: &str) -> StoreConfig {
        StoreConfig {
            host: "127.0.0.1".into(),
            port: self.port,
            database: database.into(),
            user: role.into(),
            tls: TlsMode::Off,
            ca_file: None,
            merchant: "sandboxTestUser".into(),
            store_id: "dhanmondi".into(),
            counter_id: counter.into(),
        }
    }
}

impl Drop for PrivatePg {
    fn drop(&mut self) {
        let _ = Command::new(script()).arg("kill").arg(self.dir.path()).output();
    }
}
