"""Run the `okla` command: python -m okla."""

from okla.cli import main

raise SystemExit(main())
