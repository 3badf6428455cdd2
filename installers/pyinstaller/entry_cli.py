"""Frozen entry point of `nibi` (the command line)."""

import sys

if __name__ == "__main__":
    from nibi_desk.cli.main import main

    sys.exit(main())
