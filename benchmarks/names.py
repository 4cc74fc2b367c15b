"""Benchmark: person names that import replaces by itself, in annotated Dutch text.

Reads the measurement sets in ``../shared/fixtures/ner-nl/`` (relative to the
repository; see their SOURCE.md): WikiNEuRal Dutch validation sentences (silver
annotations, CC BY-NC-SA 4.0: measured here, never shipped or trained on) and the
Europeana Newspapers Dutch set (hand annotated, 19th-century OCR, CC0) as a stress test.
The sentences are put together, in their order, into documents of about 1,000 words
(WikiNEuRal: one sentence a line; Europeana has no sentence breaks: one line a
document).

Every document is written to a file and imported with ``raakvlak.corpus.importer.import_files``
(kind ``text``, language ``nl``): the code path of ``raakvlak import``, names found,
put in the key and replaced, review list and all. What changed is read off the stored
text (``raakvlak.exchange.positions.edit_map`` of the file's text and the stored one);
tokens that became an identifier placeholder (``[geboortedatum]``) are counted apart.
Two ways of importing: each document into a project of its own (``alone``: a fresh key
every time), and all documents one import after another into one project (``one
project``: names found earlier are in the key, as in a real study).

Reported, on each set and way:

- automatic recall: the share of person tokens (PER) replaced by a name; target >= 0.90;
- non-person share: the share of tokens replaced by a name that are not PER; target <= 0.10;
- review recall: the share of person names (whole PER mentions) all of whose tokens were
  replaced, or are an occurrence of one of the first 20 near misses per 1,000 words of the
  import's review list (a researcher reads the replacements anyway); target >= 0.98;
  "strict": the first 20 rows per 1,000 words of the whole list, replacements included.

``--half dev`` or ``--half test`` measures only the first or second half of the
WikiNEuRal documents (the rules were developed looking at errors in the first half).
``--example`` imports the example project's raw files (``examples/raw``) twice, with the
example key and with only its organisations and places, and lists every replacement
made by import itself that is no person of the example key (precision on transcripts),
and the words of the key's persons left in the corpus.
``--transcript-words`` times find_names on generated Dutch transcripts next to the bare
spaCy pass of ``benchmarks/ingest.py`` (the import's own cost: run ingest.py).

Run ``python benchmarks/names.py``; prints a report and exits 0 whatever the numbers
(1 only when the fixtures are absent).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT.parent / "shared" / "fixtures" / "ner-nl"
WIKINEURAL = FIXTURES / "wikineural-nl" / "val.conllu"
EUROPEANA = FIXTURES / "europeana-nl-kb" / "enp_NL.kb.bio"
TARGETS = {"recall": 0.90, "non_person": 0.10, "review": 0.98}
REVIEW_PER_1000 = 20


@dataclass
class Document:
    """Text made of annotated tokens: their offsets, whether each is PER, the names."""

    text: str
    spans: list[tuple[int, int]]  # offsets of every token
    person: list[bool]
    names: list[list[int]]  # token indices of each person name
    words: int


def _build(sentences: list[list[tuple[str, str]]], joiner: str) -> Document:
    pieces, spans, person, names = [], [], [], []
    offset = 0
    previous = "O"
    for n, sentence in enumerate(sentences):
        if n:
            pieces.append(joiner)
            offset += len(joiner)
        for i, (token, tag) in enumerate(sentence):
            if i:
                pieces.append(" ")
                offset += 1
            pieces.append(token)
            spans.append((offset, offset + len(token)))
            offset += len(token)
            is_person = tag.endswith("PER")
            person.append(is_person)
            # IOB2 and IOB1 alike: B- opens a name, and so does I- after no person
            if is_person and (tag.startswith("B-") or not previous.endswith("PER")):
                names.append([])
            if is_person:
                names[-1].append(len(spans) - 1)
            previous = tag
    words = sum(1 for s in sentences for token, _ in s if any(c.isalnum() for c in token))
    return Document("".join(pieces), spans, person, names, words)


def _documents(sentences: list[list[tuple[str, str]]], joiner: str,
               size: int = 1000) -> list[Document]:
    documents, batch, count = [], [], 0
    for sentence in sentences:
        batch.append(sentence)
        count += len(sentence)
        if count >= size:
            documents.append(_build(batch, joiner))
            batch, count = [], 0
    if batch:
        documents.append(_build(batch, joiner))
    return documents


def read_wikineural(path: Path) -> list[list[tuple[str, str]]]:
    sentences, current = [], []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            if current:
                sentences.append(current)
            current = []
            continue
        _index, token, tag = line.split("\t")
        current.append((token, tag))
    if current:
        sentences.append(current)
    return sentences


def read_europeana(path: Path) -> list[list[tuple[str, str]]]:
    """One stream of tokens, cut into pieces of 50 tokens (no sentence breaks exist)."""
    tokens = []
    for line in path.read_text(encoding="utf-8").splitlines():
        token, _, tag = line.strip().rpartition(" ")
        if token:
            tokens.append((token, tag))
    return [tokens[i:i + 50] for i in range(0, len(tokens), 50)]


def _covered(document: Document, spans: list[tuple[int, int]]) -> list[bool]:
    """For every token: does one of ``spans`` overlap it?"""
    marks = [False] * len(document.spans)
    spans = sorted(spans)
    j = 0
    for i, (start, end) in enumerate(document.spans):
        while j < len(spans) and spans[j][1] <= start:
            j += 1
        k = j
        while k < len(spans) and spans[k][0] < end:
            if spans[k][1] > start:
                marks[i] = True
                break
            k += 1
    return marks


def _found(document: Document, marks: list[bool]) -> int:
    """How many person names have every token marked."""
    return sum(all(marks[i] for i in name) for name in document.names)


def _ceiling(document: Document, keep: int) -> int:
    """Names a perfect list of ``keep`` distinct forms could show: the most frequent forms."""
    forms: dict[str, int] = {}
    for name in document.names:
        form = document.text[document.spans[name[0]][0]:document.spans[name[-1]][1]]
        forms[form] = forms.get(form, 0) + 1
    return sum(sorted(forms.values(), reverse=True)[:keep])


def _changed(document: Document, stored: str) -> tuple[list[bool], list[bool]]:
    """For every token: replaced by a name? replaced by an identifier placeholder?"""
    from raakvlak.exchange.positions import edit_map

    text = document.text + "\n"
    mapping = edit_map(text, stored)
    by_name, by_identifier = [], []
    for start, end in document.spans:
        new = stored[int(mapping[start]):int(mapping[end])]
        changed = new != text[start:end]
        placeholder = changed and "[" in new and "]" in new
        by_name.append(changed and not placeholder)
        by_identifier.append(placeholder)
    return by_name, by_identifier


def _occurrences(document: Document, forms: list[str]) -> list[tuple[int, int]]:
    """Where the researcher finds the listed forms: every whole-word occurrence."""
    import re

    if not forms:
        return []
    pattern = re.compile(r"(?<!\w)(?:" + "|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True))
                         + r")(?!\w)")
    return [(m.start(), m.end()) for m in pattern.finditer(document.text)]


def measure(documents: list[Document], shared: bool) -> dict[str, float]:
    """Import every document (see the module) and score what import replaced and listed."""
    from raakvlak.corpus.detection import NEAR_MISS
    from raakvlak.corpus.importer import import_files
    from raakvlak.project import Project

    per = replaced = replaced_per = names = identifiers = 0
    listed_found = workflow_found = ceiling = 0
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        project = Project.init(folder / "project", name="names")
        key = project.private_dir / "pseudonyms.csv"
        for n, document in enumerate(documents):
            if not shared:
                key.unlink(missing_ok=True)  # alone: a fresh key for every document
            raw = folder / f"document-{n:04d}.txt"
            raw.write_text(document.text + "\n", encoding="utf-8")
            report = import_files(project, [raw], kind="text", language="nl", allow_duplicate=True)
            stored = project.corpus.text(report.document_ids[0])
            by_name, by_identifier = _changed(document, stored)
            for is_replaced, is_identifier, is_person in zip(by_name, by_identifier, document.person,
                                                             strict=True):
                per += is_person
                replaced += is_replaced
                replaced_per += is_replaced and is_person
                identifiers += is_identifier
            keep = max(1, round(REVIEW_PER_1000 * document.words / 1000))
            review = report.review
            near = review[review["decision"] == NEAR_MISS]["original"].tolist()[:keep]
            shown = _covered(document, _occurrences(document, near))
            workflow_found += _found(document, [a or b for a, b in zip(shown, by_name, strict=True)])
            strict = _covered(document, _occurrences(document, review["original"].tolist()[:keep]))
            listed_found += _found(document, strict)
            names += len(document.names)
            ceiling += _ceiling(document, keep)
    return {"recall": replaced_per / per, "non_person": 1 - replaced_per / max(replaced, 1),
            "review": workflow_found / names, "review_strict": listed_found / names,
            "ceiling": ceiling / names, "per_tokens": per, "replaced": replaced,
            "names": names, "identifiers": identifiers}


def throughput(documents: list[Document], repeat: int) -> tuple[float, float]:
    """Best seconds of find_names and of Pseudonymiser.texts over all documents."""
    from raakvlak.corpus.names import find_names
    from raakvlak.corpus.pseudonymise import Pseudonymiser

    texts = [d.text for d in documents]
    with tempfile.TemporaryDirectory() as tmp:
        pseudonymiser = Pseudonymiser(Path(tmp) / "pseudonyms.csv")
        ours, theirs = [], []
        for _ in range(repeat):
            start = time.process_time()
            for text in texts:
                find_names(text, "nl")
            ours.append(time.process_time() - start)
            start = time.process_time()
            for text in texts:
                pseudonymiser.texts([text])
            theirs.append(time.process_time() - start)
    return min(ours), min(theirs)


def report(name: str, documents: list[Document], repeat: int, ways: tuple[bool, ...] = (False, True)) -> None:
    words = sum(d.words for d in documents)

    def verdict(key: str, value: float) -> str:
        target = TARGETS[key]
        met = value <= target if key == "non_person" else value >= target
        return f"(target {'<=' if key == 'non_person' else '>='} {target:.2f}: " \
               f"{'met' if met else 'MISSED'})"

    print(f"\n{name}: {len(documents)} documents, {words:,} words, "
          f"{sum(sum(d.person) for d in documents):,} person tokens in "
          f"{sum(len(d.names) for d in documents):,} names")
    for shared in ways:
        start = time.perf_counter()
        result = measure(documents, shared)
        took = time.perf_counter() - start
        print(f"  imported {'one after another into one project' if shared else 'each into a project of its own'}"
              f" ({took:.0f} s)")
        print(f"    automatic recall of person tokens  {result['recall']:.3f} "
              f"{verdict('recall', result['recall'])}")
        print(f"    replaced tokens that are no person {result['non_person']:.3f} "
              f"{verdict('non_person', result['non_person'])} ({result['replaced']:,} replaced by a name; "
              f"{result['identifiers']:,} more by an identifier placeholder, not counted)")
        print(f"    review recall: replaced, or among the first {REVIEW_PER_1000} near misses per "
              f"1,000 words {result['review']:.3f} {verdict('review', result['review'])}")
        print(f"    review recall, strict: among the first {REVIEW_PER_1000} rows per 1,000 words of "
              f"the whole list (replaced names included) {result['review_strict']:.3f} "
              f"{verdict('review', result['review_strict'])}; a perfect list reaches "
              f"{result['ceiling']:.3f} (more distinct names than rows)")
    ours, theirs = throughput(documents, repeat)
    print(f"  find_names {words / ours:,.0f} words/s CPU ({ours:.2f} s); "
          f"Pseudonymiser.texts {words / theirs:,.0f} words/s ({theirs:.2f} s); "
          f"ratio find_names / pseudonymiser = {theirs / ours:.2f}")


def transcripts(words: int, repeat: int) -> None:
    """find_names on generated Dutch transcript turns (benchmarks/ingest.py's generator),
    timed next to the bare spaCy pass that ingest.py's target is relative to."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import re

    import ingest

    from raakvlak.corpus.language import lemmatise
    from raakvlak.corpus.names import find_names

    lemmatise(["kinderen"], "nl")  # registers the lemmatizer the bare pass uses
    generator = ingest.Generator(20240601)
    documents = []
    for _ in range(max(1, words // 25_000)):
        raw, _count = generator.transcript(25_000)
        turns = [line.split("): ", 1)[1] for line in raw.splitlines()]
        documents.append(turns)
    texts = ["\n\n".join(turns) for turns in documents]
    total = sum(len(t.split()) for t in texts)
    ours = min(_cpu(lambda: [find_names(t, "nl") for t in texts]) for _ in range(repeat))
    bare = min(ingest.bare_pipeline([t for turns in documents for t in turns]).cpu
               for _ in range(repeat))
    first = {n.lower() for n in ingest.FIRST_NAMES}
    schools = {w.lower() for s in ingest.SCHOOLS for w in s.split()}
    named = caught = wrong = 0
    for text in texts:
        sure = [s for s in find_names(text, "nl") if s.sure]
        covered = {i for s in sure for i in range(s.start, s.end)}
        for match in re.finditer(r"\w+", text):
            if match.group().lower() in first:
                named += 1
                caught += match.start() in covered
        wrong += sum(1 for s in sure for w in s.text.split() if w.lower() in schools)
    print(f"\nGenerated transcripts (benchmarks/ingest.py's generator): {len(texts)} documents, "
          f"{total:,} words")
    print(f"  find_names {total / ours:,.0f} words/s CPU ({ours:.2f} s); bare spaCy pass "
          f"(blank nl + sentencizer + lemmas, as in ingest.py) {total / bare:,.0f} words/s "
          f"({bare:.2f} s); find_names costs {ours / bare:.2f} x the bare pass")
    print(f"  first names of the generator replaced: {caught:,} of {named:,} "
          f"({caught / max(named, 1):.3f}); school-name words replaced: {wrong:,}")


EXAMPLE_FILES = [  # as examples/build.sh imports them: file, kind
    ("als-a-sessie-1.txt", "transcript"), ("als-a-sessie-2.txt", "transcript"),
    ("als-b-sessie-3.txt", "transcript"), ("als-b-sessie-4.txt", "transcript"),
    ("online-overleg.vtt", "transcript"), ("workshop-lego-verhalen.md", "notes"),
    ("workshop-reflectie.txt", "notes"), ("enquete-samenwerking.csv", "survey"),
]


def example() -> None:
    """The example project's raw files imported as examples/build.sh imports them, with the
    example key and with only its organisations and places: what import replaced by
    itself that is no person of the example key, and which persons it left."""
    import csv
    import re

    from raakvlak.corpus.detection import REPLACED
    from raakvlak.corpus.importer import import_files
    from raakvlak.project import Project

    raw = ROOT / "examples" / "raw"
    with (raw / "pseudonyms.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    persons = {w.lower() for r in rows if r["kind"] == "person" for w in re.findall(r"[^\W\d_]+", r["original"])}
    persons -= {"van", "de", "der", "den", "het", "el"}
    for keyed in ("the example key", "only the key's organisations and places"):
        with tempfile.TemporaryDirectory() as tmp:
            project = Project.init(Path(tmp) / "example", name="example")
            kept = rows if keyed == "the example key" else [r for r in rows if r["kind"] != "person"]
            with (project.private_dir / "pseudonyms.csv").open("w", encoding="utf-8", newline="") as handle:
                writer = csv.DictWriter(handle, ["original", "pseudonym", "kind"], lineterminator="\n")
                writer.writeheader()
                writer.writerows(kept)
            found = []
            for name, kind in EXAMPLE_FILES:
                review = import_files(project, [raw / name], kind=kind).review
                found += review[review["decision"] == REPLACED].itertuples(index=False)
            texts = "\n".join(project.corpus.text(d) for d in project.corpus.ids)
        wrong = [f for f in found if not all(w.lower() in persons for w in re.findall(r"[^\W\d_]+", f.original))]
        left = sorted({w for w in re.findall(r"\b[A-Z][a-z]+\b", texts) if w.lower() in persons})
        print(f"\nExample raw files (examples/raw, {len(EXAMPLE_FILES)} files) with {keyed}:")
        print(f"  replaced by import itself: {len(found)} name(s) in {sum(f.count for f in found)} place(s); "
              f"no person of the example key: {len(wrong)} name(s) in {sum(f.count for f in wrong)} place(s)"
              + (": " + ", ".join(f"{f.original} ({f.reason})" for f in wrong) if wrong else ""))
        print(f"  words of the key's persons still in the corpus, capitalised: {', '.join(left) or 'none'}")


def _cpu(work) -> float:
    start = time.process_time()
    work()
    return time.process_time() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="timing runs; the best counts")
    parser.add_argument("--half", choices=["all", "dev", "test"], default="all",
                        help="WikiNEuRal documents measured: all, first half, second half")
    parser.add_argument("--skip-europeana", action="store_true")
    parser.add_argument("--transcript-words", type=int, default=200_000,
                        help="words of generated transcripts to time (0: none)")
    parser.add_argument("--example", action="store_true",
                        help="also import the example project's raw files and list what is no person")
    args = parser.parse_args(argv)
    if not WIKINEURAL.exists():
        print(f"names benchmark: {WIKINEURAL.relative_to(ROOT.parent)} is absent "
              "(the shared fixtures are not beside this repository); nothing measured")
        return 1
    from raakvlak.corpus.names import lexicon

    start = time.perf_counter()
    lexicon()
    print(f"raakvlak names benchmark; word lists read in {time.perf_counter() - start:.2f} s "
          "(once per process, in no rate)")
    documents = _documents(read_wikineural(WIKINEURAL), "\n")
    half = len(documents) // 2
    chosen = {"all": documents, "dev": documents[:half], "test": documents[half:]}[args.half]
    report(f"WikiNEuRal nl val ({args.half})", chosen, args.repeat)
    if not args.skip_europeana and EUROPEANA.exists():
        report("Europeana NL (KB), stress test", _documents(read_europeana(EUROPEANA), " "),
               args.repeat)
    if args.transcript_words:
        transcripts(args.transcript_words, args.repeat)
    if args.example:
        example()
    return 0


if __name__ == "__main__":
    sys.exit(main())
