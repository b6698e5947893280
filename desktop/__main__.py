"""``python -m desktop`` runs the agent desktop."""

import sys

from desktop.main import main

sys.exit(main())
