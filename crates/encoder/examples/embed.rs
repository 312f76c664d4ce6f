//! `embed [--pieces]`: one line of text per input line → its embedding (or
//! its piece ids) as a JSON array per output line. For checking against
//! the Python reference.

use std::io::{BufRead, Write};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let pieces = std::env::args().any(|a| a == "--pieces");
    let enc = kroniek_encoder::Encoder::load_default()?;
    let mut out = std::io::stdout().lock();
    for line in std::io::stdin().lock().lines() {
        let line = line?;
        if pieces {
            writeln!(out, "{:?}", enc.pieces(&line))?;
        } else {
            let v: Vec<String> = enc.embed(&line).iter().map(|x| format!("{x:.6}")).collect();
            writeln!(out, "[{}]", v.join(", "))?;
        }
    }
    Ok(())
}
