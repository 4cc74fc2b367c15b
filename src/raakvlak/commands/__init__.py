"""The subcommands of ``raakvlak``, one module per layer; importing this package registers
them all in :data:`~raakvlak.commands.registry.COMMANDS` in the order ``--help`` lists them."""

from raakvlak.commands import project, corpus, coding, analysis, exchange, team  # noqa: F401, I001 (they register)
from raakvlak.commands.registry import COMMANDS, command

__all__ = ["COMMANDS", "command"]
