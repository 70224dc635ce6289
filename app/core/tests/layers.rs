//! The layers of `medflow-core`, as `app/README.md` lists them, hold in the code: no module
//! uses (`crate::…`) a module of a higher layer, modules of one layer use each other without
//! a cycle, and `layout` uses nothing of the crate. Test code (`#[cfg(test)]` and `tests.rs`
//! files) is not counted; doc comments neither.
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The line of `app/README.md` that lists the layers.
const LAYERS_LINE: &str = "Layers, lowest first:";

/// Modules that use nothing of the crate.
const SELF_CONTAINED: &[&str] = &["layout"];

/// The layers, lowest first, read from `app/README.md`: `Layers, lowest first: `a` · `b` →
/// `c` → …` (layers split by `→`, modules within one by `·`).
fn layers_from_readme(readme: &str) -> Vec<Vec<String>> {
    let line = readme
        .lines()
        .find_map(|line| line.trim().strip_prefix(LAYERS_LINE))
        .unwrap_or_else(|| panic!("app/README.md has no line starting {LAYERS_LINE:?}"));
    line.split('→')
        .map(|layer| {
            layer
                .split('·')
                .map(|module| module.trim().trim_matches('`').trim().to_owned())
                .filter(|module| !module.is_empty())
                .collect()
        })
        .collect()
}

/// The module a source file belongs to: its first path component under `src/`.
fn module_of(relative: &Path) -> Option<String> {
    let first = relative.components().next()?.as_os_str().to_str()?;
    let name = first.strip_suffix(".rs").unwrap_or(first);
    (name != "lib").then(|| name.to_owned())
}

/// The names `lib.rs` re-exports at the crate root, with the module each comes from
/// (`pub use diagnostic::{Code, …}`).
fn root_exports(lib: &str) -> BTreeMap<String, String> {
    let mut exports = BTreeMap::new();
    let flat = lib.replace('\n', " ");
    for statement in flat.split(';') {
        let Some(rest) = statement.trim().strip_prefix("pub use ") else {
            continue;
        };
        let Some((module, names)) = rest.split_once("::") else {
            continue;
        };
        for name in names
            .trim_matches(|character| matches!(character, '{' | '}' | ' '))
            .split(',')
        {
            let name = name.trim();
            if !name.is_empty() {
                exports.insert(name.to_owned(), module.trim().to_owned());
            }
        }
    }
    exports
}

/// The modules a source text uses through `crate::…`, outside test code and comments.
fn uses(text: &str, exports: &BTreeMap<String, String>) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    for line in text.lines() {
        let code = line.trim_start();
        if code.starts_with("#[cfg(test)]") {
            break;
        }
        if code.starts_with("//") {
            continue;
        }
        let code = code.split("//").next().unwrap_or_default();
        let mut rest = code;
        while let Some(at) = rest.find("crate::") {
            let after = &rest[at + "crate::".len()..];
            let name: String = after
                .chars()
                .take_while(|character| character.is_alphanumeric() || *character == '_')
                .collect();
            // `use crate::{a, b}` is not written here; a name is a module or a root export.
            if let Some(module) = exports.get(&name) {
                found.insert(module.clone());
            } else if !name.is_empty() {
                found.insert(name);
            }
            rest = after;
        }
    }
    found
}

/// Every `(module, module it uses)` of the sources given as `(path under src/, text)`.
fn module_uses(files: &[(PathBuf, String)]) -> BTreeSet<(String, String)> {
    let lib = files
        .iter()
        .find(|(path, _)| path == Path::new("lib.rs"))
        .map_or("", |(_, text)| text.as_str());
    let exports = root_exports(lib);
    let mut edges = BTreeSet::new();
    for (path, text) in files {
        let Some(module) = module_of(path) else {
            continue;
        };
        if path.file_name().is_some_and(|name| name == "tests.rs") {
            continue;
        }
        for used in uses(text, &exports) {
            if used != module {
                edges.insert((module.clone(), used));
            }
        }
    }
    edges
}

/// What breaks the layering: each use of a higher layer, of an unlisted module, by a
/// self-contained module, and each cycle between modules of one layer.
fn violations(files: &[(PathBuf, String)], layers: &[Vec<String>]) -> Vec<String> {
    let layer_of: BTreeMap<&str, usize> = layers
        .iter()
        .enumerate()
        .flat_map(|(number, modules)| modules.iter().map(move |module| (module.as_str(), number)))
        .collect();
    let mut found = Vec::new();
    let modules: BTreeSet<String> = files
        .iter()
        .filter_map(|(path, _)| module_of(path))
        .collect();
    for module in &modules {
        if !layer_of.contains_key(module.as_str()) {
            found.push(format!("module {module} is in no layer of app/README.md"));
        }
    }
    let edges = module_uses(files);
    for (module, used) in &edges {
        let (Some(&from), Some(&to)) = (layer_of.get(module.as_str()), layer_of.get(used.as_str()))
        else {
            continue;
        };
        if to > from {
            found.push(format!(
                "{module} (layer {from}) uses {used} (layer {to}), a higher layer"
            ));
        }
        if SELF_CONTAINED.contains(&module.as_str()) {
            found.push(format!(
                "{module} uses {used}; it must use nothing of the crate"
            ));
        }
    }
    // Cycles: a module reaching itself through the modules it uses.
    for module in &modules {
        let mut stack: Vec<&str> = edges
            .iter()
            .filter(|(from, _)| from == module)
            .map(|(_, to)| to.as_str())
            .collect();
        let mut seen = BTreeSet::new();
        while let Some(next) = stack.pop() {
            if next == module {
                found.push(format!(
                    "{module} uses itself through other modules (a cycle)"
                ));
                break;
            }
            if seen.insert(next) {
                stack.extend(
                    edges
                        .iter()
                        .filter(|(from, _)| from == next)
                        .map(|(_, to)| to.as_str()),
                );
            }
        }
    }
    found
}

fn sources(root: &Path) -> Vec<(PathBuf, String)> {
    let mut found = Vec::new();
    let mut pending = vec![root.to_path_buf()];
    while let Some(folder) = pending.pop() {
        for entry in std::fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|extension| extension == "rs") {
                let text = std::fs::read_to_string(&path).unwrap();
                found.push((path.strip_prefix(root).unwrap().to_path_buf(), text));
            }
        }
    }
    found.sort();
    found
}

fn readme_layers() -> Vec<Vec<String>> {
    let readme = Path::new(env!("CARGO_MANIFEST_DIR")).join("../README.md");
    layers_from_readme(&std::fs::read_to_string(readme).unwrap())
}

#[test]
fn no_module_uses_a_higher_layer_and_there_is_no_cycle() {
    let layers = readme_layers();
    assert!(layers.len() >= 4, "{layers:?}");
    let files = sources(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"));
    assert!(files.len() > 30, "the sources were found");
    assert_eq!(violations(&files, &layers), Vec::<String>::new());
    // The checker sees real uses: validate uses the model, scene uses flow.
    let edges = module_uses(&files);
    assert!(edges.contains(&("validate".to_owned(), "model".to_owned())));
    assert!(edges.contains(&("scene".to_owned(), "flow".to_owned())));
}

#[test]
fn a_use_of_a_higher_layer_or_a_cycle_is_caught() {
    let layers = readme_layers();
    let file = |path: &str, text: &str| (PathBuf::from(path), text.to_owned());
    let lib = file(
        "lib.rs",
        "pub mod flow;\npub mod scene;\npub mod control;\npub mod architecture;\npub mod layout;\npub use diagnostic::{Code, Diagnostic};\npub mod diagnostic;\n",
    );
    // flow (lowest layer) using scene (a higher one).
    let upward = [
        lib.clone(),
        file("flow/mod.rs", "use crate::scene::is_node;\n"),
        file("scene/mod.rs", "use crate::flow::FlowLink;\n"),
    ];
    assert_eq!(
        violations(&upward, &layers)
            .into_iter()
            .filter(|problem| problem.contains("higher layer"))
            .collect::<Vec<_>>(),
        ["flow (layer 0) uses scene (layer 3), a higher layer"]
    );
    // Two modules of one layer using each other; a root export counts as its module.
    let cycle = [
        lib.clone(),
        file("control/mod.rs", "fn f() { crate::architecture::x(); }\n"),
        file("architecture/mod.rs", "use crate::control::Party;\n"),
        file("layout/mod.rs", "fn g() -> crate::Code { todo!() }\n"),
    ];
    let problems = violations(&cycle, &layers);
    assert!(
        problems.contains(&"control uses itself through other modules (a cycle)".to_owned()),
        "{problems:?}"
    );
    assert!(
        problems.contains(&"layout uses diagnostic; it must use nothing of the crate".to_owned()),
        "{problems:?}"
    );
    // Comments and test code are not uses.
    let quiet = [
        lib,
        file(
            "flow/mod.rs",
            "//! See [`crate::scene`].\n/// [`crate::scene::is_node`]\nfn f() {}\n#[cfg(test)]\nmod tests { use crate::scene::Scene; }\n",
        ),
    ];
    assert_eq!(violations(&quiet, &layers), Vec::<String>::new());
}
