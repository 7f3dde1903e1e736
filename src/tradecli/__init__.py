"""tradecli: explore the facts of Canada-China trade relations, with the source of every fact."""

__version__ = "0.1.0"
