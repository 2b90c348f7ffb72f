//! The layers of the core, as `lib.rs` draws them: each module imports only
//! the ones below it. `money` is the leaf every other layer may use.

use std::collections::BTreeSet;
use std::path::Path;

fn sources(dir: &Path) -> Vec<(String, String)> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            found.extend(sources(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            found.push((path.display().to_string(), std::fs::read_to_string(&path).unwrap()));
        }
    }
    found
}

/// Every `crate::<module>` a module's files name (in `use` lines and paths alike).
fn imports_of(module: &str) -> BTreeSet<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src-tauri").join(module);
    sources(&dir)
        .iter()
        .flat_map(|(_, text)| {
            text.split("crate::")
                .skip(1)
                .map(|rest| rest.split(|c: char| !c.is_ascii_alphanumeric() && c != '_').next().unwrap().to_string())
                .collect::<Vec<_>>()
        })
        .filter(|name| name != module)
        .collect()
}

#[test]
fn each_core_module_imports_only_the_layers_below_it() {
    let allowed: [(&str, &[&str]); 10] = [
        ("money", &[]),
        ("journal", &["money"]),
        ("bkash", &["money"]),
        ("sim", &["money", "bkash"]),
        ("payment", &["money", "journal", "bkash", "failpoint"]),
        ("reconcile", &["money", "journal", "bkash", "payment", "failpoint"]),
        ("report", &["money", "journal", "payment"]),
        ("print", &["money", "journal", "payment"]),
        ("till", &["money", "journal", "payment", "failpoint"]),
        ("store", &["money", "journal", "bkash", "payment", "reconcile", "report", "failpoint"]),
    ];
    for (module, below) in allowed {
        let below: BTreeSet<String> = below.iter().map(|m| m.to_string()).collect();
        let upward: Vec<_> = imports_of(module).difference(&below).cloned().collect();
        assert!(upward.is_empty(), "`{module}` reaches up or sideways into {upward:?}; it may use only {below:?}");
    }
}

#[test]
fn reports_only_read_and_close_a_day_through_the_journal_s_own_insert() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src-tauri/report");
    for (file, text) in sources(&dir) {
        for write in [".transition(", ".start_payment(", ".note(", ".start_refund(", ".settle_refund(", "execute(\"", ".commit("] {
            assert!(!text.contains(write), "{file} writes to the journal ({write}); reports only read");
        }
    }
}
