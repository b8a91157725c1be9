"""Benchmark of annotations.anchoring.reanchor on a synthetic, deterministic news corpus.

Runs without Django:  .venv/bin/python bench/reanchor.py [--seed N] [--annotations N] [--edit-rate F]
                      [--focus F] [--without-old-text] [--show-wrong N]

It writes news-like articles (5-50 kB, log-uniform) about fictional places, bodies and people from its
own sentence templates, puts annotations on them (whole sentences 40%, clauses of 4+ words 50%, phrases
of 2-3 words 10%), then edits every article: about ``--edit-rate`` x its number of sentences edits
(insertions, deletions and substitutions of words, respellings, punctuation, sentences moved, deleted or
added, figures changed, negations flipped, lookalike copies of sentences inserted next to the original
or elsewhere), ``--focus`` of them aimed at annotated sentences. Tokens keep their identity through the
edits, so the ground truth of each quote is known: where it went ("same": words intact, "respelled":
only a respelling or punctuation inside), or that its meaning changed (a figure, a negation, a word
substituted, inserted or deleted inside it), or that its sentence is gone. Dropping "the"/"a" counts as
a respelling. Each sentence is edited at most once, and no edit may recreate, word for word, a sentence
the article has or had: two identical sentences would make "the" true place a coin toss.

Every annotation is re-anchored onto the edited text (with the old text, as the background task does,
unless --without-old-text) and checked against that ground truth. A *wrong anchor* is an accepted result
(exact or fuzzy) at a place other than the true one (punctuation at the edges aside), or accepted although
the quote's meaning changed or its sentence is gone. It must be 0; the exit status is 1 otherwise.
Times are per reanchor() call, wall clock and CPU time of this process (the CPU time is what to compare
on a busy machine).
"""

from __future__ import annotations

import argparse
import itertools
import math
import os
import random
import statistics
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from annotations.anchoring import (
    ACCEPT_THRESHOLD,
    AMBIGUITY_MARGIN,
    REVIEW_THRESHOLD,
    Anchor,
    AnchorResult,
    reanchor,
    selectors_for,
)

# --------------------------------------------------------------------------------------------------
# Vocabulary of a fictional world. Everything here is invented for this benchmark.

_SYLLABLES = [
    "var", "nor", "kes", "sel", "ori", "anth", "bel", "dun", "mar", "ost", "tal", "vek", "quil", "bra",
    "zen", "lor", "hav", "im", "gar", "rud", "sø", "lé", "mü", "ça", "ñe",
]  # fmt: skip
_CJK_NAMES = ["北川", "山岡", "林原", "東浜"]
_FIRST = [
    "Ilse",
    "Tomas",
    "Ayo",
    "Mirela",
    "Kofi",
    "Sunniva",
    "Dario",
    "Hanne",
    "Lior",
    "Zoë",
    "Émile",
    "Nadia",
]
_ROLES = ["spokesperson", "deputy minister", "regional governor", "union leader", "senior engineer", "mayor"]
_ORG_KINDS = [
    "Ministry of Water", "Harbour Authority", "Rail Board", "Electoral Commission", "Red Lantern Society",
    "Grain Cooperative", "Coastal Guard", "Health Agency", "Mining Council", "Bridge Trust",
]  # fmt: skip
_PEOPLE = ["soldiers", "workers", "passengers", "residents", "students", "miners", "fishermen", "volunteers"]
_FATES = ["killed", "injured", "evacuated", "rescued", "detained", "displaced", "stranded"]
_DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
_MONTHS = ["January", "March", "April", "June", "August", "October", "December"]
_THINGS = ["bridge", "dam", "depot", "clinic", "pipeline", "ferry terminal", "power station", "granary"]
_EVENTS = ["flood", "strike", "blackout", "landslide", "protest", "fire", "storm", "recount"]
_ADJ = ["northern", "eastern", "old", "disputed", "temporary", "main", "coastal", "upper"]
_FILLERS = ["reportedly", "also", "still", "again", "officially", "nearly", "later", "quietly", "partly"]
_SUBSTITUTES = [
    "announced", "claimed", "warned", "suggested", "promised", "insisted", "feared", "hoped", "western",
    "central", "private", "public", "rival", "local", "foreign", "senior", "junior", "village", "harbour",
    "valley", "tunnel", "school", "market", "airport", "convoy",
]  # fmt: skip

# Sentence templates. Slots: {P} place, {O} organisation, {N} person, {R} role, {n} number, {k} thousands,
# {pe} people, {f} fate, {d} day, {m} month, {t} thing, {e} event, {a} adjective; {do}, {had}, {was}
# a verb that may be negated.
_TEMPLATES = [
    "{O} said {n} {pe} were {f} on {d} in {P}.",
    "Officials in {P} {do} confirm the figure of {k} {pe} given by {O}.",
    "{N}, the {R} of {O}, told reporters the {t} {do} reopen before {m}.",
    "The {a} {t} in {P} {had} been damaged, according to {O}.",
    "According to {O}, about {k} households in {P} were without power on {d}.",
    "{N} said the {t} had cost {n} million crowns and {was} insured.",
    "Residents of {P} said they {had} been warned before the {e} began.",
    "The {e} started shortly after {n} o'clock and lasted {n} hours.",
    "{O} {had} published the report, which runs to {n} pages.",
    "Police in {P} said {n} people had been arrested and {n} were later released.",
    "“We {do} leave,” said {N}, who has lived in {P} for {n} years.",
    "The council vote passed by {n} to {n}, with {n} abstentions.",
    "{N} denied that {O} had received {n} complaints about the {t}.",
    "Water levels at the {a} {t} rose by {n} centimetres overnight, {O} said.",
    "The {e} in {P} was the worst since {y}, when {k} {pe} were {f}.",
    "A statement from {O} on {d} said the {e} {do} affect services in {P}.",
    "{N} added that {n} {pe} remained {f} in the {a} districts of {P}.",
    "Inspectors from {O} visited the {t} on {d} and found {n} faults.",
    "The {R}, {N}, {do} comment on the figure of {k} {pe}.",
    "Supplies for {k} {pe} arrived in {P} by ferry on {d}, {O} said.",
    "Negotiations between {O} and {O} {do} resume in {m}, {N} said.",
    "The {t} in {P} {do} reopen for at least {n} weeks, officials said.",
    "More than {k} people signed a petition asking {O} to rebuild the {t}.",
    "{N} said the {e} {had} been predicted by the forecasts used by {O}.",
    "At least {n} {pe} were {f} when the {a} {t} collapsed on {d}.",
    "The budget of {O} for the {t} grew from {n} million to {n} million crowns.",
    "It {was} clear on {d} whether the {e} had reached {P}.",
    "{O} estimated the damage in {P} at {n}.{n1} million crowns.",
    "Turnout in {P} was {n} percent, {O} said, up from {n} percent in {y}.",
    "The {R} of {O} resigned on {d} after {n} days of protests in {P}.",
    "Schools in {P} {do} reopen until the {t} is repaired, {N} said.",
    "Rescue teams from {O} searched the {a} valley for {n} hours.",
    "The {e} left {k} {pe} without clean water in {P} and {P}.",
    "“The {t} {was} safe,” {N} wrote in a post that ended with a 🙂 emoji.",
    "Local radio in {P} reported that {n} {pe} had been {f} by {m}.",
    "The {a} road between {P} and {P} {had} been closed since {d}.",
    "{O} said it had spent {n} million crowns on the {e} response, {n} percent more than planned.",
    "Witnesses told {O} that {n} {pe} were {f} near the {t} on {d}.",
    "The inquiry led by {N} will report to {O} in {m}, its {R} said.",
    "Prices at the {a} market in {P} rose {n} percent in the week after the {e}.",
]
_NEGATABLE = {"do": ["did", "will", "would", "could"], "had": ["had"], "was": ["was", "is"]}
_VERBS = frozenset(v for verbs in _NEGATABLE.values() for v in verbs)


def _place(rng: random.Random) -> str:
    if rng.random() < 0.05:
        return rng.choice(_CJK_NAMES)
    name = "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 3)))
    return name.capitalize()


def _number(rng: random.Random) -> str:
    return str(rng.choice([rng.randint(2, 40), rng.randint(41, 999)]))


def _thousands(rng: random.Random) -> str:
    return f"{rng.randint(1, 99)},{rng.randint(0, 999):03d}"


def _fill(template: str, rng: random.Random, cast: dict[str, list[str]]) -> list[str]:
    """A sentence as a list of tokens (a word with its punctuation); negatable verbs become 1-2 tokens."""
    words: list[str] = []
    for raw in template.split(" "):
        piece = raw
        while "{" in piece:
            head, _, rest = piece.partition("{")
            slot, _, tail = rest.partition("}")
            if slot in _NEGATABLE:
                verb = rng.choice(_NEGATABLE[slot])
                value = f"{verb} not" if rng.random() < 0.4 else verb
            else:
                value = {
                    "P": lambda: rng.choice(cast["places"]),
                    "O": lambda: "the " + rng.choice(cast["orgs"]),
                    "N": lambda: rng.choice(cast["people"]),
                    "R": lambda: rng.choice(_ROLES),
                    "n": lambda: _number(rng),
                    "n1": lambda: str(rng.randint(1, 9)),
                    "k": lambda: _thousands(rng),
                    "pe": lambda: rng.choice(_PEOPLE),
                    "f": lambda: rng.choice(_FATES),
                    "d": lambda: rng.choice(_DAYS),
                    "m": lambda: rng.choice(_MONTHS),
                    "t": lambda: rng.choice(_THINGS),
                    "e": lambda: rng.choice(_EVENTS),
                    "a": lambda: rng.choice(_ADJ),
                    "y": lambda: str(rng.randint(1950, 2019)),
                }[slot]()
            piece = head + value + tail
        words.extend(piece.split(" "))
    if words[0].startswith("the "):
        words[0] = words[0].capitalize()
    text = " ".join(words)
    tokens = text.split(" ")
    tokens[0] = tokens[0][:1].upper() + tokens[0][1:]
    return tokens


# --------------------------------------------------------------------------------------------------
# Documents with token identity, so that ground truth survives edits.

_ids = itertools.count()


@dataclass
class Token:
    text: str
    id: int = field(default_factory=lambda: next(_ids))
    meaning_changed: bool = False


@dataclass
class Sentence:
    tokens: list[Token]
    touched: bool = False  # edited once already: a second edit would make the ground truth moot

    def text(self) -> str:
        return " ".join(t.text for t in self.tokens)


@dataclass
class Article:
    paragraphs: list[list[Sentence]]
    cast: dict[str, list[str]]
    dropped_articles: set[int] = field(default_factory=set)  # "the"/"a" removed: the meaning stays
    history: set[str] = field(default_factory=set)  # every sentence the article has had

    def render(self) -> tuple[str, dict[int, tuple[int, int]]]:
        parts: list[str] = []
        spans: dict[int, tuple[int, int]] = {}
        offset = 0
        for p_index, paragraph in enumerate(self.paragraphs):
            if p_index:
                parts.append("\n\n")
                offset += 2
            first = True
            for sentence in paragraph:
                for token in sentence.tokens:
                    if not first:
                        parts.append(" ")
                        offset += 1
                    first = False
                    spans[token.id] = (offset, offset + len(token.text))
                    parts.append(token.text)
                    offset += len(token.text)
        return "".join(parts), spans

    def sentences(self) -> list[Sentence]:
        return [s for p in self.paragraphs for s in p]


def make_article(rng: random.Random, target_chars: int) -> Article:
    cast = {
        "places": [_place(rng) for _ in range(6)],
        "orgs": [f"{rng.choice(_ORG_KINDS)} of {_place(rng)}" for _ in range(4)],
        "people": [f"{rng.choice(_FIRST)} {_place(rng)}" for _ in range(5)],
    }
    paragraphs: list[list[Sentence]] = []
    seen: set[str] = set()
    size = 0
    while size < target_chars:
        paragraph = []
        for _ in range(rng.randint(1, 5)):
            tokens = _fill(rng.choice(_TEMPLATES), rng, cast)
            if " ".join(tokens) in seen:
                continue  # real articles do not repeat a sentence word for word
            seen.add(" ".join(tokens))
            paragraph.append(Sentence([Token(t) for t in tokens]))
            size += sum(len(t) + 1 for t in tokens)
        if not paragraph:
            continue
        paragraphs.append(paragraph)
        size += 2
    return Article(paragraphs, cast, history=seen)


@dataclass(frozen=True)
class Annotation:
    article: int
    token_ids: tuple[int, ...]
    anchor: Anchor
    kind: str  # "sentence", "clause" (4 words or more) or "phrase" (2-3 words)


def annotate(rng: random.Random, index: int, article: Article, count: int) -> list[Annotation]:
    text, spans = article.render()
    sentences = article.sentences()
    result = []
    for sentence in rng.sample(sentences, min(count, len(sentences))):
        tokens = sentence.tokens
        roll = rng.random()
        if roll < 0.4 or len(tokens) < 5:
            first, last, kind = 0, len(tokens) - 1, "sentence"
        elif roll < 0.9:
            length = rng.randint(4, len(tokens) - 1)
            first = rng.randint(0, len(tokens) - length)
            last, kind = first + length - 1, "clause"
        else:
            length = rng.randint(2, 3)
            first = rng.randint(0, len(tokens) - length)
            last, kind = first + length - 1, "phrase"
        start, end = spans[tokens[first].id][0], spans[tokens[last].id][1]
        ids = tuple(t.id for t in tokens[first : last + 1])
        result.append(Annotation(index, ids, selectors_for(text, start, end), kind))
    return result


# --------------------------------------------------------------------------------------------------
# Edits


def _split_punct(text: str) -> tuple[str, str, str]:
    """Leading punctuation, word, trailing punctuation."""
    i, j = 0, len(text)
    while i < j and not text[i].isalnum():
        i += 1
    while j > i and not text[j - 1].isalnum():
        j -= 1
    return text[:i], text[i:j], text[j:]


def _other_number(rng: random.Random, value: str) -> str:
    while True:
        digits = value.replace(",", "")
        if digits.isdigit():
            number = int(digits)
            candidate = rng.choice(
                [number + rng.randint(1, 9), number * rng.randint(2, 11), max(1, number // 3)]
            )
            new = f"{candidate:,}" if "," in value else str(candidate)
        else:
            new = _number(rng)
        if new != value:
            return new


def _typo(rng: random.Random, word: str) -> str:
    i = rng.randrange(1, len(word) - 2)
    kind = rng.choice(["swap", "drop", "double"])
    if kind == "swap" and word[i] != word[i + 1]:
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    if kind == "drop":
        return word[:i] + word[i + 1 :]
    return word[:i] + word[i] + word[i:]


def _lookalike(rng: random.Random, sentence: Sentence) -> Sentence | None:
    tokens = [Token(t.text) for t in sentence.tokens]
    numbers = [t for t in tokens if any(ch.isdigit() for ch in t.text)]
    verbs = [i for i, t in enumerate(tokens) if t.text in _VERBS]
    roll = rng.random()
    if roll < 0.4 and numbers:
        target = rng.choice(numbers)
        lead, word, trail = _split_punct(target.text)
        target.text = lead + _other_number(rng, word) + trail
    elif roll < 0.7 and verbs:
        i = rng.choice(verbs)
        if i + 1 < len(tokens) and tokens[i + 1].text == "not":
            del tokens[i + 1]
        else:
            tokens.insert(i + 1, Token("not"))
    else:
        words = [t for t in tokens[1:] if _split_punct(t.text)[1].isalpha()]
        if not words:
            return None
        target = rng.choice(words)
        lead, word, trail = _split_punct(target.text)
        target.text = lead + rng.choice([w for w in _SUBSTITUTES if w != word.lower()]) + trail
    return Sentence(tokens, touched=True)


def edit_article(
    rng: random.Random, article: Article, rate: float, focus: set[int], focus_share: float
) -> Counter[str]:
    """Apply about ``rate`` x (number of sentences) random edits; ``focus`` sentences are hit more often."""
    done: Counter[str] = Counter()
    count = max(1, round(rate * len(article.sentences())))
    operations = [
        ("insert_word", 10), ("delete_word", 8), ("substitute_word", 10), ("respell", 8),
        ("punctuation", 5), ("move_sentence", 10), ("delete_sentence", 8), ("insert_sentence", 10),
        ("change_figure", 10), ("flip_negation", 8), ("insert_lookalike", 13),
    ]  # fmt: skip
    names = [name for name, _ in operations]
    weights = [weight for _, weight in operations]
    for _ in range(count):
        sentences = [s for s in article.sentences() if not s.touched]
        if not sentences:
            break
        focused = [s for s in sentences if any(t.id in focus for t in s.tokens)]
        pool = focused if focused and rng.random() < focus_share else sentences
        sentence = rng.choice(pool)
        sentence.touched = True
        op = rng.choices(names, weights)[0]
        tokens = sentence.tokens
        snapshot = [(t, t.text, t.meaning_changed) for t in tokens]
        text_before = sentence.text()
        if op == "insert_word":
            tokens.insert(rng.randint(1, len(tokens) - 1), Token(rng.choice(_FILLERS)))
        elif op == "delete_word" and len(tokens) > 4:
            candidates = [i for i in range(1, len(tokens) - 1) if tokens[i].text.isalpha()]
            if not candidates:
                continue
            index = rng.choice(candidates)
            if tokens[index].text.lower() in {"the", "a", "an"}:
                article.dropped_articles.add(tokens[index].id)
            del tokens[index]
        elif op == "substitute_word":
            candidates = [t for t in tokens[1:] if _split_punct(t.text)[1].isalpha()]
            if not candidates:
                continue
            target = rng.choice(candidates)
            lead, word, trail = _split_punct(target.text)
            target.text = lead + rng.choice([w for w in _SUBSTITUTES if w != word.lower()]) + trail
            target.meaning_changed = True
        elif op == "respell":
            candidates = [
                t for t in tokens if len(_split_punct(t.text)[1]) >= 8 and _split_punct(t.text)[1].isalpha()
            ]
            if not candidates:
                continue
            target = rng.choice(candidates)
            lead, word, trail = _split_punct(target.text)
            target.text = lead + _typo(rng, word) + trail  # meaning unchanged: a spelling edit
        elif op == "punctuation":
            target = rng.choice(tokens[:-1]) if len(tokens) > 1 else tokens[0]
            if target.text.endswith(","):
                target.text = target.text[:-1]
            elif target.text[-1].isalnum():
                target.text += ","
            else:
                continue
        elif op == "move_sentence":
            _remove(article, sentence)
            _insert(rng, article, sentence)
        elif op == "delete_sentence":
            _remove(article, sentence)
        elif op == "insert_sentence":
            new = Sentence([Token(t) for t in _fill(rng.choice(_TEMPLATES), rng, article.cast)], touched=True)
            if new.text() in article.history:
                continue
            article.history.add(new.text())
            _insert(rng, article, new)
        elif op == "change_figure":
            numbers = [t for t in tokens if any(ch.isdigit() for ch in t.text)]
            if not numbers:
                continue
            target = rng.choice(numbers)
            lead, word, trail = _split_punct(target.text)
            target.text = lead + _other_number(rng, word) + trail
            target.meaning_changed = True
        elif op == "flip_negation":
            verbs = [i for i, t in enumerate(tokens) if t.text in _VERBS]
            if not verbs:
                continue
            i = rng.choice(verbs)
            if i + 1 < len(tokens) and tokens[i + 1].text == "not":
                del tokens[i + 1]
            else:
                tokens.insert(i + 1, Token("not"))
            tokens[i].meaning_changed = True
        elif op == "insert_lookalike":
            copy = _lookalike(rng, sentence)
            if copy is None or copy.text() in article.history:
                continue
            article.history.add(copy.text())
            if rng.random() < 0.5:
                paragraph = next(p for p in article.paragraphs if any(s is sentence for s in p))
                paragraph.insert(next(i for i, s in enumerate(paragraph) if s is sentence) + 1, copy)
            else:
                _insert(rng, article, copy)
        else:
            continue
        if sentence.text() != text_before and sentence.text() in article.history:
            # The edit recreated, word for word, a sentence the article has or had: undo it, or the ground
            # truth would be moot (which of two identical sentences is "the" one).
            tokens[:] = [t for t, _, _ in snapshot]
            for token, text, changed in snapshot:
                token.text, token.meaning_changed = text, changed
            article.dropped_articles.difference_update(t.id for t in tokens)
            continue
        article.history.add(sentence.text())
        done[op] += 1
    return done


def _remove(article: Article, sentence: Sentence) -> None:
    for paragraph in article.paragraphs:
        for i, s in enumerate(paragraph):
            if s is sentence:
                del paragraph[i]
                if not paragraph and len(article.paragraphs) > 1:
                    article.paragraphs.remove(paragraph)
                return


def _insert(rng: random.Random, article: Article, sentence: Sentence) -> None:
    paragraph = rng.choice(article.paragraphs)
    paragraph.insert(rng.randint(0, len(paragraph)), sentence)


# --------------------------------------------------------------------------------------------------
# Ground truth and evaluation


@dataclass(frozen=True)
class Truth:
    kind: str  # "same" (words intact), "respelled" (only spelling/punctuation edits), "changed", "gone"
    span: tuple[int, int] | None
    moved: bool


def truth_for(annotation: Annotation, article: Article, spans: dict[int, tuple[int, int]]) -> Truth:
    ids = tuple(i for i in annotation.token_ids if i not in article.dropped_articles)
    if not ids:
        return Truth("changed", None, False)
    for sentence in article.sentences():
        sentence_ids = [t.id for t in sentence.tokens]
        if ids[0] not in sentence_ids and ids[-1] not in sentence_ids:
            continue
        first = sentence_ids.index(ids[0]) if ids[0] in sentence_ids else -1
        present = first >= 0 and tuple(sentence_ids[first : first + len(ids)]) == ids
        tokens = sentence.tokens[first : first + len(ids)] if present else []
        if not present or any(t.meaning_changed for t in tokens):
            return Truth("changed", None, False)
        start, end = spans[ids[0]][0], spans[ids[-1]][1]
        respelled = " ".join(t.text for t in tokens) != annotation.anchor.exact
        kind = "respelled" if respelled else "same"
        return Truth(kind, (start, end), (start, end) != (annotation.anchor.start, annotation.anchor.end))
    return Truth("gone", None, False)


def same_place(found: tuple[int, int], true: tuple[int, int] | None, text: str) -> bool:
    """The true span, give or take punctuation at either edge (a comma added after the last word)."""
    if true is None:
        return False
    edges = (
        text[min(found[0], true[0]) : max(found[0], true[0])]
        + text[min(found[1], true[1]) : max(found[1], true[1])]
    )
    return not any(ch.isalnum() or ch.isspace() for ch in edges)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(q * len(ordered)) - 1))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seed", type=int, default=20240501)
    parser.add_argument("--annotations", type=int, default=10_000)
    parser.add_argument("--per-article", type=int, default=25)
    parser.add_argument("--edit-rate", type=float, default=0.05, help="edits per sentence (0.05 = 5%%)")
    parser.add_argument(
        "--focus", type=float, default=0.5, help="share of edits aimed at annotated sentences (stress)"
    )
    parser.add_argument(
        "--without-old-text", action="store_true", help="re-anchor from the stored anchor alone"
    )
    parser.add_argument("--show-wrong", type=int, default=5, help="print this many wrong anchors")
    args = parser.parse_args(argv)

    rng = random.Random(args.seed)
    articles: list[Article] = []
    annotations: list[Annotation] = []
    while len(annotations) < args.annotations:
        size = round(math.exp(rng.uniform(math.log(5_000), math.log(50_000))))
        article = make_article(rng, size)
        articles.append(article)
        wanted = min(args.per_article, args.annotations - len(annotations))
        annotations.extend(annotate(rng, len(articles) - 1, article, wanted))
    old_rendered = [a.render()[0] for a in articles]
    old_sizes = [len(text) for text in old_rendered]

    focus: dict[int, set[int]] = {}
    for annotation in annotations:
        focus.setdefault(annotation.article, set()).update(annotation.token_ids)
    edits: Counter[str] = Counter()
    for index, article in enumerate(articles):
        edits += edit_article(rng, article, args.edit_rate, focus.get(index, set()), args.focus)
    rendered = [a.render() for a in articles]
    old_texts: list[str | None] = [None] * len(articles) if args.without_old_text else list(old_rendered)

    states: Counter[str] = Counter()
    table: Counter[tuple[str, str]] = Counter()  # (ground truth, outcome)
    moved = 0
    by_kind: Counter[tuple[str, bool]] = Counter()  # findable quotes: (kind, accepted at the true place)
    timings: list[float] = []  # wall clock
    cpu_timings: list[float] = []  # CPU time of this process: what the algorithm costs on a busy machine
    wrong: list[tuple[Annotation, Truth, AnchorResult]] = []
    for annotation in annotations:
        new_text, spans = rendered[annotation.article]
        truth = truth_for(annotation, articles[annotation.article], spans)
        started, cpu_started = time.perf_counter(), time.process_time()
        result = reanchor(annotation.anchor, new_text, old_texts[annotation.article])
        cpu_timings.append((time.process_time() - cpu_started) * 1000)
        timings.append((time.perf_counter() - started) * 1000)
        states[result.state] += 1
        moved += truth.moved
        at_truth = result.anchor is not None and same_place(
            (result.anchor.start, result.anchor.end), truth.span, new_text
        )
        group = "findable" if truth.kind in ("same", "respelled") else truth.kind
        if group == "findable":
            by_kind[annotation.kind, result.accepted and at_truth] += 1
        if result.accepted and not at_truth:
            wrong.append((annotation, truth, result))
            table[group, "WRONG"] += 1
        elif result.accepted:
            table[group, "accepted at the true place"] += 1
        elif result.state == "needs_review":
            table[group, "needs_review at the true place" if at_truth else "needs_review"] += 1
        else:
            table[group, "orphan"] += 1

    def line(group: str, label: str) -> str:
        counts = {outcome: n for (g, outcome), n in sorted(table.items()) if g == group}
        return f"  {label} {sum(counts.values())}: " + ", ".join(f"{k} {v}" for k, v in counts.items())

    findable = sum(n for (g, _), n in table.items() if g == "findable")
    found = table["findable", "accepted at the true place"]
    caution = table["findable", "needs_review at the true place"]
    median = statistics.median(old_sizes)
    p50, p95 = percentile(timings, 0.5), percentile(timings, 0.95)
    cpu_p50, cpu_p95 = percentile(cpu_timings, 0.5), percentile(cpu_timings, 0.95)
    print(
        f"corpus: {len(articles)} articles, {sum(old_sizes) / 1e6:.1f} MB of text, "
        f"{min(old_sizes)}-{max(old_sizes)} characters (median {median:.0f}); seed {args.seed}"
    )
    print(f"edits: {sum(edits.values())} (" + ", ".join(f"{k} {v}" for k, v in sorted(edits.items())) + ")")
    print(
        f"thresholds: accept {ACCEPT_THRESHOLD}, review {REVIEW_THRESHOLD}, ambiguity {AMBIGUITY_MARGIN}; "
        f"old text {'not given' if args.without_old_text else 'given'}"
    )
    print(
        f"per annotation, wall clock: p50 {p50:.3f} ms, p95 {p95:.3f} ms, max {max(timings):.3f} ms; "
        f"total {sum(timings) / 1000:.2f} s for {len(annotations)} annotations"
    )
    print(
        f"per annotation, CPU time:   p50 {cpu_p50:.3f} ms, p95 {cpu_p95:.3f} ms, "
        f"max {max(cpu_timings):.3f} ms; total {sum(cpu_timings) / 1000:.2f} s "
        f"(load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs)"
    )
    print("states: " + ", ".join(f"{s} {states[s]}" for s in ("exact", "fuzzy", "needs_review", "orphan")))
    print("by ground truth:")
    print(line("findable", f"words intact or only respelled ({moved} of all quotes moved)"))
    print(line("changed", "meaning changed inside the quote"))
    print(line("gone", "sentence deleted"))
    print(f"WRONG ANCHORS: {len(wrong)}")
    print(
        f"found: {found} of {findable} findable quotes ({100 * found / max(1, findable):.2f}%); "
        f"cost of caution: {caution} correct places left in needs_review"
    )
    print(
        "found by kind of quote: "
        + ", ".join(
            f"{kind} {by_kind[kind, True]}/{by_kind[kind, True] + by_kind[kind, False]} "
            f"({100 * by_kind[kind, True] / max(1, by_kind[kind, True] + by_kind[kind, False]):.1f}%)"
            for kind in ("sentence", "clause", "phrase")
        )
    )
    for annotation, truth, result in wrong[: args.show_wrong]:
        got = result.anchor and (result.anchor.start, result.anchor.end, result.anchor.exact)
        print(f"  wrong: {truth} {result.state} {result.score}")
        print(f"         {annotation.anchor.exact!r} -> {got} {result.reason}")
    return 1 if wrong else 0


if __name__ == "__main__":
    raise SystemExit(main())
