"""The ``raakvlak media`` command: pictures, links, recordings and sync points.

``raakvlak media`` lists the pictures and recordings; ``media link PICTURE DOCUMENT
[--relation R]`` links a picture to a text about it (the same link twice is kept once); ``media attach DOCUMENT FILE
[--replace]`` names a transcript's recording; ``media sync DOCUMENT POSITION TIME``
sets a sync point (TIME as ``hh:mm:ss[.mmm]`` or milliseconds), ``media unsync
DOCUMENT POSITION`` removes one; ``media times DOCUMENT`` prints when each turn is
heard; ``media regions [QUERY]`` lists region codings of pictures. Pictures themselves
are imported with ``raakvlak import photo.jpg``. :func:`add_arguments` fills the parser,
:func:`run` carries the command out.
"""

from __future__ import annotations

import argparse
from pathlib import Path

# light imports only: `raakvlak --help` builds this parser; the work imports lazily


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the subcommands of ``raakvlak media`` to ``parser``."""
    sub = parser.add_subparsers(dest="media_command", metavar="link|attach|sync|unsync|times|regions")
    link = sub.add_parser("link", help="link a picture to a text document about it")
    link.add_argument("picture")
    link.add_argument("document")
    link.add_argument("--relation", default="", help="e.g. story, reflection")
    attach = sub.add_parser("attach", help="name the recording of a transcript (WAV, MP3, M4A, MP4)")
    attach.add_argument("document")
    attach.add_argument("file", type=Path)
    attach.add_argument("--replace", action="store_true", help="replace the recording it has")
    sync = sub.add_parser("sync", help="code point POSITION of DOCUMENT is heard at TIME")
    sync.add_argument("document")
    sync.add_argument("position", type=int)
    sync.add_argument("time", help="hh:mm:ss[.mmm] or milliseconds")
    unsync = sub.add_parser("unsync", help="remove a sync point")
    unsync.add_argument("document")
    unsync.add_argument("position", type=int)
    times = sub.add_parser("times", help="when each turn of a transcript is heard")
    times.add_argument("document")
    regions = sub.add_parser("regions", help="region codings of pictures a code query finds")
    regions.add_argument("query", nargs="?")
    regions.add_argument("--coders", help="only these coders, comma-separated")


def _milliseconds(value: str) -> int:
    from raakvlak.corpus.recordings import stamp_ms
    from raakvlak.errors import RaakvlakError

    if value.isdigit():
        return int(value)
    found = stamp_ms(value)
    if found is None:
        raise RaakvlakError(f"time {value!r} is neither hh:mm:ss[.mmm] nor milliseconds")
    return found


def link_documents(project, picture: str, document: str, relation: str = "") -> bool:  # noqa: ANN001
    """Record a link between a picture and a text document about it (under the project lock).

    Parameters
    ----------
    project : the :class:`~raakvlak.project.Project`.
    picture : the id of a picture (``corpus/pictures.csv``).
    document : the id of a text document (``corpus/documents.csv``).
    relation : what the text is to the picture (story, reflection ...).

    Returns
    -------
    bool
        True when the link was added; False when the same link was already there (it is
        never written twice).

    Raises
    ------
    CorpusError
        For an unknown picture or text document (naming it), or when the two are linked
        already with another relation.
    """
    from raakvlak.corpus.mediastore import MediaStore
    from raakvlak.errors import CorpusError

    with project.lock("link documents"):
        store = MediaStore(project.root)
        store.picture(picture)
        texts = project.corpus.documents["document_id"]
        if document not in set(texts):
            if document in set(store.pictures()["document_id"]):
                raise CorpusError(f"{document!r} is a picture, not a text document: link a picture "
                                  "to the text about it (raakvlak media link PICTURE DOCUMENT)")
            raise CorpusError(f"unknown text document {document!r}; text documents in "
                              f"corpus/documents.csv: {', '.join(texts) or 'none'}")
        links = store.links()
        same = links[(links["document_id"] == picture) & (links["linked_id"] == document)]
        if len(same):
            had = str(same["relation"].iloc[0])
            if relation and had != relation:
                raise CorpusError(f"{picture!r} is already linked to {document!r} as {had or 'a link without relation'!r}; "
                                  "edit the relation in corpus/links.csv")
            return False
        store.append("links", [{"document_id": picture, "linked_id": document, "relation": relation}])
        return True


def run(args: argparse.Namespace) -> int:
    """Carry out ``raakvlak media`` and its subcommands; returns the exit status."""
    from raakvlak.corpus import recordings
    from raakvlak.corpus.mediastore import MediaStore
    from raakvlak.project import Project

    project = Project.find(args.project) if args.project else Project.find()
    command = args.media_command
    if command == "link":
        added = link_documents(project, args.picture, args.document, args.relation)
        relation = f" ({args.relation})" if args.relation else ""
        print(f"linked {args.picture} to {args.document}{relation}" if added
              else f"{args.picture} was already linked to {args.document}: nothing changed")
    elif command == "attach":
        row = recordings.attach_recording(project, args.document, args.file, replace=args.replace)
        print(f"{args.file.name}: attached to {args.document} as {row['file']} ({row['kind']}, {row['format']})")
    elif command == "sync":
        recordings.set_sync_point(project, args.document, args.position, _milliseconds(args.time))
        print(f"{args.document}: position {args.position} is heard at {args.time}")
    elif command == "unsync":
        found = recordings.remove_sync_point(project, args.document, args.position)
        print(f"{args.document}: sync point at {args.position} " + ("removed" if found else "was not there"))
    elif command == "times":
        print(recordings.turn_times(project, args.document).to_string(index=False))
    elif command == "regions":
        from raakvlak.analysis.pictures import region_table

        coders = args.coders.split(",") if args.coders else None
        print(region_table(project, args.query, coders=coders).to_csv(index=False), end="")
    else:
        store = MediaStore(project.root)
        pictures, recorded = store.pictures(), store.recordings()
        print(f"{len(pictures)} picture(s), {len(store.links())} link(s), {len(recorded)} recording(s), "
              f"{len(store.syncpoints())} sync point(s)")
        links = store.links()
        for row in pictures.itertuples(index=False):
            linked = links[links["document_id"] == row.document_id]
            about = ", ".join(f"{other} ({relation})" if relation else other
                              for other, relation in zip(linked["linked_id"], linked["relation"], strict=True))
            print(f"picture {row.document_id}: {row.width} x {row.height}, {row.file}"
                  + (f"; linked to {about}" if about else ""))
        for row in recorded.itertuples(index=False):
            print(f"recording of {row.document_id}: {row.file} ({row.kind}, private: {row.private})")
    return 0
