"""Frozen entry point of `nibi` (the command line)."""

import sys

if __name__ == "__main__":
    from nibi_desk.reports import prefetch

    prefetch.freeze_support()  # a report worker started from this executable does its job, not the app
    from nibi_desk.cli.main import main

    sys.exit(main())
