//! A private PostgreSQL for one test: its own data folder, port and socket
//! folder (`scripts/pg`), stopped when the test ends. A test may stop, kill
//! and restart it without touching any other test.

use std::path::{Path, PathBuf};
use std::process::Command;

use pos_core::money::Secret;
use pos_core::store::{StoreConfig, TlsMode};

pub struct PrivatePg {
    pub dir: tempfile::TempDir,
    pub port: u16,
    pub admin: String,
    /// Each store database's counter password, by login prefix.
    passwords: std::sync::Mutex<std::collections::HashMap<String, Secret>>,
    /// The counter logins made so far.
    logins: std::sync::Mutex<std::collections::HashSet<String>>,
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
        // A port found free can be taken before the server binds it (a
        // simulator of a test beside this one asks for any free port too):
        // a server that could not start is started again on another one.
        let mut failures = Vec::new();
        for _ in 0..3 {
            let port = free_port();
            let out = Command::new(script()).arg("start").arg(dir.path()).arg(port.to_string()).output().unwrap();
            if out.status.success() {
                let admin = String::from_utf8(out.stdout).unwrap().trim().to_string();
                return Self { dir, port, admin, passwords: Default::default(), logins: Default::default() };
            }
            failures.push(format!("port {port}: {}", String::from_utf8_lossy(&out.stderr)));
        }
        panic!("scripts/pg start failed three times: {failures:#?}");
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

    /// A store database set up as the README tells a shop to: an owner role
    /// that owns the app's schema (migrated here, as `bkash-pos
    /// store-migrate` does), and a login per counter, a member of
    /// `bkash_counters`, made by [`config`](Self::config) the first time a
    /// counter is named. Returns the database, the counters' login prefix
    /// (`{name}_counter`, each counter's login `{name}_counter_{id}`) and
    /// the password every counter's login of this database has.
    pub fn store_database(&self, name: &str) -> (String, String, Secret) {
        let password = Secret::new(format!("pw-{}-{}", name, rand::random::<u64>()));
        let role = format!("{name}_counter");
        let owner = format!("{name}_owner");
        let mut admin = self.admin_client("postgres");
        for statement in [
            "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'bkash_counters') THEN CREATE ROLE bkash_counters NOLOGIN; END IF; END $$"
                .to_string(),
            // Counters reach their store's database and no other.
            "REVOKE CONNECT ON DATABASE postgres FROM PUBLIC".into(),
            "REVOKE CONNECT ON DATABASE template1 FROM PUBLIC".into(),
            format!("CREATE ROLE {owner} NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE"),
            format!("CREATE DATABASE {name}"),
            format!("REVOKE ALL ON DATABASE {name} FROM PUBLIC"),
            format!("GRANT CONNECT ON DATABASE {name} TO bkash_counters"),
        ] {
            admin.batch_execute(&statement).unwrap();
        }
        let mut db = self.admin_client(name);
        db.batch_execute(&format!(
            "REVOKE ALL ON SCHEMA public FROM PUBLIC; CREATE SCHEMA bkash_store AUTHORIZATION {owner}; SET ROLE {owner};"
        ))
        .unwrap();
        pos_core::store::schema::migrate(&mut db).unwrap();
        self.passwords.lock().unwrap().insert(role.clone(), password.clone());
        (name.to_string(), role, password)
    }

    /// The login of counter `counter` for `role`'s database, made and mapped
    /// to the counter when first asked for.
    pub fn counter_login(&self, database: &str, role: &str, counter: &str) -> String {
        let login = format!("{role}_{}", counter.to_lowercase().replace('-', "_"));
        let password = self.passwords.lock().unwrap().get(role).cloned();
        if let Some(password) = password.filter(|_| self.logins.lock().unwrap().insert(login.clone())) {
            // PostgreSQL's synchronous client may not run on an async runtime's
            // thread, and some tests name their counters inside one.
            std::thread::scope(|scope| {
                scope
                    .spawn(|| {
                        let mut admin = self.admin_client("postgres");
                        let make = format!(
                            "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{login}') THEN
                                 CREATE ROLE {login} LOGIN PASSWORD '{}' NOSUPERUSER NOCREATEDB NOCREATEROLE IN ROLE bkash_counters;
                             END IF; END $$",
                            password.expose()
                        );
                        admin.batch_execute(&make).unwrap();
                        let mut db = self.admin_client(database);
                        pos_core::store::schema::map_login(&mut db, &login, "sandboxTestUser", "dhanmondi", counter).unwrap();
                    })
                    .join()
                    .unwrap()
            });
        }
        login
    }

    /// A counter's settings for the store database `name` made above, with
    /// that counter's own login.
    pub fn config(&self, database: &str, role: &str, counter: &str) -> StoreConfig {
        StoreConfig {
            host: "127.0.0.1".into(),
            port: self.port,
            database: database.into(),
            user: self.counter_login(database, role, counter),
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
