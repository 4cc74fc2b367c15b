"""Benchmark: import and segment about a million words of Dutch transcripts.

Generates seeded, transcript-like Dutch (speakers with roles, timestamps, fillers,
domain vocabulary, compounds, names) spread over several documents, imports them into
a fresh project in a temporary folder (pseudonymised, through the importer), builds
the segments with lemmas (turns and sentences), reloads them from the cache, and times
a bare spaCy pipeline (blank nl + sentencizer + the same lemmatizer, built fresh)
over the same turn texts in the same run, one Doc per turn: the straightforward way
to get sentences that never cross a turn. (raakvlak itself gives many turns one Doc,
see ``raakvlak.corpus.segments.analyse``.) For reference only, the bare pipeline is
also timed with one Doc per stored document.

Targets (issue "Segments"):

- import + segment throughput >= 0.5 x the bare pipeline's throughput;
- reloading cached segments >= 10 x faster than the first build.

Each run imports into a new project with a new pipeline; the machines are shared
and noisy, so every step is run ``--repeat`` times (default 3) and its best time
counts, as ``timeit`` does.

Run ``python benchmarks/ingest.py`` (about a million words) or
``python benchmarks/ingest.py --words 50000 --repeat 1`` for a quick run. Prints a
report and exits 0 whatever the numbers.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

# --------------------------------------------------------------------------- vocabulary
NOUNS = [
    ("kind", "kinderen"), ("ouder", "ouders"), ("school", "scholen"), ("leerling", "leerlingen"),
    ("leerkracht", "leerkrachten"), ("docent", "docenten"), ("mentor", "mentoren"),
    ("klas", "klassen"), ("gesprek", "gesprekken"), ("afspraak", "afspraken"),
    ("zorg", "zorgen"), ("hulp", "hulp"), ("plan", "plannen"), ("gezin", "gezinnen"),
    ("moeder", "moeders"), ("vader", "vaders"), ("wijkteam", "wijkteams"),
    ("gemeente", "gemeenten"), ("aanbieder", "aanbieders"), ("beschikking", "beschikkingen"),
    ("overleg", "overleggen"), ("dossier", "dossiers"), ("signaal", "signalen"),
    ("zorgcoördinator", "zorgcoördinatoren"), ("begeleider", "begeleiders"),
    ("hulpverlener", "hulpverleners"), ("jeugdarts", "jeugdartsen"), ("directeur", "directeuren"),
    ("week", "weken"), ("dag", "dagen"), ("jaar", "jaren"), ("maand", "maanden"),
    ("probleem", "problemen"), ("vraag", "vragen"), ("antwoord", "antwoorden"),
    ("situatie", "situaties"), ("casus", "casussen"), ("regie", "regie"), ("rol", "rollen"),
    ("taak", "taken"), ("verantwoordelijkheid", "verantwoordelijkheden"),
    ("informatie", "informatie"), ("toestemming", "toestemmingen"), ("privacy", "privacy"),
    ("wet", "wetten"), ("budget", "budgetten"), ("wachtlijst", "wachtlijsten"),
    ("thuiszitter", "thuiszitters"), ("arrangement", "arrangementen"), ("traject", "trajecten"),
    ("verwijzing", "verwijzingen"), ("huisarts", "huisartsen"), ("lijntje", "lijntjes"),
    ("collega", "collega's"), ("team", "teams"), ("moment", "momenten"),
    ("verwachting", "verwachtingen"), ("samenwerking", "samenwerkingen"), ("grens", "grenzen"),
    ("mail", "mails"), ("telefoon", "telefoons"), ("rapport", "rapporten"),
    ("diagnose", "diagnoses"), ("behandeling", "behandelingen"), ("les", "lessen"),
    ("pauze", "pauzes"), ("schooldag", "schooldagen"), ("leerplicht", "leerplicht"),
    ("zorgplicht", "zorgplicht"), ("consulent", "consulenten"), ("ambtenaar", "ambtenaren"),
]
VERBS = [  # infinitive, ik, hij, past singular, past plural, participle
    ("hebben", "heb", "heeft", "had", "hadden", "gehad"),
    ("zijn", "ben", "is", "was", "waren", "geweest"),
    ("gaan", "ga", "gaat", "ging", "gingen", "gegaan"),
    ("komen", "kom", "komt", "kwam", "kwamen", "gekomen"),
    ("zeggen", "zeg", "zegt", "zei", "zeiden", "gezegd"),
    ("spreken", "spreek", "spreekt", "sprak", "spraken", "gesproken"),
    ("bellen", "bel", "belt", "belde", "belden", "gebeld"),
    ("vragen", "vraag", "vraagt", "vroeg", "vroegen", "gevraagd"),
    ("denken", "denk", "denkt", "dacht", "dachten", "gedacht"),
    ("vinden", "vind", "vindt", "vond", "vonden", "gevonden"),
    ("weten", "weet", "weet", "wist", "wisten", "geweten"),
    ("maken", "maak", "maakt", "maakte", "maakten", "gemaakt"),
    ("doen", "doe", "doet", "deed", "deden", "gedaan"),
    ("krijgen", "krijg", "krijgt", "kreeg", "kregen", "gekregen"),
    ("delen", "deel", "deelt", "deelde", "deelden", "gedeeld"),
    ("afspreken", "spreek af", "spreekt af", "sprak af", "spraken af", "afgesproken"),
    ("merken", "merk", "merkt", "merkte", "merkten", "gemerkt"),
    ("zien", "zie", "ziet", "zag", "zagen", "gezien"),
    ("horen", "hoor", "hoort", "hoorde", "hoorden", "gehoord"),
    ("schrijven", "schrijf", "schrijft", "schreef", "schreven", "geschreven"),
    ("wachten", "wacht", "wacht", "wachtte", "wachtten", "gewacht"),
    ("regelen", "regel", "regelt", "regelde", "regelden", "geregeld"),
    ("begeleiden", "begeleid", "begeleidt", "begeleidde", "begeleidden", "begeleid"),
    ("verwijzen", "verwijs", "verwijst", "verwees", "verwezen", "verwezen"),
    ("samenwerken", "werk samen", "werkt samen", "werkte samen", "werkten samen", "samengewerkt"),
    ("snappen", "snap", "snapt", "snapte", "snapten", "gesnapt"),
    ("proberen", "probeer", "probeert", "probeerde", "probeerden", "geprobeerd"),
    ("lopen", "loop", "loopt", "liep", "liepen", "gelopen"),
]
ADJECTIVES = [  # (predicative, attributive)
    ("goed", "goede"), ("lastig", "lastige"), ("moeilijk", "moeilijke"),
    ("belangrijk", "belangrijke"), ("duidelijk", "duidelijke"), ("onduidelijk", "onduidelijke"),
    ("snel", "snelle"), ("traag", "trage"), ("nieuw", "nieuwe"), ("oud", "oude"),
    ("groot", "grote"), ("klein", "kleine"), ("zwaar", "zware"), ("fijn", "fijne"),
    ("spannend", "spannende"), ("eerlijk", "eerlijke"), ("open", "open"),
    ("kwetsbaar", "kwetsbare"), ("ingewikkeld", "ingewikkelde"), ("makkelijk", "makkelijke"),
    ("handig", "handige"), ("concreet", "concrete"), ("vaag", "vage"), ("kort", "korte"),
    ("lang", "lange"), ("preventief", "preventieve"), ("specialistisch", "specialistische"),
    ("passend", "passende"), ("veilig", "veilige"), ("zorgelijk", "zorgelijke"),
]
SUBJECTS = [  # (subject, person: 1 = ik, 3 = singular, p = plural)
    ("ik", "1"), ("je", "3"), ("jij", "3"), ("hij", "3"), ("zij", "3"), ("men", "3"),
    ("die moeder", "3"), ("de school", "3"), ("het wijkteam", "3"), ("de gemeente", "3"),
    ("de leerkracht", "3"), ("de mentor", "3"), ("de jeugdarts", "3"), ("we", "p"),
    ("wij", "p"), ("ze", "p"), ("de ouders", "p"), ("de scholen", "p"),
]
AUXILIARIES = {"1": ["heb", "ben"], "3": ["heeft", "is"], "p": ["hebben", "zijn"]}
MODALS = {"1": ["moet", "kan", "wil", "zou", "mag", "ga"],
          "3": ["moet", "kan", "wil", "zou", "mag", "gaat"],
          "p": ["moeten", "kunnen", "willen", "zouden", "mogen", "gaan"]}
ADVERBS = ["dan", "toen", "nu", "ook", "nog", "al", "wel", "niet", "gewoon", "eigenlijk",
           "echt", "heel", "best", "vaak", "soms", "nooit", "meteen", "eerst", "daarna",
           "natuurlijk", "inderdaad", "misschien", "toch", "even", "dus", "zo", "weer"]
FILLERS = ["uh", "uhm", "eh", "nou", "ja", "nee", "hè", "oké", "weet je", "zeg maar",
           "snap je", "ja ja", "mm"]
PREPOSITIONS = ["met", "van", "voor", "bij", "op", "over", "naar", "in", "aan", "door", "zonder"]
CONJUNCTIONS = ["en", "maar", "want", "omdat", "dus", "terwijl", "als", "toen", "zodat"]
FIRST_NAMES = ["Marieke", "Petra", "Jeroen", "Sanne", "Ahmed", "Fatima", "Kees", "Ingrid",
               "Mohamed", "Lotte", "Bram", "Yasmina", "Wim", "Ellen", "Sven", "Noor",
               "Daan", "Esra", "Joost", "Annelies", "Ruud", "Hatice", "Femke", "Tom"]
SURNAMES = ["de Vries", "Jansen", "Bakker", "Visser", "Smit", "Meijer", "Yilmaz", "El Amrani",
            "de Boer", "Mulder", "Bos", "Vos", "Peters", "Hendriks"]
ROLES = ["leerkracht", "mentor", "intern begeleider", "zorgcoördinator", "jeugdhulpverlener",
         "wijkteammedewerker", "jeugdarts", "facilitator", "ouder", "beleidsmedewerker"]
SCHOOLS = ["De Regenboog", "Het Baken", "Sint Jozef", "De Wissel", "Het Kompas"]


class Generator:
    """Seeded transcript-like Dutch: Zipf-weighted words in simple spoken sentences."""

    def __init__(self, seed: int):
        self.random = random.Random(seed)
        stems = [n[0] for n in NOUNS]
        # compounds make the long tail of word types that real transcripts have
        compounds = [(a + b, a + p) for a in stems for b, p in NOUNS if a != b]
        self.random.shuffle(compounds)
        self.nouns = NOUNS + compounds[:2500]
        self.noun_weights = [1 / (rank + 1) ** 0.9 for rank in range(len(self.nouns))]

    def choice(self, items: list, weights: list[float] | None = None):
        if weights is None:
            return items[self.random.randrange(len(items))]
        return self.random.choices(items, weights)[0]

    def noun_phrase(self) -> str:
        singular, plural = self.choice(self.nouns, self.noun_weights)
        r = self.random.random()
        if r < 0.4:
            return f"de {plural}"
        if r < 0.6:
            article = self.choice(["een", "die", "zo’n"])
            return f"{article} {self.choice(ADJECTIVES)[1]} {singular}"
        if r < 0.7:
            return f"{self.choice(FIRST_NAMES)}"
        if r < 0.75:
            return f"{self.choice(SCHOOLS)}"
        return f"de {singular}"

    def clause(self) -> str:
        verb = self.choice(VERBS)
        subject, person = self.choice(SUBJECTS)
        r = self.random.random()
        if r < 0.3:
            words = [subject, self.choice(AUXILIARIES[person]), self.noun_phrase(),
                     self.choice(ADVERBS), verb[5]]
        elif r < 0.5:
            words = [subject, self.choice(MODALS[person]), self.choice(ADVERBS),
                     self.noun_phrase(), verb[0]]
        elif r < 0.7:
            words = [subject, verb[4] if person == "p" else verb[3], self.choice(ADVERBS),
                     self.choice(PREPOSITIONS), self.noun_phrase()]
        else:
            present = {"1": verb[1], "3": verb[2], "p": verb[0]}[person]
            words = [subject, present, self.noun_phrase(), self.choice(ADVERBS),
                     self.choice(ADJECTIVES)[0]]
        if self.random.random() < 0.25:
            words.insert(self.random.randrange(len(words)), self.choice(FILLERS))
        return " ".join(words)

    def sentence(self) -> str:
        parts = [self.clause()]
        while self.random.random() < 0.35:
            parts.append(f"{self.choice(CONJUNCTIONS)} {self.clause()}")
        text = ", ".join(parts) if self.random.random() < 0.5 else " ".join(parts)
        if self.random.random() < 0.1:
            text = f"{self.choice(FILLERS)}, {text}"
        end = self.choice([".", ".", ".", "?", "...", "!"])
        return text[0].upper() + text[1:] + end

    def turn(self) -> str:
        count = min(1 + int(self.random.expovariate(0.35)), 14)
        if self.random.random() < 0.15:
            return self.choice(["Ja.", "Nee.", "Precies.", "Klopt.", "Mm.", "Oké.", "Ja, zeker."])
        return " ".join(self.sentence() for _ in range(count))

    def transcript(self, words: int) -> tuple[str, int]:
        """Raw transcript text of about ``words`` words and its word count."""
        people = self.random.sample(FIRST_NAMES, self.random.randint(4, 7))
        roles = {p: self.choice(ROLES) for p in people}
        names = {p: f"{p} {self.choice(SURNAMES)}" for p in people}
        lines, total, seconds = [], 0, self.random.randint(0, 60)
        while total < words:
            person = self.choice(people, [1, 0.8, 0.6, 0.5, 0.4, 0.3, 0.3][: len(people)])
            text = self.turn()
            total += len(text.split())
            stamp = f"{seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"
            lines.append(f"[{stamp}] {names[person]} ({roles[person]}): {text}")
            seconds += max(2, len(text.split()) // 2 + self.random.randint(0, 6))
        return "\n".join(lines) + "\n", total


# --------------------------------------------------------------------------- steps
def write_raw(folder: Path, words: int, documents: int, seed: int) -> tuple[list[Path], int]:
    generator = Generator(seed)
    paths, total = [], 0
    for n in range(1, documents + 1):
        text, count = generator.transcript(max(1, words // documents))
        path = folder / f"sessie-{n:02d}.txt"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
        total += count
    return paths, total


def import_corpus(project, paths: list[Path]) -> str:
    """Import through the importer; without it, write canonical turns directly."""
    try:
        from raakvlak.corpus.importer import import_files
    except ImportError as exc:
        import re

        from raakvlak.corpus.canonical import canonicalise
        from raakvlak.corpus.store import CorpusStore, DocumentRecord
        from raakvlak.corpus.structure import format_turn

        label = re.compile(r"^\[(\d\d:\d\d:\d\d)\] ([^(]+) \(([^)]*)\): (.*)$")
        records = []
        for path in paths:
            turns, speakers = [], {}
            for line in path.read_text(encoding="utf-8").splitlines():
                stamp, name, role, text = label.match(line).groups()
                speakers.setdefault(name, {"speaker": name, "role": role})
                turns.append(format_turn(name, text, stamp))
            records.append(DocumentRecord(path.stem, canonicalise("\n\n".join(turns)),
                                          kind="transcript", language="nl",
                                          speakers=list(speakers.values())))
        CorpusStore(project.corpus_dir).add(records)
        return f"CorpusStore.add directly (importer not importable: {exc})"
    import_files(project, paths, kind="transcript", language="nl", pseudonymise=True)
    return "raakvlak.corpus.importer.import_files (pseudonymised)"


class Clock:
    """Wall-clock and CPU seconds of a block (CPU time is steadier on a shared machine)."""

    def __enter__(self) -> Clock:
        self.wall, self.cpu = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc) -> None:
        self.wall = time.perf_counter() - self.wall
        self.cpu = time.process_time() - self.cpu


# turns per spaCy batch in the bare pipeline (measured: 64-256 are equally fast)
BARE_BATCH = 128


def bare_pipeline(texts: list[str]) -> Clock:
    """Time a fresh blank nl + sentencizer + raakvlak_lemmatizer over ``texts``, a Doc each."""
    import spacy

    from raakvlak.corpus.language import LEMMATIZER

    nlp = spacy.blank("nl")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe(LEMMATIZER)  # a fresh component: no lemma remembered yet
    with Clock() as clock:
        for doc in nlp.pipe(texts, batch_size=BARE_BATCH):
            for _ in doc.sents:
                pass
    return clock


def one_run(folder: Path, paths: list[Path]) -> dict:
    """Import into a fresh project, build the segments with a fresh pipeline, reload them,
    and run the bare pipeline over the same turns; CPU and wall time of each step."""
    from raakvlak.corpus import language
    from raakvlak.project import Project

    project = Project.init(folder, name="Benchmark")
    # a pipeline as new as the bare one: no word seen, no lemma remembered
    language.pipeline.cache_clear()
    language.pipeline("nl")
    with Clock() as imported:
        how = import_corpus(project, paths)
    with Clock() as built:
        cold = project.corpus.segments(level=None, lemmas=True)
    with Clock() as reloaded:
        warm = project.corpus.segments(level=None, lemmas=True)
    turns = cold[cold["level"] == "turn"]["text"].tolist()
    bare = bare_pipeline(turns)
    whole = bare_pipeline([project.corpus.text(d) for d in project.corpus.ids])
    return {"how": how, "import": imported, "build": built, "reload": reloaded, "bare": bare,
            "whole": whole,
            "same": cold.equals(warm), "turns": turns,
            "sentences": int((cold["level"] == "sentence").sum())}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--words", type=int, default=1_000_000, help="words to generate")
    parser.add_argument("--documents", type=int, default=40, help="documents to spread them over")
    parser.add_argument("--seed", type=int, default=20240601)
    parser.add_argument("--repeat", type=int, default=3,
                        help="runs; each step's best time counts (the machine is shared)")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        raw = folder / "raw"
        raw.mkdir()
        paths, words = write_raw(raw, args.words, args.documents, args.seed)
        # one-time start-up, kept out of every timing: import spaCy, build the Dutch
        # pipeline, load simplemma's Dutch dictionary
        with Clock() as startup:
            from raakvlak.corpus.language import lemmatise

            lemmatise(["kinderen"], "nl")
        runs = [one_run(folder / f"project-{n}", paths) for n in range(args.repeat)]

    first = runs[0]
    turns = first["turns"]
    imported_words = sum(len(t.split()) for t in turns)

    def best(step: str, pick) -> float:
        return min(pick(run[step]) for run in runs)

    def rate(step: str) -> str:
        wall, cpu = best(step, lambda c: c.wall), best(step, lambda c: c.cpu)
        every = ", ".join(f"{run[step].cpu:.2f}" for run in runs)
        return (f"{imported_words / wall:>11,.0f} words/s wall ({wall:6.2f} s), "
                f"{imported_words / cpu:>11,.0f} words/s CPU ({cpu:6.2f} s; runs: {every})")

    print(f"raakvlak ingest benchmark: {words:,} words generated in {len(paths)} documents; "
          f"after import {imported_words:,} words in {len(turns):,} turns and "
          f"{first['sentences']:,} sentences; best of {len(runs)} runs")
    print(f"import via            {first['how']}")
    print(f"start-up              {startup.wall:6.2f} s (import spaCy, build pipeline, load "
          "dictionary; in no rate)")
    print(f"import                {rate('import')}")
    print(f"segment, first build  {rate('build')}")
    print(f"segment, from cache   {rate('reload')}")
    print(f"bare spaCy pipeline   {rate('bare')}")
    print("                      (blank nl + sentencizer + raakvlak_lemmatizer, same turns, a Doc each)")
    print(f"bare, a Doc per text  {rate('whole')}")
    print("                      (for reference, no target: whole stored documents, labels "
          "included; sentences cross turns)")
    for name, pick in (("wall", lambda c: c.wall), ("CPU", lambda c: c.cpu)):
        ours = min(pick(run["import"]) + pick(run["build"]) for run in runs)
        ratio = best("bare", pick) / ours
        speedup = best("build", pick) / best("reload", pick)
        print(f"{name:>4}: import+segment / bare = {ratio:.2f} (target >= 0.5: "
              f"{'met' if ratio >= 0.5 else 'MISSED'}); segment / bare = "
              f"{best('bare', pick) / best('build', pick):.2f}; cold / warm = {speedup:.1f} "
              f"(target >= 10: {'met' if speedup >= 10 else 'MISSED'})")
        print(f"      for reference: import+segment / bare with a Doc per document = "
              f"{best('whole', pick) / ours:.2f}")
    print(f"reload from cache gives an identical DataFrame: {all(run['same'] for run in runs)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
