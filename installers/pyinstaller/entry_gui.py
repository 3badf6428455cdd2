"""Frozen entry point of `nibi-desk` (the window); `nibi-desk --smoke OUTDIR` runs the self-test instead."""

import sys

if __name__ == "__main__":
    from nibi_desk.reports import prefetch

    prefetch.freeze_support()  # a report worker started from this executable does its job, not the app
    if len(sys.argv) > 1 and sys.argv[1] == "--smoke":
        from nibi_desk.gui.smoke import main

        sys.exit(main(sys.argv[2:]))
    from nibi_desk.gui.app import main

    sys.exit(main())
