//! The layering check: no module of a crate reaches, directly or through other modules, back to
//! itself. Fails on the first cycle and names it.
//!
//! Edges are read from the source: `crate::a::...` and `super::...` paths (in `use` lines and
//! inline), with names re-exported by `lib.rs` or a folder's `mod.rs` (`pub use a::{X, Y}`)
//! counted as edges to the module that defines them. Within each folder, every edge is lifted
//! to the two sibling modules it connects, so a cycle through a folder's children is found too.
//! Unit tests (`#[cfg(test)]` and below) are not counted.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

type ModPath = Vec<String>;

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let p = entry.unwrap_or_else(|e| panic!("{e}")).path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "rs") {
            out.push(p);
        }
    }
}

fn module_of(src: &Path, file: &Path) -> ModPath {
    let rel = file.strip_prefix(src).unwrap_or(file);
    let mut parts: Vec<String> = rel.iter().map(|p| p.to_string_lossy().trim_end_matches(".rs").to_string()).collect();
    if matches!(parts.last().map(String::as_str), Some("lib" | "main" | "mod")) {
        parts.pop();
    }
    parts
}

/// The code of a file without comments and without its unit tests.
fn code(text: &str) -> String {
    let text = text.split("#[cfg(test)]").next().unwrap_or("");
    text.lines()
        .map(|l| match l.find("//") {
            Some(i) => &l[..i],
            None => l,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The paths a file names, as `crate::...` or `super::...` with `{a, b::c}` groups expanded.
fn paths(code: &str) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    let bytes = code.as_bytes();
    for start in ["crate::", "super::"] {
        let mut from = 0;
        while let Some(i) = code[from..].find(start) {
            let at = from + i;
            from = at + start.len();
            if at > 0 && (bytes[at - 1].is_ascii_alphanumeric() || bytes[at - 1] == b'_' || bytes[at - 1] == b':') {
                continue;
            }
            let head = start.trim_end_matches("::").to_string();
            expand(&code[at + start.len()..], vec![head], &mut out);
        }
    }
    out
}

fn expand(rest: &str, prefix: Vec<String>, out: &mut Vec<Vec<String>>) {
    let rest = rest.trim_start();
    if let Some(inner) = rest.strip_prefix('{') {
        // Split the group at top-level commas.
        let mut depth = 0;
        let mut item = String::new();
        for c in inner.chars() {
            match c {
                '{' => {
                    depth += 1;
                    item.push(c)
                }
                '}' if depth == 0 => break,
                '}' => {
                    depth -= 1;
                    item.push(c)
                }
                ',' if depth == 0 => {
                    expand(&item.clone(), prefix.clone(), out);
                    item.clear();
                }
                c => item.push(c),
            }
        }
        if !item.trim().is_empty() {
            expand(&item, prefix, out);
        }
        return;
    }
    let ident: String = rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
    if ident.is_empty() {
        out.push(prefix);
        return;
    }
    let mut p = prefix;
    p.push(ident.clone());
    let after = &rest[ident.len()..];
    match after.strip_prefix("::") {
        Some(more) => expand(more, p, out),
        None => out.push(p),
    }
}

/// `pub use a::{X, Y}` in a module: X and Y live in its child `a`.
fn reexports(module: &ModPath, code: &str) -> BTreeMap<(ModPath, String), ModPath> {
    let mut out = BTreeMap::new();
    for stmt in code.split(';') {
        let s = stmt.trim();
        let Some(rest) = s.strip_prefix("pub use ") else { continue };
        let mut found = Vec::new();
        expand(rest, Vec::new(), &mut found);
        for p in found {
            if p.len() >= 2 && p[0] != "crate" && p[0] != "super" && p[0] != "std" {
                let mut child = module.clone();
                child.extend(p[..p.len() - 1].iter().cloned());
                out.insert((module.clone(), p[p.len() - 1].clone()), child);
            }
        }
    }
    out
}

/// The module a path points into: the longest prefix that is a module, through re-exports.
fn resolve(
    from: &ModPath,
    path: &[String],
    modules: &BTreeSet<ModPath>,
    re: &BTreeMap<(ModPath, String), ModPath>,
) -> Option<ModPath> {
    let mut cur: ModPath = match path.first().map(String::as_str) {
        Some("crate") => Vec::new(),
        Some("super") => {
            let mut p = from.clone();
            p.pop();
            p
        }
        _ => return None,
    };
    let mut rest = &path[1..];
    while rest.first().is_some_and(|s| s == "super") {
        cur.pop();
        rest = &rest[1..];
    }
    for seg in rest {
        let mut next = cur.clone();
        next.push(seg.clone());
        if modules.contains(&next) {
            cur = next;
        } else if let Some(target) = re.get(&(cur.clone(), seg.clone())) {
            cur = target.clone();
        } else {
            break;
        }
    }
    Some(cur)
}

fn find_cycle(edges: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        n: &str,
        edges: &BTreeMap<String, BTreeSet<String>>,
        state: &mut BTreeMap<String, u8>,
        stack: &mut Vec<String>,
    ) -> Option<Vec<String>> {
        state.insert(n.to_string(), 1);
        stack.push(n.to_string());
        for m in edges.get(n).into_iter().flatten() {
            match state.get(m.as_str()).copied().unwrap_or(0) {
                1 => {
                    let i = stack.iter().position(|s| s == m).unwrap_or(0);
                    let mut cycle = stack[i..].to_vec();
                    cycle.push(m.clone());
                    return Some(cycle);
                }
                0 => {
                    if let Some(c) = visit(m, edges, state, stack) {
                        return Some(c);
                    }
                }
                _ => {}
            }
        }
        stack.pop();
        state.insert(n.to_string(), 2);
        None
    }
    let mut state = BTreeMap::new();
    for n in edges.keys() {
        if state.get(n.as_str()).copied().unwrap_or(0) == 0 {
            if let Some(c) = visit(n, edges, &mut state, &mut Vec::new()) {
                return Some(c);
            }
        }
    }
    None
}

/// Module edges of a crate, lifted to siblings: parent folder -> (from child -> to child).
fn sibling_edges(src: &Path) -> BTreeMap<ModPath, BTreeMap<String, BTreeSet<String>>> {
    let mut files = Vec::new();
    rust_files(src, &mut files);
    let texts: Vec<(ModPath, String)> =
        files.iter().map(|f| (module_of(src, f), code(&std::fs::read_to_string(f).unwrap_or_default()))).collect();
    let modules: BTreeSet<ModPath> = texts.iter().map(|(m, _)| m.clone()).collect();
    let mut re = BTreeMap::new();
    for (m, c) in &texts {
        re.extend(reexports(m, c));
    }
    let mut out: BTreeMap<ModPath, BTreeMap<String, BTreeSet<String>>> = BTreeMap::new();
    for (from, c) in &texts {
        for p in paths(c) {
            let Some(to) = resolve(from, &p, &modules, &re) else { continue };
            // The common parent, and the two children of it on each side.
            let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
            if common >= from.len() || common >= to.len() {
                continue; // a module and its own ancestor or descendant: not a sibling edge
            }
            let parent = from[..common].to_vec();
            out.entry(parent).or_default().entry(from[common].clone()).or_default().insert(to[common].clone());
        }
    }
    out
}

fn check_crate(dir: &str) -> usize {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
    let graph = sibling_edges(&src);
    let mut count = 0;
    for (parent, edges) in &graph {
        count += edges.values().map(BTreeSet::len).sum::<usize>();
        if let Some(cycle) = find_cycle(edges) {
            let under = if parent.is_empty() { "crate".to_string() } else { parent.join("::") };
            panic!("{dir}: module cycle under `{under}`: {}", cycle.join(" -> "));
        }
    }
    count
}

#[test]
fn no_module_cycles() {
    for dir in ["crates/advocacy-core/src", "crates/advocacy-program/src", "crates/advocacy-cli/src"] {
        let edges = check_crate(dir);
        assert!(edges > 0, "{dir}: no module edges found; the check reads nothing");
    }
}

#[test]
fn the_check_finds_a_cycle() {
    // Two modules that use each other, one through a re-export.
    let dir = std::env::temp_dir().join(format!("advocacy-layers-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("m")).unwrap_or_else(|e| panic!("{e}"));
    let write = |p: &str, s: &str| std::fs::write(dir.join(p), s).unwrap_or_else(|e| panic!("{e}"));
    write("lib.rs", "mod a;\nmod m;\npub use m::Thing;\n");
    write("a.rs", "use crate::Thing;\n");
    write("m/mod.rs", "mod b;\npub use b::Thing;\n");
    write("m/b.rs", "use crate::{a::Other, x};\npub struct Thing;\n");
    let graph = sibling_edges(&dir);
    let root = graph.get(&Vec::new()).unwrap_or_else(|| panic!("no edges: {graph:?}"));
    let cycle = find_cycle(root).unwrap_or_else(|| panic!("cycle not found: {root:?}"));
    assert_eq!(cycle.first(), cycle.last());
    assert!(cycle.contains(&"a".to_string()) && cycle.contains(&"m".to_string()), "{cycle:?}");
    let _ = std::fs::remove_dir_all(&dir);
}
