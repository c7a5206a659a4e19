"""Thin launcher: ``python main.py`` is the ``smarketing`` command."""

import sys

from smarketing_desktop.cli import main

if __name__ == "__main__":
    sys.exit(main())
