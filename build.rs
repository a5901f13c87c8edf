//! Embeds the form library (`forms/*.toml`, `forms/lists/*.toml`) into the binary as a generated table, so a
//! new form file needs no code change, and packs the PDF fonts (`themes/fonts/*.ttf`, zlib) for it: the two
//! DejaVu faces are 1.4 MiB as they are and half that packed, unpacked once at the first PDF.

use std::fmt::Write as _;
use std::path::Path;

fn list(dir: &Path, keep: impl Fn(&str) -> bool) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok())
                .filter_map(|e| e.file_name().into_string().ok())
                .filter(|n| keep(n))
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

fn table(out: &mut String, name: &str, dir: &Path, files: &[String]) {
    let _ = writeln!(out, "pub static {name}: &[(&str, &str)] = &[");
    for f in files {
        let full = dir.join(f);
        let _ = writeln!(
            out,
            "    ({f:?}, include_str!({:?})),",
            full.display().to_string()
        );
    }
    let _ = writeln!(out, "];");
}

fn main() {
    let root = std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| ".".into());
    let forms = Path::new(&root).join("forms");
    let lists = forms.join("lists");
    println!("cargo:rerun-if-changed={}", forms.display());
    println!("cargo:rerun-if-changed={}", lists.display());
    let defs = list(&forms, |n| {
        n.ends_with(".toml") && !n.ends_with(".example.toml")
    });
    let examples = list(&forms, |n| n.ends_with(".example.toml"));
    let list_files = list(&lists, |n| n.ends_with(".toml"));
    let mut out = String::new();
    table(&mut out, "FORMS", &forms, &defs);
    table(&mut out, "EXAMPLES", &forms, &examples);
    table(&mut out, "LISTS", &lists, &list_files);
    let out_dir = std::env::var("OUT_DIR").unwrap_or_else(|_| ".".into());
    let fonts = Path::new(&root).join("themes").join("fonts");
    for font in ["DejaVuSans.ttf", "DejaVuSans-Bold.ttf"] {
        let from = fonts.join(font);
        println!("cargo:rerun-if-changed={}", from.display());
        let packed = std::fs::read(&from).and_then(|raw| {
            use std::io::Write as _;
            let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
            z.write_all(&raw)?;
            z.finish()
        });
        let to = Path::new(&out_dir).join(format!("{font}.z"));
        if let Err(e) = packed.and_then(|p| std::fs::write(&to, p)) {
            println!("cargo:warning=cannot pack {}: {e}", from.display());
            std::process::exit(1);
        }
    }
    let dest = Path::new(&out_dir).join("embedded_forms.rs");
    if let Err(e) = std::fs::write(&dest, out) {
        println!("cargo:warning=cannot write {}: {e}", dest.display());
        std::process::exit(1);
    }
}
