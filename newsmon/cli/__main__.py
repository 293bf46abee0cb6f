"""``python -m newsmon.cli`` = ``newsmon`` (used to start background runs with this interpreter)."""

import sys

from newsmon.cli.main import main

sys.exit(main())
