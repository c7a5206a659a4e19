"""``python -m smarketing_desktop`` is the ``smarketing`` command."""

import sys

from smarketing_desktop.cli import main

sys.exit(main())
