"""A raakvlak project: a folder with ``raakvlak.toml``, ``corpus/``, ``coding/`` and ``notebooks/``.

The project is the unit a researcher shares (usually as a git repository). The tool
itself is an installed package; the repository root of raakvlak is an example project.

Examples
--------
>>> from raakvlak import Project
>>> project = Project.find(EXAMPLE)
>>> project.name
'Samenwerking onderwijs en jeugdhulp (fictief voorbeeld)'
>>> project.language
'nl'
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from raakvlak.errors import CodingError, ProjectError
from raakvlak.files import atomic_write_text
from raakvlak.ids import CONSENSUS_CODER, LANGUAGES, is_slug

if TYPE_CHECKING:
    from raakvlak.coding.codebook import Codebook
    from raakvlak.coding.log import CodingLog, LogProblem
    from raakvlak.coding.state import CodingState
    from raakvlak.corpus.corpus import Corpus
    from raakvlak.locks import ProjectLock

SETTINGS_FILE = "raakvlak.toml"

DEFAULT_FILLERS = {
    "nl": ["uh", "uhm", "eh", "ehm", "hm", "hmm", "nou", "ja", "nee", "echt", "eigenlijk",
           "gewoon", "precies", "oké", "oke", "zeg", "maar", "dus", "toch", "even", "wel"],
    "en": ["uh", "um", "erm", "hmm", "yeah", "yes", "no", "okay", "ok", "like", "well",
           "right", "so", "just", "actually", "really"],
}


@dataclass(frozen=True)
class Settings:
    """The contents of ``raakvlak.toml``.

    Attributes
    ----------
    name : project name shown in notebooks and reports.
    language : ``"nl"`` or ``"en"``: the default language of new documents.
    coders : the coder ids of the project (slugs); logs of other coders still load.
    reliable, tentative : agreement thresholds (Krippendorff 2004: .800 and .667).
    stopwords : project stop list added to the language's stop words (fillers).
    max_import_bytes : files larger than this are refused at import.
    pseudonymise : pseudonymise at import (on unless the project turns it off).
    """

    name: str
    language: str = "nl"
    coders: tuple[str, ...] = ()
    reliable: float = 0.800
    tentative: float = 0.667
    stopwords: tuple[str, ...] = ()
    max_import_bytes: int = 50_000_000
    pseudonymise: bool = True
    extra: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def read(cls, path: Path) -> Settings:
        """Read and check ``raakvlak.toml``; errors name the file and the key."""
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError) as exc:
            raise ProjectError(f"{path}: cannot read the project settings ({exc})") from exc
        except tomllib.TOMLDecodeError as exc:
            raise ProjectError(f"{path}: not valid TOML: {exc}") from exc
        section = data.get("project", {})
        name = section.get("name")
        if not isinstance(name, str) or not name.strip():
            raise ProjectError(f"{path}: [project] needs a name, e.g. name = \"My study\"")
        language = section.get("language", "nl")
        if language not in LANGUAGES:
            raise ProjectError(
                f"{path}: [project] language must be one of {', '.join(LANGUAGES)}, not {language!r}"
            )
        coders = section.get("coders", [])
        bad = [c for c in coders if not isinstance(c, str) or not is_slug(c)]
        if bad:
            raise ProjectError(
                f"{path}: [project] coders must be slugs (a-z, 0-9, - and _): {bad}"
            )
        agreement = data.get("agreement", {})
        reliable = float(agreement.get("reliable", 0.800))
        tentative = float(agreement.get("tentative", 0.667))
        if not -1 <= tentative <= reliable <= 1:
            raise ProjectError(
                f"{path}: [agreement] needs -1 <= tentative <= reliable <= 1 "
                f"(got tentative={tentative}, reliable={reliable})"
            )
        importing = data.get("import", {})
        words = data.get("stopwords", {}).get("extra", DEFAULT_FILLERS[language])
        return cls(
            name=name.strip(),
            language=language,
            coders=tuple(coders),
            reliable=reliable,
            tentative=tentative,
            stopwords=tuple(str(w).lower() for w in words),
            max_import_bytes=int(importing.get("max_bytes", 50_000_000)),
            pseudonymise=bool(importing.get("pseudonymise", True)),
            extra={k: v for k, v in data.items()
                   if k not in {"project", "agreement", "import", "stopwords"}},
        )


def settings_template(name: str, language: str, coders: list[str] | None = None) -> str:
    """The text of a new ``raakvlak.toml`` (written with a TOML library, comments kept).

    Examples
    --------
    >>> text = settings_template('Studie "Noord"', "nl", ["anna"])
    >>> tomllib.loads(text)["project"]
    {'name': 'Studie "Noord"', 'language': 'nl', 'coders': ['anna']}
    """
    import tomlkit

    document = tomlkit.document()
    document.add(tomlkit.comment("A raakvlak project. Documentation: README.md of raakvlak."))
    project = tomlkit.table()
    project["name"] = name
    project["language"] = language
    project["language"].comment("nl or en: the default for new documents")
    project["coders"] = list(coders or [])
    agreement = tomlkit.table()
    agreement["reliable"] = 0.8
    agreement["reliable"].comment("Krippendorff: alpha >= .800 supports conclusions")
    agreement["tentative"] = 0.667
    agreement["tentative"].comment("lowest alpha for tentative conclusions")
    importing = tomlkit.table()
    importing["pseudonymise"] = True
    importing["max_bytes"] = 50_000_000
    stopwords = tomlkit.table()
    stopwords.add(tomlkit.comment("fillers and words the word counts and themes should ignore"))
    stopwords["extra"] = list(DEFAULT_FILLERS[language])
    for key, table in (("project", project), ("agreement", agreement), ("import", importing),
                       ("stopwords", stopwords)):
        document[key] = table
    return tomlkit.dumps(document)


GITIGNORE = """\
# raw originals and the pseudonym key stay on this machine
private/
# derived data, recomputed from corpus/
.raakvlak/
.ipynb_checkpoints/
"""


class Project:
    """A raakvlak project folder.

    Parameters
    ----------
    root : the folder holding ``raakvlak.toml``.

    Use :meth:`find` to locate the project from any folder inside it and
    :meth:`init` to create a new one.
    """

    def __init__(self, root: str | Path):
        self.root = Path(root).resolve()
        settings_path = self.root / SETTINGS_FILE
        if not settings_path.is_file():
            raise ProjectError(
                f"{self.root}: not a raakvlak project (no {SETTINGS_FILE}); "
                "run `raakvlak init DIR` to make one"
            )
        self.settings = Settings.read(settings_path)

    def __repr__(self) -> str:
        return f"Project({self.name!r})"

    # ------------------------------------------------------------------ finding
    @classmethod
    def find(cls, start: str | Path | None = None) -> Project:
        """The project containing ``start`` (default: the current folder).

        Walks up from ``start`` until a folder with ``raakvlak.toml`` is found.
        """
        here = Path(start or Path.cwd()).resolve()
        for folder in (here, *here.parents):
            if (folder / SETTINGS_FILE).is_file():
                return cls(folder)
        raise ProjectError(
            f"no raakvlak project at or above {here}; "
            "pass --project DIR or run `raakvlak init DIR`"
        )

    @classmethod
    def init(
        cls,
        root: str | Path,
        name: str | None = None,
        language: str = "nl",
        coders: list[str] | None = None,
    ) -> Project:
        """Create an empty project in ``root`` and return it.

        Refuses a folder that already holds a project, so nothing is overwritten.
        """
        root = Path(root)
        if (root / SETTINGS_FILE).exists():
            raise ProjectError(f"{root}: already a raakvlak project; nothing was changed")
        if language not in LANGUAGES:
            raise ProjectError(f"language must be one of {', '.join(LANGUAGES)}, not {language!r}")
        for sub in ("corpus", "coding/logs", "notebooks", "private"):
            (root / sub).mkdir(parents=True, exist_ok=True)
        from raakvlak.corpus.store import CorpusStore

        CorpusStore(root / "corpus").write_empty()
        codebook = root / "coding" / "codebook.yaml"
        if not codebook.exists():
            atomic_write_text(codebook, "# The codebook: see `raakvlak codebook --help`.\ncodes: []\n")
        gitignore = root / ".gitignore"
        if not gitignore.exists():
            atomic_write_text(gitignore, GITIGNORE)
        from raakvlak.private import ignore_private

        ignore_private(root)  # a .gitignore of its own may lack it
        atomic_write_text(
            root / SETTINGS_FILE, settings_template(name or root.resolve().name, language, coders)
        )
        return cls(root)

    # ------------------------------------------------------------------ settings
    @property
    def name(self) -> str:
        """The project's name from ``raakvlak.toml``."""
        return self.settings.name

    @property
    def language(self) -> str:
        """The project's default language (``nl`` or ``en``)."""
        return self.settings.language

    # ------------------------------------------------------------------ paths
    @property
    def corpus_dir(self) -> Path:
        return self.root / "corpus"

    @property
    def coding_dir(self) -> Path:
        return self.root / "coding"

    @property
    def logs_dir(self) -> Path:
        return self.root / "coding" / "logs"

    @property
    def codebook_path(self) -> Path:
        return self.root / "coding" / "codebook.yaml"

    @property
    def notebooks_dir(self) -> Path:
        return self.root / "notebooks"

    @property
    def private_dir(self) -> Path:
        return self.root / "private"

    @property
    def cache_dir(self) -> Path:
        return self.root / ".raakvlak"

    # ------------------------------------------------------------------ parts
    @cached_property
    def corpus(self) -> Corpus:
        """The project's :class:`~raakvlak.corpus.Corpus`."""
        from raakvlak.corpus.corpus import Corpus

        return Corpus(self)

    @property
    def codebook(self) -> Codebook:
        """The codebook as it is on disk now, read tolerantly: what could not be read is in
        its ``problems`` (file, line, code, message), so a broken codebook never blocks
        reading the logs. Read again only when the file changed."""
        from raakvlak.coding.codebook import Codebook

        path = self.codebook_path
        try:
            stat = path.stat()
            stamp: tuple[int, int] | None = (stat.st_mtime_ns, stat.st_size)
        except OSError:
            stamp = None
        cached = self.__dict__.get("_codebook")
        if cached is None or stamp is None or cached[0] != stamp:
            self.__dict__["_codebook"] = (stamp, Codebook.read(path)[0])
        return self.__dict__["_codebook"][1]

    def coding_state(self, merged: bool = False) -> tuple[CodingState, list[LogProblem]]:
        """Every coder's log in ``coding/logs/`` folded into the current state (codings,
        memos, history; see :mod:`raakvlak.coding.state`), and the lines that were
        skipped. ``merged``: codings on a code merged away in the codebook count for
        the code it was merged into."""
        from raakvlak.coding.state import load_state

        if not merged:
            return load_state(self.logs_dir)
        codebook = self.codebook
        return load_state(self.logs_dir, resolve=lambda code: codebook.resolve(code) if code in codebook else code)

    def log(self, coder: str) -> CodingLog:
        """The append-only log of ``coder`` (``coding/logs/<coder>.jsonl``)."""
        from raakvlak.coding.log import CodingLog

        return CodingLog.in_folder(self.logs_dir, coder)

    def check_coder(self, coder: str, new: bool = False) -> str:
        """``coder`` when it may code in this project; raises :class:`CodingError` if not.

        A coder must be a slug. When ``raakvlak.toml`` lists the project's coders, a coder
        not in the list is refused (a typo would start a new coder's log) unless ``new``,
        which adds the coder to the list; the consensus coder is always allowed.
        """
        if not is_slug(coder):
            raise CodingError(f"coder id {coder!r} must be a slug (a-z, 0-9, - and _, not a "
                               "device name such as 'con'), e.g. 'anna'")
        known = self.settings.coders
        if not known or coder in known or coder == CONSENSUS_CODER:
            return coder
        if not new:
            raise CodingError(
                f"{coder!r} is not a coder of this project ({self.root / SETTINGS_FILE} lists "
                f"{', '.join(known)}); check the spelling, or add the coder on purpose "
                "(--new-coder, or new_coder=True)")
        return self.add_coder(coder)

    def add_coder(self, coder: str) -> str:
        """Add ``coder`` to the coders ``raakvlak.toml`` lists (a new team member) and return it.

        Read, added and written back as one change under the project lock; a coder
        already listed is left as it is. Once the list holds a coder, coders not in it
        are refused (see :meth:`check_coder`).
        """
        if not is_slug(coder):
            raise CodingError(f"coder id {coder!r} must be a slug (a-z, 0-9, - and _, not a "
                               "device name such as 'con'), e.g. 'anna'")
        with self.lock("add a coder"):  # read, add and write back as one change
            import tomlkit

            path = self.root / SETTINGS_FILE
            document = tomlkit.parse(path.read_text(encoding="utf-8"))
            coders = document.setdefault("project", tomlkit.table()).setdefault("coders", [])
            if coder not in coders:
                coders.append(coder)
            atomic_write_text(path, tomlkit.dumps(document))
            self.settings = Settings.read(path)
        return coder

    def lock(self, action: str, wait: float | None = None) -> ProjectLock:
        """The write lock of this project's shared files, for a ``with`` block.

        Every change of ``corpus/`` (texts and tables), the pseudonym key, the codebook
        or the settings holds it, so two people (or two kernels) never write over each
        other's changes; see :mod:`raakvlak.locks`.
        """
        from raakvlak.locks import DEFAULT_WAIT, ProjectLock

        return ProjectLock(self.root, action, DEFAULT_WAIT if wait is None else wait)
