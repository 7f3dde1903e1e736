"""Run tradecli as ``python -m tradecli``."""

from tradecli.cli import main

main()
