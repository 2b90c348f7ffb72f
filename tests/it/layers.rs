//! The layers of the core, as `lib.rs` draws them: each module imports only
//! the ones below it. `money` is the leaf every other layer may use. Cargo
//! keeps the crates apart; these tests keep the modules inside them in order.

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
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src-tauri/core").join(module);
    let files = match dir.is_dir() {
        true => sources(&dir),
        false => {
            let file = dir.with_extension("rs");
            vec![(file.display().to_string(), std::fs::read_to_string(&file).unwrap())]
        }
    };
    files
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

/// Every top-level module of the core, and the ones it may name. Cargo keeps
/// the crates apart (the core cannot name the app or the simulator); this
/// keeps the layers inside the core.
const CORE_LAYERS: &[(&str, &[&str])] = &[
    ("money", &[]),
    ("failpoint", &[]),
    ("qr", &[]),
    ("logging", &[]),
    ("instance", &[]),
    ("autostart", &[]),
    ("journal", &["money", "failpoint"]),
    ("bkash", &["money"]),
    ("vault", &["money", "bkash"]),
    ("staff", &["money", "journal", "vault"]),
    ("shift", &["money", "journal", "payment", "print", "staff"]),
    ("payment", &["money", "journal", "bkash", "failpoint"]),
    ("reconcile", &["money", "journal", "bkash", "payment", "failpoint"]),
    ("report", &["money", "journal", "payment"]),
    ("print", &["money", "journal", "payment"]),
    ("till", &["money", "journal", "payment", "failpoint"]),
    ("store", &["money", "journal", "bkash", "payment", "reconcile", "report", "failpoint", "staff", "shift"]),
    ("settings", &["money", "journal", "bkash", "payment", "print", "store", "vault"]),
    ("counter", &["money", "journal", "bkash", "payment", "reconcile", "print", "till", "store", "settings", "vault", "staff", "shift"]),
    ("cli", &["money", "journal", "bkash", "report", "settings", "store", "staff", "vault", "instance"]),
];

#[test]
fn each_core_module_imports_only_the_layers_below_it() {
    let core = Path::new(env!("CARGO_MANIFEST_DIR")).join("src-tauri/core");
    let on_disk: BTreeSet<String> = std::fs::read_dir(&core)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir() || (p.extension().is_some_and(|e| e == "rs") && !p.ends_with("lib.rs")))
        .map(|p| p.file_stem().unwrap().to_string_lossy().into_owned())
        .collect();
    let drawn: BTreeSet<String> = CORE_LAYERS.iter().map(|(m, _)| m.to_string()).collect();
    assert_eq!(drawn, on_disk, "every module of the core has its place in the layers");
    for (module, below) in CORE_LAYERS {
        let below: BTreeSet<String> = below.iter().map(|m| m.to_string()).chain(["APP_ID".to_string()]).collect();
        let upward: Vec<_> = imports_of(module).difference(&below).cloned().collect();
        assert!(upward.is_empty(), "`{module}` reaches up or sideways into {upward:?}; it may use only {below:?}");
    }
}

/// The module of each source file under `root` (`bkash/client.rs` is
/// `bkash::client`, `bkash/mod.rs` is `bkash`), with its text.
fn modules_under(root: &Path) -> Vec<(Vec<String>, String)> {
    sources(root)
        .into_iter()
        .map(|(file, text)| {
            let relative = Path::new(&file).strip_prefix(root).unwrap().with_extension("");
            let mut path: Vec<String> = relative.iter().map(|p| p.to_string_lossy().into_owned()).collect();
            if path.last().is_some_and(|last| last == "mod" || last == "lib" || last == "main") {
                path.pop();
            }
            (path, text)
        })
        .collect()
}

/// The file-level import graph of a crate: an edge from each module to each
/// module it names (`crate::a::b`, `super::b`, `self::b`), resolved to the
/// longest path that is a module. A module naming an ancestor (its `mod.rs`,
/// which re-exports) is not counted: that is how children reach siblings'
/// re-exports, and the parent declares the child.
fn import_graph(root: &Path, crate_prefix: &str) -> std::collections::BTreeMap<Vec<String>, BTreeSet<Vec<String>>> {
    let modules = modules_under(root);
    let known: BTreeSet<Vec<String>> = modules.iter().map(|(m, _)| m.clone()).collect();
    let mut graph = std::collections::BTreeMap::new();
    for (module, text) in &modules {
        let mut edges = BTreeSet::new();
        let parent: Vec<String> = module.iter().take(module.len().saturating_sub(1)).cloned().collect();
        for (marker, base) in [(crate_prefix, Vec::new()), ("super::", parent.clone()), ("self::", module.clone())] {
            for rest in text.split(marker).skip(1) {
                let named: String = rest.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == ':').collect();
                let mut path = base.clone();
                path.extend(named.split("::").filter(|s| !s.is_empty()).map(str::to_string));
                while !path.is_empty() && !known.contains(&path) {
                    path.pop();
                }
                let is_ancestor = path.len() <= module.len() && module[..path.len()] == path[..];
                if !is_ancestor {
                    edges.insert(path);
                }
            }
        }
        graph.insert(module.clone(), edges);
    }
    graph
}

/// One cycle of `graph`, if it has any (a depth-first search).
fn a_cycle(graph: &std::collections::BTreeMap<Vec<String>, BTreeSet<Vec<String>>>) -> Option<Vec<String>> {
    fn visit(
        node: &Vec<String>,
        graph: &std::collections::BTreeMap<Vec<String>, BTreeSet<Vec<String>>>,
        done: &mut BTreeSet<Vec<String>>,
        stack: &mut Vec<Vec<String>>,
    ) -> Option<Vec<String>> {
        if let Some(at) = stack.iter().position(|n| n == node) {
            return Some(stack[at..].iter().chain([node]).map(|m| m.join("::")).collect());
        }
        if !done.insert(node.clone()) {
            return None;
        }
        stack.push(node.clone());
        for next in graph.get(node).into_iter().flatten() {
            if let Some(cycle) = visit(next, graph, done, stack) {
                return Some(cycle);
            }
        }
        stack.pop();
        None
    }
    let mut done = BTreeSet::new();
    graph.keys().find_map(|node| visit(node, graph, &mut done, &mut Vec::new()))
}

#[test]
fn no_file_of_the_core_the_app_or_the_simulator_is_in_an_import_cycle() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    for (root, prefix) in [("src-tauri/core", "crate::"), ("src-tauri/app", "crate::app::"), ("src-tauri/sim", "crate::")] {
        let graph = import_graph(&repo.join(root), prefix);
        assert!(graph.len() > 5, "{root} was read");
        assert_eq!(a_cycle(&graph), None, "{root} has an import cycle");
    }
}

#[test]
fn reports_only_read_and_close_a_day_through_the_journal_s_own_insert() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src-tauri/core/report");
    for (file, text) in sources(&dir) {
        for write in [".transition(", ".start_payment(", ".note(", ".start_refund(", ".settle_refund(", "execute(\"", ".commit("] {
            assert!(!text.contains(write), "{file} writes to the journal ({write}); reports only read");
        }
    }
}

/// Every crate `package` depends on, however deeply (`cargo tree`, offline).
fn dependencies_of(package: &str) -> BTreeSet<String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = std::process::Command::new(cargo)
        .args(["tree", "--offline", "--locked", "-e", "normal", "--prefix", "none", "-p", package])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    assert!(out.status.success(), "cargo tree failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap().lines().skip(1).filter_map(|l| l.split_whitespace().next()).map(str::to_string).collect()
}

#[test]
fn the_core_does_not_depend_on_tauri_and_the_simulator_does_not_depend_on_the_client() {
    let core = dependencies_of("pos-core");
    assert!(core.contains("rusqlite") && core.contains("reqwest"), "the tree was read: {core:?}");
    let webview: Vec<_> = core.iter().filter(|c| c.starts_with("tauri") || c.starts_with("wry") || c.starts_with("webkit")).collect();
    assert!(webview.is_empty(), "pos-core pulls in {webview:?}");
    assert!(!core.contains("bkash-sim"), "the core names the simulator");
    let sim = dependencies_of("bkash-sim");
    assert!(sim.contains("axum"), "the tree was read: {sim:?}");
    for client in ["pos-core", "bkash-pos", "reqwest", "tauri"] {
        assert!(!sim.contains(client), "the simulator depends on {client}: it would share the client's types and test nothing");
    }
}
