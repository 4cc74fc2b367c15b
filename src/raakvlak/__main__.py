"""``python -m raakvlak`` runs the ``raakvlak`` command."""

import sys

from raakvlak.cli import main

sys.exit(main())
