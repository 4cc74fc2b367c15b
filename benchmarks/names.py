"""Benchmark: person names found by ``raakvlak.corpus.names`` in annotated Dutch text.

Reads the measurement sets in ``../shared/fixtures/ner-nl/`` (relative to the
repository; see their SOURCE.md): WikiNEuRal Dutch validation sentences (silver
annotations, CC BY-NC-SA 4.0: measured here, never shipped or trained on) and the
Europeana Newspapers Dutch set (hand annotated, 19th-century OCR, CC0) as a stress test.
The sentences are put together, in their order, into documents of about 1,000 words
(WikiNEuRal: one sentence a line; Europeana has no sentence breaks: one line a
document), and :func:`raakvlak.corpus.names.find_names` and
:func:`raakvlak.corpus.names.review` run on each document.

Reported, on each set:

- automatic recall: the share of person tokens (PER) inside a sure span (replaced at
  import); target >= 0.90;
- non-person share: the share of tokens inside sure spans that are not PER; target <= 0.10;
- review recall: the share of person names (whole PER mentions) all of whose tokens
  are covered by the first 20 review candidates per 1,000 words; target >= 0.98;
- throughput in words/s, and its ratio to the pseudonymiser's own pass
  (``Pseudonymiser.texts`` with an empty key: the fixed patterns) over the same
  documents in the same run; the best of ``--repeat`` runs counts.

``--half dev`` or ``--half test`` measures only the first or second half of the
WikiNEuRal documents (the rules were developed looking at errors in the first half).
``--transcript-words`` times find_names on generated Dutch transcripts next to the bare
spaCy pass of ``benchmarks/ingest.py``; ``--import-words`` runs that benchmark's import
and segmentation and adds find_names to it, against its target (>= 0.5 of the bare pass).

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


def measure(documents: list[Document]) -> dict[str, float]:
    from raakvlak.corpus.names import find_names, review

    per = replaced = replaced_per = names = 0
    listed_found = workflow_found = ceiling = 0
    for document in documents:
        spans = find_names(document.text, "nl")
        sure = _covered(document, [(s.start, s.end) for s in spans if s.sure])
        for is_sure, is_person in zip(sure, document.person, strict=True):
            per += is_person
            replaced += is_sure
            replaced_per += is_sure and is_person
        keep = max(1, round(REVIEW_PER_1000 * document.words / 1000))
        candidates = review(document.text, "nl", spans=spans)
        # strict: the first `keep` rows of the whole list (replaced names first)
        top = {c.text for c in candidates[:keep]}
        listed_found += _found(document, _covered(
            document, [(s.start, s.end) for s in spans if s.text in top]))
        # workflow: replaced names are shown anyway; the first `keep` near misses besides
        near_top = {c.text for c in [c for c in candidates if not c.sure][:keep]}
        shown = _covered(document, [(s.start, s.end) for s in spans
                                    if s.sure or s.text in near_top])
        workflow_found += _found(document, shown)
        names += len(document.names)
        ceiling += _ceiling(document, keep)
    return {"recall": replaced_per / per, "non_person": 1 - replaced_per / max(replaced, 1),
            "review": workflow_found / names, "review_strict": listed_found / names,
            "ceiling": ceiling / names, "per_tokens": per, "replaced": replaced,
            "names": names}


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


def report(name: str, documents: list[Document], repeat: int) -> None:
    result = measure(documents)
    words = sum(d.words for d in documents)
    ours, theirs = throughput(documents, repeat)

    def verdict(key: str, value: float) -> str:
        target = TARGETS[key]
        met = value <= target if key == "non_person" else value >= target
        return f"(target {'<=' if key == 'non_person' else '>='} {target:.2f}: " \
               f"{'met' if met else 'MISSED'})"

    print(f"\n{name}: {len(documents)} documents, {words:,} words, "
          f"{result['per_tokens']:,} person tokens in {result['names']:,} names")
    print(f"  automatic recall of person tokens  {result['recall']:.3f} "
          f"{verdict('recall', result['recall'])}")
    print(f"  replaced tokens that are no person {result['non_person']:.3f} "
          f"{verdict('non_person', result['non_person'])} ({result['replaced']:,} replaced)")
    print(f"  review recall: replaced, or among the first {REVIEW_PER_1000} near misses per "
          f"1,000 words {result['review']:.3f} {verdict('review', result['review'])}")
    print(f"  review recall, strict: among the first {REVIEW_PER_1000} rows per 1,000 words of "
          f"the whole list (replaced names included) {result['review_strict']:.3f} "
          f"{verdict('review', result['review_strict'])}; a perfect list reaches "
          f"{result['ceiling']:.3f} (more distinct names than rows)")
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


def with_import(words: int, repeat: int) -> None:
    """ingest.py's import + segment run, then find_names over every imported document: the
    ratio ingest.py targets (>= 0.5 of the bare spaCy pass), with and without names. The
    best CPU time of ``repeat`` runs counts for every step, as in ingest.py."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import ingest

    from raakvlak.corpus.language import lemmatise
    from raakvlak.corpus.names import find_names
    from raakvlak.project import Project

    lemmatise(["kinderen"], "nl")
    steps: dict[str, list[float]] = {"import": [], "build": [], "bare": [], "names": []}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "raw").mkdir()
        paths, _total = ingest.write_raw(folder / "raw", words, 40, 20240601)
        for n in range(repeat):
            run = ingest.one_run(folder / f"project-{n}", paths)
            corpus = Project.find(folder / f"project-{n}").corpus
            texts = [corpus.text(d) for d in corpus.ids]
            for step in ("import", "build", "bare"):
                steps[step].append(run[step].cpu)
            steps["names"].append(_cpu(lambda texts=texts: [find_names(t, "nl") for t in texts]))
    best = {step: min(times) for step, times in steps.items()}
    ours, bare = best["import"] + best["build"], best["bare"]
    counted = sum(len(t.split()) for t in run["turns"])
    print(f"\nImport + segment of {counted:,} generated words (benchmarks/ingest.py; best CPU s "
          f"of {repeat}): import {best['import']:.2f}, segment {best['build']:.2f}, find_names "
          f"on the stored texts {best['names']:.2f}, bare spaCy pass {bare:.2f}")
    print(f"  import+segment / bare = {bare / ours:.2f}; with find_names = "
          f"{bare / (ours + best['names']):.2f} (target >= 0.5: "
          f"{'met' if bare / (ours + best['names']) >= 0.5 else 'MISSED'})")


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
    parser.add_argument("--import-words", type=int, default=0,
                        help="also run ingest.py's import + segment on this many words and "
                             "add find_names to it (0: skip)")
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
    if args.import_words:
        with_import(args.import_words, args.repeat)
    return 0


if __name__ == "__main__":
    sys.exit(main())
