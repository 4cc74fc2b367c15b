"""The ``raakvlak media`` command: pictures, links, recordings and sync points.

``raakvlak media`` lists the pictures and recordings; ``media link PICTURE DOCUMENT
[--relation R]`` links a picture to a text about it; ``media attach DOCUMENT FILE
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


def link_documents(project, picture: str, document: str, relation: str = "") -> None:  # noqa: ANN001
    """Record a link between a picture and a text document (under the project lock)."""
    from raakvlak.corpus.mediastore import MediaStore
    from raakvlak.errors import CorpusError

    with project.lock("link documents"):
        store = MediaStore(project.root)
        store.picture(picture)
        project.corpus.document(document)
        links = store.links()
        if ((links["document_id"] == picture) & (links["linked_id"] == document)).any():
            raise CorpusError(f"{picture!r} is already linked to {document!r}")
        store.append("links", [{"document_id": picture, "linked_id": document, "relation": relation}])


def run(args: argparse.Namespace) -> int:
    """Carry out ``raakvlak media`` and its subcommands; returns the exit status."""
    from raakvlak.corpus import recordings
    from raakvlak.corpus.mediastore import MediaStore
    from raakvlak.project import Project

    project = Project.find(args.project) if args.project else Project.find()
    command = args.media_command
    if command == "link":
        link_documents(project, args.picture, args.document, args.relation)
        print(f"linked {args.picture} to {args.document}")
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
        for row in pictures.itertuples(index=False):
            print(f"picture {row.document_id}: {row.width} x {row.height}, {row.file}")
        for row in recorded.itertuples(index=False):
            print(f"recording of {row.document_id}: {row.file} ({row.kind}, private: {row.private})")
    return 0
