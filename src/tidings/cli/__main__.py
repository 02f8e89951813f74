"""`python -m tidings.cli` runs the CLI (the tests use it to avoid PATH assumptions)."""
from tidings.cli import main

main()
