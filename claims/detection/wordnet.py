"""WordNet 3.0 read from its own data files: antonyms, synonyms and more specific words.

Contracts:
- ``antonyms(x, y)``: some sense of word ``x`` has a WordNet antonym that is a sense of ``y``
  ("hitting" / "missing", "full" / "empty", "won" / "lost").
- ``covers(general, specific)``: ``specific`` means ``general`` or something more specific: a
  shared synset ("performing" / "playing") or ``general`` among the hypernyms of ``specific``, up
  to ``HYPERNYM_DEPTH`` steps ("car" / "sedan", "hit" / "whacking").
- Words are looked up in any inflection: exceptions lists first ("ran" -> "run"), then WordNet's
  own suffix rules, as its ``morphy`` does.

The database is Princeton's WordNet 3.0 as Debian's ``wordnet-base`` installs it
(``/usr/share/wordnet``; another folder can be named in ``CORROBORATE_WORDNET_DIR``). It is read
once per process, on first use (about half a second), and kept: only the synsets, antonym and
hypernym pointers are held. A missing database is an error, not a silent fallback: the checks
would judge differently on different machines.

Everything here is a pure function of its input and the database; nothing imports Django.
"""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass
from pathlib import Path

DEFAULT_DIR = "/usr/share/wordnet"
HYPERNYM_DEPTH = 2
_PARTS = (("verb", "v"), ("adj", "a"), ("noun", "n"), ("adv", "r"))
# WordNet's morphy rules: (suffix, replacement) per part of speech
_SUFFIXES = {
    "n": (
        ("s", ""),
        ("ses", "s"),
        ("xes", "x"),
        ("zes", "z"),
        ("ches", "ch"),
        ("shes", "sh"),
        ("men", "man"),
        ("ies", "y"),
    ),
    "v": (
        ("s", ""),
        ("ies", "y"),
        ("es", "e"),
        ("es", ""),
        ("ed", "e"),
        ("ed", ""),
        ("ing", "e"),
        ("ing", ""),
    ),
    "a": (("er", ""), ("est", ""), ("er", "e"), ("est", "e")),
    "r": (),
}

# A synset is its byte offset in its data file times four plus its part of speech's index, so
# the tables hold small ints rather than tuples (the whole database then takes about 40 MiB).
Synset = int
_PART_INDEX = {"v": 0, "a": 1, "n": 2, "r": 3}


def _synset(pos: str, offset: int) -> Synset:
    return offset * 4 + _PART_INDEX[pos]


class WordNetMissing(RuntimeError):
    """The WordNet files are not where they are expected."""


@dataclass(frozen=True, slots=True)
class _Database:
    synsets: dict[str, tuple[Synset, ...]]  # "pos:lemma" -> senses
    antonyms: dict[str, frozenset[str]]  # lemma -> antonym lemmas (any sense)
    hypernyms: dict[Synset, tuple[Synset, ...]]
    exceptions: dict[tuple[str, str], tuple[str, ...]]  # (inflected, pos) -> lemmas


def wordnet_dir() -> Path:
    return Path(os.environ.get("CORROBORATE_WORDNET_DIR") or DEFAULT_DIR)


def _read_data(
    folder: Path, name: str, pos: str, db: _Database, names: dict[Synset, list[str]]
) -> list[tuple[str, Synset, int]]:
    """Senses and pointers of one ``data.<name>`` file; returns its antonym pointers to resolve."""
    pending: list[tuple[str, Synset, int]] = []
    with (folder / f"data.{name}").open(encoding="latin-1") as lines:
        for line in lines:
            if line.startswith(" "):
                continue  # the licence header
            fields = line.split(" | ", 1)[0].split()
            key = _synset(pos, int(fields[0]))
            count = int(fields[3], 16)
            words = [fields[4 + 2 * i].lower().split("(", 1)[0] for i in range(count)]
            names[key] = words
            for word in words:
                entry = f"{pos}:{word}"
                db.synsets[entry] = (*db.synsets.get(entry, ()), key)
            at = 4 + 2 * count
            pointers = int(fields[at])
            at += 1
            ups: list[Synset] = []
            for _ in range(pointers):
                symbol, offset, target_pos, source_target = fields[at : at + 4]
                at += 4
                target = _synset("a" if target_pos == "s" else target_pos, int(offset))
                if symbol in ("@", "@i"):
                    ups.append(target)
                elif symbol == "!":
                    source = int(source_target[:2], 16)
                    if 0 < source <= len(words):
                        pending.append((words[source - 1], target, int(source_target[2:], 16)))
            if ups:
                db.hypernyms[key] = tuple(ups)
    return pending


@functools.cache
def _database() -> _Database:
    folder = wordnet_dir()
    if not (folder / "data.verb").is_file():
        raise WordNetMissing(
            f"WordNet is not in {folder}: install Debian's wordnet-base (make install does, as root) "
            "or set CORROBORATE_WORDNET_DIR to a folder holding WordNet 3.0's data.* and *.exc files."
        )
    db = _Database(synsets={}, antonyms={}, hypernyms={}, exceptions={})
    names: dict[Synset, list[str]] = {}
    pending: list[tuple[str, Synset, int]] = []
    for name, pos in _PARTS:
        pending += _read_data(folder, name, pos, db, names)
        exceptions = folder / f"{name}.exc"
        if exceptions.is_file():
            for line in exceptions.open(encoding="latin-1"):
                inflected, *bases = line.split()
                db.exceptions[(inflected, pos)] = tuple(bases)
    found: dict[str, set[str]] = {}
    for word, target, index in pending:
        lemmas = names.get(target, [])
        if 0 < index <= len(lemmas):
            found.setdefault(word, set()).add(lemmas[index - 1])
    db.antonyms.update({word: frozenset(other) for word, other in found.items()})
    return db


@functools.lru_cache(maxsize=65536)
def base_forms(word: str) -> frozenset[tuple[str, str]]:
    """(lemma, pos) pairs WordNet knows for ``word`` in any inflection."""
    db = _database()
    low = word.lower()
    out: set[tuple[str, str]] = set()
    for _, pos in _PARTS:
        candidates = [low, *db.exceptions.get((low, pos), ())]
        for suffix, replacement in _SUFFIXES[pos]:
            if low.endswith(suffix) and len(low) > len(suffix) + 1:
                candidates.append(low[: -len(suffix)] + replacement)
        if pos == "v" and low.endswith(("ing", "ed")):  # doubled consonant: "hitting", "stopped"
            doubled = low[:-3] if low.endswith("ing") else low[:-2]
            if len(doubled) > 2 and doubled[-1] == doubled[-2]:
                candidates.append(doubled[:-1])
        out.update((base, pos) for base in candidates if f"{pos}:{base}" in db.synsets)
    return frozenset(out)


def antonyms(x: str, y: str, parts: str = "va") -> bool:
    """Some sense of ``x`` has an antonym among the senses of ``y``, both of a part of speech in
    ``parts`` (v, a, n, r; verbs and adjectives by default: outcomes and states, not "man" /
    "woman")."""
    db = _database()
    ys = {lemma for lemma, pos in base_forms(y) if pos in parts}
    return any(db.antonyms.get(lemma, frozenset()) & ys for lemma, pos in base_forms(x) if pos in parts)


def _senses(word: str) -> set[Synset]:
    db = _database()
    return {sense for lemma, pos in base_forms(word) for sense in db.synsets.get(f"{pos}:{lemma}", ())}


def covers(general: str, specific: str) -> bool:
    if general.lower() == specific.lower():
        return True
    wanted = _senses(general)
    if not wanted:
        return False
    db = _database()
    frontier = _senses(specific)
    for _ in range(HYPERNYM_DEPTH + 1):
        if frontier & wanted:
            return True
        frontier = {up for sense in frontier for up in db.hypernyms.get(sense, ())}
    return False
