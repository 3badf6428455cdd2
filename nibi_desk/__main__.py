"""`python -m nibi_desk` runs the command line."""

import sys

from nibi_desk.cli.main import main

sys.exit(main())
