"""`python -m incidentkit` runs the CLI."""

from incidentkit.cli import main

main()
