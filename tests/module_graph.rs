//! No two source modules import each other (issue 9): a module that needs another's helper and
//! is needed by it means one of them holds a rule that belongs elsewhere. Reads `src/` and
//! follows `crate::…` and `super::…` paths outside `#[cfg(test)]` modules.

use std::collections::{BTreeSet, HashSet};
use std::path::{Path, PathBuf};

type Module = Vec<String>;

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// `src/auth/list.rs` → `["auth", "list"]`; `src/store/mod.rs` → `["store"]`.
fn module_of(src: &Path, file: &Path) -> Module {
    let rel = file.strip_prefix(src).unwrap().with_extension("");
    let mut parts: Module = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if matches!(parts.last().map(String::as_str), Some("mod" | "lib")) {
        parts.pop();
    }
    parts
}

/// The product part of a file: everything before its first `#[cfg(test)]` module.
fn product_text(text: &str) -> &str {
    match text.find("#[cfg(test)]\nmod ") {
        Some(at) => &text[..at],
        None => text,
    }
}

/// The modules a file's `crate::…` / `super::…` paths reach (the longest known prefix).
fn imports(text: &str, me: &Module, known: &HashSet<Module>) -> Vec<Module> {
    let mut found = vec![];
    for (start, _) in text
        .match_indices("crate::")
        .chain(text.match_indices("super::"))
    {
        if start > 0 {
            let before = text.as_bytes()[start - 1];
            if before.is_ascii_alphanumeric() || before == b'_' {
                continue;
            }
        }
        let rest = &text[start..];
        let path: Vec<&str> = rest
            .split(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':'))
            .next()
            .unwrap_or("")
            .split("::")
            .filter(|p| !p.is_empty())
            .collect();
        // `super` is the parent module, for `foo/bar.rs` (foo::bar) as for `bar/mod.rs`
        let mut base: Module = match path.first() {
            Some(&"crate") => vec![],
            _ => me[..me.len().saturating_sub(1)].to_vec(),
        };
        let mut target = None;
        for part in path.iter().skip(1) {
            base.push(part.to_string());
            if known.contains(&base) {
                target = Some(base.clone());
            }
        }
        if let Some(target) = target {
            found.push(target);
        }
    }
    found
}

#[test]
fn no_two_modules_import_each_other() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = vec![];
    rust_files(&src, &mut files);
    let known: HashSet<Module> = files.iter().map(|f| module_of(&src, f)).collect();
    let mut edges = BTreeSet::new();
    for file in &files {
        let me = module_of(&src, file);
        let text = std::fs::read_to_string(file).unwrap();
        for target in imports(product_text(&text), &me, &known) {
            let nested = target.starts_with(&me) || me.starts_with(&target);
            if !nested {
                edges.insert((me.join("::"), target.join("::")));
            }
        }
    }
    assert!(
        edges.len() > 100,
        "the scan found the imports ({})",
        edges.len()
    );
    let mutual: Vec<_> = edges
        .iter()
        .filter(|(a, b)| a < b && edges.contains(&(b.clone(), a.clone())))
        .collect();
    assert!(
        mutual.is_empty(),
        "modules importing each other: {mutual:?}"
    );
}
