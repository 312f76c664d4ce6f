//! `kroniek eval NAME` and the TimeML output of `kroniek annotate`.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};
use kroniek_model::Document;

/// Where the shared corpora are when `--shared` is not given: `$KRONIEK_SHARED`,
/// else `../shared` seen from the working directory, else `../shared` next to
/// the source tree the binary was built from.
fn default_shared() -> PathBuf {
    if let Some(dir) = std::env::var_os("KRONIEK_SHARED") {
        return PathBuf::from(dir);
    }
    let here = PathBuf::from("../shared");
    if here.join("corpora").is_dir() {
        return here;
    }
    kroniek_eval::default_shared()
}

/// Runs one evaluation (any name is passed to `kroniek_eval::run`, which
/// reports unknown names with the list of known ones) and prints its table.
/// With `errors`, the mismatches on the development splits are written there.
pub fn eval(name: &str, shared: Option<PathBuf>, errors: Option<PathBuf>) -> Result<ExitCode> {
    let shared = shared.unwrap_or_else(default_shared);
    let mut listing = String::new();
    let table = kroniek_eval::run_with(name, &shared, errors.is_some().then_some(&mut listing))
        .with_context(|| format!("evaluation {name:?} (corpora in {})", shared.display()))?;
    let mut out = std::io::stdout().lock();
    out.write_all(table.as_bytes())?;
    out.flush()?;
    if let Some(path) = errors {
        std::fs::write(&path, listing)
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    Ok(ExitCode::SUCCESS)
}

/// Writes annotated documents as TempEval-3 style TimeML: one file per
/// document into `dir` when given (named after the source file, so the
/// official scorer can pair them with gold files), else to `out`, one
/// TimeML document after the other.
pub struct TimemlWriter {
    dir: Option<PathBuf>,
    written: std::collections::HashSet<String>,
}

impl TimemlWriter {
    pub fn new(dir: Option<PathBuf>) -> Result<Self> {
        if let Some(d) = &dir {
            std::fs::create_dir_all(d).with_context(|| format!("cannot create {}", d.display()))?;
        }
        Ok(Self {
            dir,
            written: Default::default(),
        })
    }

    pub fn write(&mut self, out: &mut dyn Write, doc: &Document) -> Result<()> {
        let xml = kroniek_eval::to_timeml(doc);
        match self.dir.clone() {
            None => out.write_all(xml.as_bytes())?,
            Some(dir) => {
                let name = self.file_name(doc);
                let path = dir.join(&name);
                std::fs::write(&path, xml)
                    .with_context(|| format!("cannot write {}", path.display()))?;
            }
        }
        Ok(())
    }

    /// `a.tml` for a TimeML source `.../a.tml`, `b.txt.tml` for `b.txt`,
    /// `c.jsonl.7.tml` for record 7 of `c.jsonl`; unique within one run.
    fn file_name(&mut self, doc: &Document) -> String {
        let (path, record) = match doc.source.rsplit_once('#') {
            Some((p, r)) if !r.is_empty() && r.bytes().all(|b| b.is_ascii_digit()) => (p, Some(r)),
            _ => (doc.source.as_str(), None),
        };
        let base = Path::new(path)
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .filter(|n| !n.is_empty())
            .unwrap_or_else(|| doc.id.clone());
        let base = match record {
            Some(r) => format!("{base}.{r}"),
            None => base,
        };
        let stem = base.strip_suffix(".tml").unwrap_or(&base).to_string();
        let mut name = format!("{stem}.tml");
        let mut n = 1;
        while !self.written.insert(name.clone()) {
            n += 1;
            name = format!("{stem}.{n}.tml");
        }
        name
    }
}
