"""`python -m service`: the command line (see service.cli)."""

from .cli import main

raise SystemExit(main())
