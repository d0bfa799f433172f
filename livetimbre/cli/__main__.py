"""`python -m livetimbre.cli`: the `livetimbre` command."""

import sys

from livetimbre.cli import main

sys.exit(main())
