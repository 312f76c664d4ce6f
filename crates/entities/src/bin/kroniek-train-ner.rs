//! Trains the recognisers of kroniek-entities.
//!
//! ```text
//! kroniek-train-ner lexicon --out data/lexicon-nl.tsv [--conll FILE]... [--bio FILE]... [--jsonl FILE]... [--text FILE_OR_DIR]...
//! kroniek-train-ner train --lang nl --train ned.train --dev ned.testa --lexicon data/lexicon-nl.tsv [--emb-clusters data/use-clusters.tsv] --out data/ner-nl.bin [--epochs N] [--folds N] [--seeds N] [--countries-as-places 0|1]
//! kroniek-train-ner eval --model data/ner-nl.bin FILE...
//! ```
//! See `crates/entities/data/README.md` for the exact commands used for the
//! shipped models.

use std::path::Path;

use anyhow::{bail, Context};
use kroniek_entities::clusters::{build_lexicon, ClusterConfig};
use kroniek_entities::features::Lexicon;
use kroniek_entities::model::{evaluate, train, TrainConfig};
use kroniek_entities::{read_conll, NerModel};

const LICENCE_NOTE: &str = "Derived from research-only data (CoNLL shared-task annotations); \
research and evaluation use only, see crates/entities/data/NOTICE.md";

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(cmd) = args.first() else {
        bail!("usage: kroniek-train-ner lexicon|train|eval ...");
    };
    let opts = Opts(&args[1..]);
    match cmd.as_str() {
        "lexicon" => lexicon(&opts),
        "train" => train_cmd(&opts),
        "eval" => eval_cmd(&opts),
        other => bail!("unknown command {other}"),
    }
}

struct Opts<'a>(&'a [String]);

impl Opts<'_> {
    fn all(&self, name: &str) -> Vec<&str> {
        self.0
            .windows(2)
            .filter(|w| w[0] == name)
            .map(|w| w[1].as_str())
            .collect()
    }
    fn one(&self, name: &str) -> Option<&str> {
        self.all(name).into_iter().last()
    }
    fn req(&self, name: &str) -> anyhow::Result<&str> {
        self.one(name)
            .with_context(|| format!("{name} is required"))
    }
    fn num<T: std::str::FromStr>(&self, name: &str, default: T) -> anyhow::Result<T> {
        match self.one(name) {
            None => Ok(default),
            Some(s) => s.parse().map_err(|_| anyhow::anyhow!("bad {name}: {s}")),
        }
    }
    fn positional(&self) -> Vec<&str> {
        let mut out = Vec::new();
        let mut skip = false;
        for a in self.0 {
            if skip {
                skip = false;
            } else if a.starts_with("--") {
                skip = true;
            } else {
                out.push(a.as_str());
            }
        }
        out
    }
}

fn read(path: &str) -> anyhow::Result<String> {
    std::fs::read_to_string(path).with_context(|| format!("reading {path}"))
}

fn text_sentences(text: &str, out: &mut Vec<Vec<String>>) {
    let lang = kroniek_text::detect_language(text);
    let toks = kroniek_text::tokenize(text);
    let mut ti = 0;
    for r in kroniek_text::sentences(text, &lang) {
        let mut s = Vec::new();
        while ti < toks.len() && toks[ti].start < r.end {
            if toks[ti].start >= r.start {
                s.push(toks[ti].text.to_string());
            }
            ti += 1;
        }
        if !s.is_empty() {
            out.push(s);
        }
    }
}

fn collect_files(p: &Path, out: &mut Vec<std::path::PathBuf>) {
    if p.is_dir() {
        let mut v: Vec<_> = std::fs::read_dir(p)
            .map(|rd| rd.filter_map(|e| e.ok().map(|e| e.path())).collect())
            .unwrap_or_default();
        v.sort();
        for c in v {
            collect_files(&c, out);
        }
    } else if p.is_file() {
        out.push(p.to_path_buf());
    }
}

fn lexicon(o: &Opts) -> anyhow::Result<()> {
    let mut sents: Vec<Vec<String>> = Vec::new();
    for f in o.all("--conll") {
        for d in read_conll(&read(f)?) {
            sents.extend(d.sentences.into_iter().map(|s| s.words));
        }
    }
    for f in o.all("--bio") {
        // One token per line, no sentence breaks: cut after . ! ?
        let mut cur = Vec::new();
        for line in read(f)?.lines() {
            let Some(w) = line.split_whitespace().next() else {
                continue;
            };
            cur.push(w.to_string());
            if matches!(w, "." | "!" | "?") {
                sents.push(std::mem::take(&mut cur));
            }
        }
        sents.push(cur);
    }
    for f in o.all("--jsonl") {
        for line in read(f)?.lines() {
            let v: serde_json::Value = serde_json::from_str(line)?;
            for key in ["raw", "text"] {
                if let Some(t) = v.get(key).and_then(|t| t.as_str()) {
                    text_sentences(t, &mut sents);
                }
            }
        }
    }
    for f in o.all("--text") {
        let mut files = Vec::new();
        collect_files(Path::new(f), &mut files);
        for f in files {
            if let Ok(t) = std::fs::read_to_string(&f) {
                text_sentences(&t, &mut sents);
            }
        }
    }
    let tokens: usize = sents.iter().map(Vec::len).sum();
    eprintln!("{} sentences, {tokens} tokens", sents.len());
    let mut cfg = ClusterConfig::default();
    if let Some(ks) = o.one("--ks") {
        cfg.ks = ks.split(',').filter_map(|k| k.parse().ok()).collect();
    }
    cfg.min_freq = o.num("--min-freq", cfg.min_freq)?;
    cfg.contexts = o.num("--contexts", cfg.contexts)?;
    cfg.max_vocab = o.num("--max-vocab", cfg.max_vocab)?;
    let lex = build_lexicon(&sents, &cfg, true);
    let out = o.req("--out")?;
    std::fs::write(out, lex.to_text())?;
    eprintln!("wrote {out}: {} words", lex.words.len());
    Ok(())
}

fn train_cmd(o: &Opts) -> anyhow::Result<()> {
    let lang = o.req("--lang")?;
    let train_docs = read_conll(&read(o.req("--train")?)?);
    let dev = match o.one("--dev") {
        Some(f) => Some(read_conll(&read(f)?)),
        None => None,
    };
    let mut lexicon = match o.one("--lexicon") {
        Some(f) => Lexicon::parse(&read(f)?),
        None => Lexicon::default(),
    };
    if let Some(f) = o.one("--emb-clusters") {
        lexicon.add_embedding_clusters(&read(f)?);
    }
    let d = TrainConfig::default();
    let cfg = TrainConfig {
        epochs: o.num("--epochs", d.epochs)?,
        folds: o.num("--folds", d.folds)?,
        prune: o.num("--prune", d.prune)?,
        min_count: o.num("--min-count", d.min_count)?,
        seed: o.num("--seed", d.seed)?,
        seeds: o.num("--seeds", d.seeds)?,
        verbose: true,
        countries_as_places: o.num::<u8>("--countries-as-places", 0)? != 0,
    };
    let start = std::time::Instant::now();
    let model = train(lang, &train_docs, dev.as_deref(), lexicon, &cfg);
    eprintln!(
        "trained in {:.0}s; features per stage: {:?}",
        start.elapsed().as_secs_f64(),
        model
            .stages
            .iter()
            .map(|s| s.n_features())
            .collect::<Vec<_>>()
    );
    let bytes = model.to_bytes(LICENCE_NOTE)?;
    let out = o.req("--out")?;
    std::fs::write(out, &bytes)?;
    eprintln!("wrote {out}: {} bytes", bytes.len());
    let model = NerModel::from_bytes(&bytes)?;
    if let Some(dev) = &dev {
        let (sc, _) = evaluate(&model, dev);
        println!("dev (quantised model)\n{}", sc.table());
    }
    for f in o.all("--test") {
        let (sc, _) = evaluate(&model, &read_conll(&read(f)?));
        println!("{f}\n{}", sc.table());
    }
    Ok(())
}

fn eval_cmd(o: &Opts) -> anyhow::Result<()> {
    let model = NerModel::from_bytes(&std::fs::read(o.req("--model")?)?)?;
    for f in o.positional() {
        let docs = read_conll(&read(f)?);
        let start = std::time::Instant::now();
        let (sc, preds) = evaluate(&model, &docs);
        let secs = start.elapsed().as_secs_f64();
        println!(
            "{f}: {:.0} tokens/s\n{}",
            sc.tokens as f64 / secs,
            sc.table()
        );
        if let Some(out) = o.one("--write") {
            let mut s = String::new();
            for (d, p) in docs.iter().zip(&preds) {
                for (sent, tags) in d.sentences.iter().zip(p) {
                    for ((w, g), t) in sent.words.iter().zip(&sent.tags).zip(tags) {
                        s.push_str(&format!("{w} {g} {t}\n"));
                    }
                    s.push('\n');
                }
            }
            std::fs::write(out, s)?;
        }
    }
    Ok(())
}
