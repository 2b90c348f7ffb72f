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
            install_id: None,
        }
    }
}

impl Drop for PrivatePg {
    fn drop(&mut self) {
        let _ = Command::new(script()).arg("kill").arg(self.dir.path()).output();
    }
}

impl PrivatePg {
    /// Turns TLS on with a server certificate for `localhost` and
    /// 127.0.0.1, signed by a CA made for the test; returns the CA's PEM
    /// file (what a shop with its own certificate gives its counters).
    pub fn enable_tls(&self) -> PathBuf {
        let dir = self.dir.path();
        let run = |args: &[&str]| {
            let out = Command::new("openssl").args(args).current_dir(dir).output().unwrap();
            assert!(out.status.success(), "openssl {args:?}: {}", String::from_utf8_lossy(&out.stderr));
        };
        run(&[
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            "ca.key",
            "-out",
            "ca.pem",
            "-days",
            "2",
            "-subj",
            "/CN=Test Shop CA",
            "-addext",
            "basicConstraints=critical,CA:TRUE",
            "-addext",
            "keyUsage=critical,keyCertSign,cRLSign",
        ]);
        run(&["req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=localhost"]);
        std::fs::write(
            dir.join("server.ext"),
            "subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n",
        )
        .unwrap();
        run(&[
            "x509",
            "-req",
            "-in",
            "server.csr",
            "-CA",
            "ca.pem",
            "-CAkey",
            "ca.key",
            "-CAcreateserial",
            "-out",
            "server.pem",
            "-days",
            "2",
            "-extfile",
            "server.ext",
        ]);
        for file in ["server.pem", "server.key"] {
            std::fs::copy(dir.join(file), dir.join("data").join(file)).unwrap();
        }
        let owner = Command::new("chown").args(["postgres:", "server.pem", "server.key"]).current_dir(dir.join("data")).status();
        assert!(owner.is_ok());
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(dir.join("data/server.key"), std::fs::Permissions::from_mode(0o600)).unwrap();
        let mut admin = self.admin_client("postgres");
        for statement in [
            "ALTER SYSTEM SET ssl = on",
            "ALTER SYSTEM SET ssl_cert_file = 'server.pem'",
            "ALTER SYSTEM SET ssl_key_file = 'server.key'",
            "SELECT pg_reload_conf()",
        ] {
            admin.batch_execute(statement).unwrap();
        }
        // The reload is asynchronous: wait until the server says TLS is on.
        for _ in 0..50 {
            if admin.query_one("SHOW ssl", &[]).unwrap().get::<_, String>(0) == "on" {
                return dir.join("ca.pem");
            }
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        panic!("PostgreSQL did not turn TLS on");
    }
}
