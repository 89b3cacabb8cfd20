#!/usr/bin/env python3
"""Build crampbot's open vocabularies of other health topics and of medicines.

Standard library only, offline.  SOURCE.md says where each input file comes from
(repository, path, commit) and how to bring it out of a clone of that repository.

    python3 extract.py conditions DOID_OBO [MORE.obo ...] [HumanDO.tsv] [symp_import.owl] > conditions.txt
    python3 extract.py medicines  ORANGE_BOOK.zip|products.txt                             > medicines.txt

conditions: every input is read by its file name ending:
  *.obo  Disease Ontology in OBO format: the name and every synonym of each live DOID term
  *.tsv  DOreports/HumanDO.tsv (columns id, label, subClassOf): the label of each term
  *.owl  src/ontology/imports/symp_import.owl (RDF/XML): label and exact/related synonyms of SYMP terms
medicines: FDA Orange Book products.txt (inside the FDA zip, or extracted): every active
  ingredient (split at ';'), the ingredient without its salt or ester word, every trade name.

Output: one lower-case ASCII name a line, deduplicated, sorted (byte order).
"""

import csv
import re
import sys
import unicodedata
import xml.etree.ElementTree as ET
import zipfile

# --------------------------------------------------------------------------- text clean-up

_PUNCT_MAP = {
    "\u2018": "'", "\u2019": "'", "\u201b": "'", "\u2032": "'", "`": "'",
    "\u201c": '"', "\u201d": '"',
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2212": "-",
    "\u00a0": " ", "\u00df": "ss", "\u00e6": "ae", "\u00c6": "AE", "\u0153": "oe", "\u00f8": "o",
    "\u00d8": "O", "\u0142": "l", "\u03b1": "alpha", "\u03b2": "beta", "\u03b3": "gamma",
    "\u03b4": "delta", "\u03ba": "kappa", "\u03bb": "lambda", "\u03bc": "mu",
}

# Characters an entry may keep; anything else (":", ";", "=", "?", quotes, ...) drops the entry.
_ALLOWED = re.compile(r"^[a-z0-9][a-z0-9 '\-/.,+&]*$")  # "," and "." are then refused in clean()


def ascii_fold(text):
    """Map typographic punctuation and Greek letters to ASCII, strip accents."""
    text = "".join(_PUNCT_MAP.get(ch, ch) for ch in text)
    text = unicodedata.normalize("NFKD", text)
    return text.encode("ascii", "ignore").decode("ascii")


def strip_brackets(text):
    """Remove (...) and [...] groups, innermost first."""
    previous = None
    while previous != text:
        previous = text
        text = re.sub(r"\([^()]*\)", " ", text)
        text = re.sub(r"\[[^\[\]]*\]", " ", text)
    return text.replace("(", " ").replace(")", " ").replace("[", " ").replace("]", " ")


def squeeze(text):
    text = re.sub(r"\s+", " ", text).strip()
    text = re.sub(r"\s+([,.])", r"\1", text)
    return text.strip(" ,.;:-&/")


# Tails after the only comma that are moved to the front:
# "diabetes mellitus, type 2" -> "type 2 diabetes mellitus".
_TYPE_TAIL = re.compile(r"^(type|group|class|grade|stage) [0-9ivx]+[a-z]?$")
_MODIFIER_TAILS = {
    "acute", "chronic", "adult", "adult-onset", "childhood", "juvenile", "infantile", "neonatal",
    "congenital", "familial", "hereditary", "inherited", "primary", "secondary", "idiopathic",
    "malignant", "benign", "recurrent", "severe", "mild", "early-onset", "late-onset", "generalized",
    "localized", "focal", "diffuse", "bilateral", "unilateral", "left", "right", "acquired",
    "female", "male", "human", "pulmonary", "cutaneous", "systemic", "ocular", "renal", "hepatic",
    "cerebral", "spinal", "intestinal", "gastric", "viral", "bacterial", "fungal", "allergic",
    "atypical", "classic", "classical", "mixed", "nonspecific", "unspecified",
}


def uninvert(text):
    """'x, type 2' -> 'type 2 x' when the only comma ends a short modifier; else unchanged."""
    if text.count(",") != 1:
        return text
    head, tail = (part.strip() for part in text.split(","))
    if not head or not tail:
        return text
    if _TYPE_TAIL.match(tail) or tail in _MODIFIER_TAILS:
        return f"{tail} {head}"
    return text


def unlist(text):
    """'hand, foot and mouth disease' -> 'hand foot and mouth disease' (a short enumeration)."""
    if "," in text and " and " in text and len(text.split()) <= 5:
        return re.sub(r",\s*", " ", text)
    return text


def clean(raw, max_words=8, max_chars=80):
    """Return the normalised entry for one source string, or None to drop it.

    Entries still holding a comma after uninvert()/unlist() are dropped: in these sources they are
    inverted catalogue headings ("leukemia, myelocytic, acute") that no one types.  So are entries
    with a full stop: clipped words ("acute inf. polyneuritis") and band names ("22q11.2 deletion")."""
    text = ascii_fold(raw)
    text = strip_brackets(text)
    text = text.lower()
    text = re.sub(r"\s*,?\s+nos$", "", text)          # "... nos" = not otherwise specified
    text = squeeze(text)
    text = uninvert(text)
    text = unlist(text)
    if not text or "," in text or "." in text or not _ALLOWED.match(text):
        return None
    if len(text) > max_chars or len(text.split()) > max_words:
        return None
    if not re.search(r"[a-z]{3}", text):                # "a1", "2-d", codes: no real word
        return None
    return text


def is_abbreviation(raw):
    """A lone token, once brackets and a trailing 'NOS' are gone, with a part (between '-' or '/')
    holding two or more capitals: 'ALL', 'CHD (coronary heart disease)', 'GvHD', 'aCML', 'DOA+',
    'CANDLE', 'LGMD2A', 'COVID-19'; not 'Kala-Azar' or 'Alpha-D-Mannosidosis'."""
    core = squeeze(strip_brackets(ascii_fold(raw)))
    core = re.sub(r"\s+NOS$", "", core)
    if " " in core:
        return False
    return any(sum(ch.isupper() for ch in part) >= 2 for part in re.split(r"[-/]", core))


# --------------------------------------------------------------------------- conditions

# Entries too general to name "another" health topic (they would match almost any question),
# and entries that are everyday words, reviewed by hand against an English word list.
CONDITION_STOP = {
    # too general
    "disease", "diseases", "disorder", "syndrome", "illness", "sickness", "condition", "symptom",
    "sign", "finding", "abnormality", "lesion", "lesions", "pain", "ache", "inflammation",
    "infection", "injury", "trauma", "bleeding", "hemorrhage", "cancer", "tumor", "tumour",
    "neoplasm", "disease of anatomical entity", "disease by infectious agent",
    "disease of cellular proliferation", "disease of mental health", "disease of metabolism",
    "genetic disease", "physical disorder", "syndrome disease", "general symptom",
    "cellular proliferation", "anatomical entity",
    # Symptom Ontology entries that are everyday words, adjectives or veterinary signs
    "crinkle", "discharge", "fecal", "hopping", "wobble", "wheelbarrowing", "shakes", "languid",
    "recumbency", "hematogenous", "hyperemic", "hypotensive", "icteric", "afebrile", "uredo",
    "perspire", "sweaty", "caseation", "stimming", "gas", "cold", "tag", "del",
}

# One-word abbreviations (see is_abbreviation: "ALL", "CAN", "DISH", "CANDLE", "aCML") are dropped:
# most are opaque OMIM-style codes and many collide with English words.
# These well-known consumer abbreviations are kept.
CONDITION_ABBREV_KEEP = {
    "adhd", "aids", "als", "ards", "cfs", "chd", "chf", "ckd", "cjd", "cll", "cml", "copd", "covid-19",
    "covid19", "cva", "dlbcl", "dvt", "gerd", "gvhd", "hfmd", "hiv", "hnpcc", "hpv", "htn", "ibd", "ibs",
    "iddm", "mers", "mgus", "mody", "mrsa", "niddm", "nsclc", "ocd", "pcos", "pku", "ptsd", "rsv",
    "sars", "sclc", "siadh", "sids", "std", "sti", "tia", "uti",
}


def read_obo(path):
    """Yield the name and every synonym (any scope) of each live DOID term of an OBO file."""
    with open(path, encoding="utf-8", errors="replace") as handle:
        stanza = None
        for line in handle:
            line = line.rstrip("\n")
            if line.startswith("["):
                if stanza:
                    yield from _emit_obo(stanza)
                stanza = {"type": line, "names": [], "obsolete": False, "id": ""} if line == "[Term]" else None
                continue
            if stanza is None:
                continue
            if line.startswith("id: "):
                stanza["id"] = line[4:].strip()
            elif line.startswith("name: "):
                stanza["names"].append(line[6:].strip())
            elif line.startswith("synonym: "):
                match = re.match(r'synonym: "((?:[^"\\]|\\.)*)"\s+(\w+)', line)
                if match:
                    stanza["names"].append(match.group(1).replace('\\"', '"'))
            elif line.startswith("is_obsolete: true"):
                stanza["obsolete"] = True
        if stanza:
            yield from _emit_obo(stanza)


def _emit_obo(stanza):
    if stanza["obsolete"] or not stanza["id"].startswith("DOID:"):
        return
    yield from stanza["names"]


def read_do_tsv(path):
    with open(path, encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle, delimiter="\t")
        header = next(reader)
        label = header.index("label")
        for row in reader:
            if len(row) > label and row[0].strip('"').startswith("DOID:"):
                yield row[label].strip('"')


_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_OWL = "http://www.w3.org/2002/07/owl#"
_RDFS = "http://www.w3.org/2000/01/rdf-schema#"
_OIO = "http://www.geneontology.org/formats/oboInOwl#"


def read_symp_owl(path):
    root = ET.parse(path).getroot()
    for cls in root.iter(f"{{{_OWL}}}Class"):
        about = cls.get(f"{{{_RDF}}}about", "")
        if "/SYMP_" not in about:
            continue
        if any((el.text or "").strip() == "true" for el in cls.iter(f"{{{_OWL}}}deprecated")):
            continue
        for el in cls:
            tag = el.tag
            if tag == f"{{{_RDFS}}}label" and el.text:
                yield el.text
            elif tag in (f"{{{_OIO}}}hasExactSynonym", f"{{{_OIO}}}hasRelatedSynonym") and el.text:
                yield el.text


def expand(items):
    """'GERD - Gastro-esophageal reflux disease' -> 'GERD', 'Gastro-esophageal reflux disease';
    'Bernard - Soulier thrombopathy' -> 'Bernard-Soulier thrombopathy'."""
    for raw in items:
        if " - " not in raw:
            yield raw
            continue
        head, _, tail = raw.partition(" - ")
        if is_abbreviation(head):
            yield head
            yield tail
        else:
            yield re.sub(r"\s+-\s+", "-", raw)


def conditions(paths):
    out = set()
    for path in paths:
        if path.endswith(".obo"):
            items = read_obo(path)
        elif path.endswith(".tsv"):
            items = read_do_tsv(path)
        elif path.endswith(".owl"):
            items = read_symp_owl(path)
        else:
            sys.exit(f"extract.py: do not know how to read {path}")
        for raw in expand(items):
            entry = clean(raw)
            if entry is None or entry in CONDITION_STOP or len(entry) < 3:
                continue
            if is_abbreviation(raw) and entry not in CONDITION_ABBREV_KEEP:
                continue
            out.add(entry)
    return out


# --------------------------------------------------------------------------- medicines

# Salt, ester and hydrate words at the end of an ingredient name: "metformin hydrochloride" -> "metformin".
SALT_WORDS = {
    "acetate", "acetonide", "anhydrous", "arginine", "aspartate", "benzoate", "besylate", "bicarbonate",
    "bitartrate", "bromide", "butyrate", "calcium", "camsylate", "carbonate", "chloride", "citrate",
    "cypionate", "decanoate", "diacetate", "dihydrate", "dihydrochloride", "dipropionate", "disodium",
    "dimesylate", "edisylate", "enanthate", "erbumine", "esylate", "ethanolamine", "fumarate",
    "gluconate", "glycinate", "hemifumarate", "hemihydrate", "hexahydrate", "hydrobromide",
    "hydrochloride", "hcl", "hyclate", "hydrate", "iodide", "isethionate", "lactate", "lysine",
    "magnesium", "maleate", "malate", "mesylate", "methylbromide", "methylsulfate", "meglumine",
    "monohydrate", "mononitrate", "napsylate", "nitrate", "oleate", "oxalate", "palmitate", "pamoate",
    "phosphate", "potassium", "propionate", "saccharate", "salicylate", "sesquihydrate", "sodium",
    "stearate", "succinate", "sulfate", "tartrate", "tannate", "tebutate", "teoclate", "tosylate",
    "trihydrate", "tromethamine", "undecanoate", "valerate", "xinafoate", "zinc", "hydriodide",
    "medoxomil", "cilexetil", "pivoxil", "proxetil", "axetil", "dipivoxil", "disoproxil", "alafenamide",
    "mofetil", "dimeglumine",
}

# A stripped base that is itself an element or mineral is not kept ("potassium chloride" stays whole).
MINERAL_BASES = {
    "sodium", "potassium", "calcium", "magnesium", "zinc", "iron", "ferrous", "ferric", "aluminum",
    "ammonium", "copper", "cupric", "manganese", "selenium", "chromium", "chromic", "silver", "gold",
    "barium", "strontium", "cesium", "rubidium", "hydrogen", "bismuth", "cobalt", "gallium", "thallous",
    "indium", "technetium", "sodium fluoride", "stannous", "water",
}

# Words after a trade name that only name a release form or a package.
RELEASE_SUFFIXES = {
    "xr", "er", "sr", "xl", "cr", "la", "cd", "xt", "odt", "dr", "ec", "hct", "plus", "forte", "pm",
    "liqui-gels", "pak", "kit", "sprinkle", "pfs", "solutab", "lipid", "ds", "hd", "es", "ir",
}

PACKAGE_PHRASES = [
    r" in plastic container.*$", r" in dextrose.*$", r" in sodium chloride.*$", r" in sterile water.*$",
    r" preservative free$", r" in dual chamber container.*$", r" in lactated ringer'?s.*$",
    r" pharmacy bulk package.*$", r" single dose.*$", r" multi-?dose.*$", r" autoinjector$",
    r" kit$", r" prefilled syringe$", r" pen$", r" and .* in plastic container.*$",
]

# Trade names (or ingredients) that are everyday English words or first names: they would match
# ordinary sentences ("today", "versed", "dial", "thrive").  Reviewed by hand against a word list.
MEDICINE_STOP = {
    "alcohol", "allay", "amen", "dial", "ella", "heather", "hms", "intermezzo", "muse", "nikita",
    "nikki", "nix", "quartette", "sojourn", "sonata", "sulla", "tao", "thrive", "today", "triad",
    "versed",
}


def strip_salt(name):
    words = name.split()
    while len(words) > 1 and words[-1] in SALT_WORDS:
        words.pop()
    base = " ".join(words)
    if base == name or base in MINERAL_BASES or len(base) < 4:
        return None
    return base


def clean_trade(raw):
    text = ascii_fold(raw).lower().strip()
    for phrase in PACKAGE_PHRASES:
        text = re.sub(phrase, "", text)
    text = text.replace(" w/ ", " with ").replace("w/", "with ")
    return text


def read_products(path):
    if path.endswith(".zip"):
        with zipfile.ZipFile(path) as archive:
            member = next(n for n in archive.namelist() if n.lower().endswith("products.txt"))
            data = archive.read(member)
    else:
        with open(path, "rb") as handle:
            data = handle.read()
    text = data.decode("cp1252", errors="replace")
    lines = text.splitlines()
    header = lines[0].split("~")
    col_ing, col_trade = header.index("Ingredient"), header.index("Trade_Name")
    for line in lines[1:]:
        fields = line.split("~")
        if len(fields) > max(col_ing, col_trade):
            yield fields[col_ing], fields[col_trade]


def medicines(paths):
    out = set()

    def add(raw_entry):
        entry = clean(raw_entry, max_words=6, max_chars=60)
        if entry is None or entry in MEDICINE_STOP or re.search(r"[0-9%]", entry):
            return
        out.add(entry)

    for path in paths:
        for ingredients, trade in read_products(path):
            for ingredient in ingredients.split(";"):
                ingredient = ingredient.strip()
                if not ingredient:
                    continue
                add(ingredient)
                base = strip_salt(ascii_fold(ingredient).lower().strip())
                if base:
                    add(base)
            name = clean_trade(trade)
            if name:
                add(name)
                words = name.split()
                while len(words) > 1 and words[-1] in RELEASE_SUFFIXES:
                    words.pop()
                if len(words) < len(name.split()):
                    add(" ".join(words))
    return out


# --------------------------------------------------------------------------- main

def main(argv):
    if len(argv) < 3 or argv[1] not in ("conditions", "medicines"):
        sys.exit(__doc__)
    entries = conditions(argv[2:]) if argv[1] == "conditions" else medicines(argv[2:])
    sys.stdout.write("".join(f"{entry}\n" for entry in sorted(entries)))


if __name__ == "__main__":
    main(sys.argv)
