//! `kroniek-eval NAME [SHARED_DIR] [--errors FILE]` prints an evaluation
//! table; `kroniek-eval tag LANG DCT|- TEXT` tags one text (debugging).

use std::path::PathBuf;

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let usage = || {
        format!(
            "usage: kroniek-eval {{{}}} [SHARED_DIR] [--errors FILE]\n       kroniek-eval tag LANG DCT|- TEXT",
            kroniek_eval::NAMES.join("|")
        )
    };
    let Some(name) = args.first() else {
        eprintln!("{}", usage());
        std::process::exit(2);
    };
    if name == "-h" || name == "--help" {
        println!("{}", usage());
        return Ok(());
    }
    if name == "tag" {
        let lang = args.get(1).map(String::as_str).unwrap_or("nl");
        let dct = args.get(2).and_then(|d| d.parse().ok());
        let text = args.get(3..).map(|a| a.join(" ")).unwrap_or_default();
        for t in kroniek_time::tag(&text, lang, dct) {
            println!("{:?}\t{:?}\t{}\t{:?}", t.text, t.kind, t.value, t.modifier);
        }
        if dct.is_none() {
            println!("inferred DCT: {:?}", kroniek_time::infer_dct(&text, lang));
        }
        return Ok(());
    }
    let mut shared = kroniek_eval::default_shared();
    let mut errors_file = None;
    let mut it = args.iter().skip(1);
    while let Some(a) = it.next() {
        if a == "--errors" {
            errors_file = it.next().map(PathBuf::from);
        } else {
            shared = PathBuf::from(a);
        }
    }
    let mut errors = String::new();
    let table =
        kroniek_eval::run_with(name, &shared, errors_file.is_some().then_some(&mut errors))?;
    print!("{table}");
    if let Some(f) = errors_file {
        std::fs::write(f, errors)?;
    }
    Ok(())
}
