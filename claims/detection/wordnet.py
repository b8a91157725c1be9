"""WordNet 3.0 read from its own data files: antonyms, synonyms and more specific words.

Contracts:
- ``antonyms(x, y)``: some sense of word ``x`` has a WordNet antonym that is a sense of ``y``
  ("hitting" / "missing", "full" / "empty", "won" / "lost"); verbs and adjectives by default.
- ``covers(general, specific)``: ``specific`` means ``general`` or something more specific: a
  shared synset ("performing" / "playing") or ``general`` among the hypernyms of ``specific``, up
  to ``HYPERNYM_DEPTH`` steps ("car" / "sedan", "hit" / "whacking").
- Words are looked up in any inflection: the exception lists first ("ran" -> "run"), then
  WordNet's own suffix rules, as its ``morphy`` does.

The database is Princeton's WordNet 3.0 as Debian's ``wordnet-base`` installs it
(``/usr/share/wordnet``; ``use(folder)`` names another, as the claims app does with the setting
``WORDNET_DIR``, from ``CORROBORATE_WORDNET_DIR``). It is read
where it lies, as WordNet was designed to be: the index files are sorted, so a lemma is found by
binary search, and a synset's offset is its byte position in its data file. The files are mapped,
not loaded, so a process holds only the pages it reads (nothing is read until a check needs it),
and every worker shares them through the page cache. A missing database is an error, not a silent
fallback: the checks would judge differently on different machines.

Everything here is a pure function of its input and the database; nothing imports Django.
"""

from __future__ import annotations

import functools
import mmap
from dataclasses import dataclass
from pathlib import Path

DEFAULT_DIR = "/usr/share/wordnet"
HYPERNYM_DEPTH = 2
_FILES = {"v": "verb", "a": "adj", "n": "noun", "r": "adv"}
# WordNet's morphy rules: (suffix, replacement) per part of speech
_SUFFIXES: dict[str, tuple[tuple[str, str], ...]] = {
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

Synset = tuple[str, int]  # (part of speech, byte offset in its data file)


class WordNetMissing(RuntimeError):
    """The WordNet files are not where they are expected."""


@dataclass(frozen=True, slots=True)
class _Entry:
    """One synset: its lemmas in order, hypernyms, and antonym pointers (source word number, 0 for
    the whole synset; target synset; target word number)."""

    lemmas: tuple[str, ...]
    hypernyms: tuple[Synset, ...]
    antonyms: tuple[tuple[int, Synset, int], ...]


@dataclass(frozen=True, slots=True)
class _Part:
    index: mmap.mmap
    data: mmap.mmap
    exceptions: dict[str, tuple[str, ...]]


_folder = Path(DEFAULT_DIR)


def use(folder: Path) -> None:
    """Read WordNet from ``folder`` from now on."""
    global _folder
    _folder = Path(folder)
    forget()


def wordnet_dir() -> Path:
    return _folder


def missing() -> str:
    """Why WordNet cannot be read from the folder in use ("" when it can)."""
    names = [f"{kind}.{name}" for name in _FILES.values() for kind in ("index", "data")]
    absent = [name for name in names if not (_folder / name).is_file()]
    if not absent:
        return ""
    return (
        f"WordNet is not in {_folder} (no {', '.join(absent[:3])}): install Debian's wordnet-base "
        "(make install does, as root) or set CORROBORATE_WORDNET_DIR to a folder holding WordNet "
        "3.0's index.*, data.* and *.exc files."
    )


def _map(path: Path) -> mmap.mmap:
    with path.open("rb") as handle:
        return mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)


@functools.cache
def _part(pos: str) -> _Part:
    problem = missing()
    if problem:
        raise WordNetMissing(problem)
    folder = wordnet_dir()
    name = _FILES[pos]
    exceptions: dict[str, tuple[str, ...]] = {}
    listed = folder / f"{name}.exc"
    if listed.is_file():
        for line in listed.read_text(encoding="latin-1").splitlines():
            inflected, *bases = line.split()
            exceptions[inflected] = tuple(bases)
    return _Part(_map(folder / f"index.{name}"), _map(folder / f"data.{name}"), exceptions)


@functools.lru_cache(maxsize=65536)
def _senses(lemma: str, pos: str) -> tuple[Synset, ...]:
    """The synsets of ``lemma`` (WordNet spelling: lower case, "_" for spaces), by binary search
    in the sorted index file."""
    index = _part(pos).index
    key = lemma.encode("latin-1", "replace")
    low, high = 0, len(index)
    while low < high:
        middle = (low + high) // 2
        start = index.rfind(b"\n", 0, middle) + 1
        end = index.find(b"\n", start)
        end = len(index) if end < 0 else end
        fields = index[start:end].split()
        word = fields[0] if fields and not index[start:end].startswith(b" ") else b""
        if word == key:
            count = int(fields[2])
            return tuple((pos, int(offset)) for offset in fields[len(fields) - count :])
        if word < key:
            low = end + 1
        else:
            high = start
    return ()


@functools.lru_cache(maxsize=65536)
def _entry(synset: Synset) -> _Entry:
    pos, offset = synset
    data = _part(pos).data
    end = data.find(b"\n", offset)
    fields = data[offset : len(data) if end < 0 else end].split(b" | ", 1)[0].decode("latin-1").split()
    count = int(fields[3], 16)
    lemmas = tuple(fields[4 + 2 * i].lower().split("(", 1)[0] for i in range(count))
    at = 4 + 2 * count
    pointers = int(fields[at])
    at += 1
    hypernyms: list[Synset] = []
    antonyms: list[tuple[int, Synset, int]] = []
    for _ in range(pointers):
        symbol, target_offset, target_pos, source_target = fields[at : at + 4]
        at += 4
        target = ("a" if target_pos == "s" else target_pos, int(target_offset))
        if symbol in ("@", "@i"):
            hypernyms.append(target)
        elif symbol == "!":
            antonyms.append((int(source_target[:2], 16), target, int(source_target[2:], 16)))
    return _Entry(lemmas, tuple(hypernyms), tuple(antonyms))


@functools.lru_cache(maxsize=65536)
def base_forms(word: str, parts: str = "vanr") -> frozenset[tuple[str, str]]:
    """(lemma, pos) pairs WordNet knows for ``word`` in any inflection, for the parts of speech in
    ``parts``."""
    low = word.lower()
    out: set[tuple[str, str]] = set()
    for pos in parts:
        candidates = [low, *_part(pos).exceptions.get(low, ())]
        for suffix, replacement in _SUFFIXES[pos]:
            if low.endswith(suffix) and len(low) > len(suffix) + 1:
                candidates.append(low[: -len(suffix)] + replacement)
        if pos == "v" and low.endswith(("ing", "ed")):  # doubled consonant: "hitting", "stopped"
            doubled = low[:-3] if low.endswith("ing") else low[:-2]
            if len(doubled) > 2 and doubled[-1] == doubled[-2]:
                candidates.append(doubled[:-1])
        out.update((base, pos) for base in candidates if _senses(base, pos))
    return frozenset(out)


@functools.lru_cache(maxsize=65536)
def _antonyms_of(lemma: str, pos: str) -> frozenset[str]:
    out: set[str] = set()
    for synset in _senses(lemma, pos):
        entry = _entry(synset)
        number = entry.lemmas.index(lemma) + 1 if lemma in entry.lemmas else -1
        for source, target, target_number in entry.antonyms:
            if source not in (0, number):
                continue
            names = _entry(target).lemmas
            out.update(names if target_number == 0 else names[target_number - 1 : target_number])
    return frozenset(out)


def antonyms(x: str, y: str, parts: str = "va") -> bool:
    """Some sense of ``x`` has an antonym among the senses of ``y``, both of a part of speech in
    ``parts`` (v, a, n, r; verbs and adjectives by default: outcomes and states, not "man" /
    "woman")."""
    ys = {lemma for lemma, _ in base_forms(y, parts)}
    return any(_antonyms_of(lemma, pos) & ys for lemma, pos in base_forms(x, parts))


def _all_senses(word: str) -> set[Synset]:
    return {synset for lemma, pos in base_forms(word) for synset in _senses(lemma, pos)}


@functools.lru_cache(maxsize=65536)
def covers(general: str, specific: str) -> bool:
    if general.lower() == specific.lower():
        return True
    wanted = _all_senses(general)
    if not wanted:
        return False
    frontier = _all_senses(specific)
    for _ in range(HYPERNYM_DEPTH + 1):
        if frontier & wanted:
            return True
        frontier = {up for synset in frontier for up in _entry(synset).hypernyms}
    return False


def forget() -> None:
    """Drop every cached lookup and mapped file (``use`` does, when the folder changes)."""
    for cached in (_part, _senses, _entry, base_forms, _antonyms_of, covers):
        cached.cache_clear()
