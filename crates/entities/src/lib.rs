//! The entity stage of Kroniek: named-entity recognition for Dutch and
//! English (PER, ORG, LOC, MISC as in CoNLL), aliasing within an article and
//! linking across articles.
//!
//! * [`annotate`] fills `doc.entities` with mentions whose `entity` is a
//!   document-local cluster key (`local:N`).
//! * [`Linker`] merges the local clusters of many documents into corpus
//!   entities ([`kroniek_model::EntityRecord`]).
//! * [`score_conll`] and [`run_eval`] score the recogniser conlleval-style.
//!
//! The recognisers are trained by this crate (`kroniek-train-ner`, see
//! `data/README.md`) and shipped in `data/ner-{nl,en}.bin`.

pub mod aliases;
pub mod clusters;
pub mod conll;
pub mod features;
pub mod gazetteer;
mod linker;
pub mod model;
mod recognize;
mod within;
mod words;

pub use conll::{read_conll, score_conll, ConllDoc, ConllScores, ConllSentence, Counts};
pub use linker::Linker;
pub use model::NerModel;
pub use recognize::{model_for, recognize, Span};
pub use within::{annotate, cluster_mentions, name_key};

use std::path::Path;

/// Runs an evaluation and returns the printed table.
///
/// * `conll2002`: the Dutch model on `corpora/conll2002_nl/ned.testa` and
///   `ned.testb`.
/// * `conll2003`: the English model on `corpora/conll2003_en/eng.testa`
///   and `eng.testb`.
/// * `ecbplus-entities`: not available yet (returns an error).
///
/// `shared` is the folder holding `corpora/`.
pub fn run_eval(corpus: &str, shared: &Path) -> anyhow::Result<String> {
    let (lang, dir, files): (&str, &str, [&str; 2]) = match corpus {
        "conll2002" => ("nl", "conll2002_nl", ["ned.testa", "ned.testb"]),
        "conll2003" => ("en", "conll2003_en", ["eng.testa", "eng.testb"]),
        "ecbplus-entities" => anyhow::bail!("ecbplus-entities evaluation is not implemented yet"),
        other => anyhow::bail!("unknown corpus {other:?} (conll2002, conll2003, ecbplus-entities)"),
    };
    let model = model_for(lang).ok_or_else(|| anyhow::anyhow!("no {lang} model is shipped"))?;
    let mut out = String::new();
    for f in files {
        let path = shared.join("corpora").join(dir).join(f);
        let text = std::fs::read_to_string(&path)
            .map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
        let docs = read_conll(&text);
        let start = std::time::Instant::now();
        let (sc, _) = model::evaluate(model, &docs);
        let secs = start.elapsed().as_secs_f64();
        out.push_str(&format!(
            "{corpus} {f} ({} tokens, {:.0} tokens/s)\n{}\n",
            sc.tokens,
            sc.tokens as f64 / secs.max(1e-9),
            sc.table()
        ));
    }
    Ok(out)
}
