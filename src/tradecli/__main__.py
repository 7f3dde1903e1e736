"""Start tradecli: the ``tradecli`` command and ``python -m tradecli``."""

import gc


def main() -> None:
    """Run the command line with the cyclic garbage collector off.

    A run lasts a moment and frees what it drops by reference counting; the collector would
    only walk, again and again, the objects that importing Typer, Rich and tradecli creates,
    which costs about a tenth of a run on the bundled data. Loading a large file pauses the
    collector anyway (``store._collector_paused``). Code that imports ``tradecli.cli`` itself,
    such as the tests, keeps the collector on.
    """
    gc.disable()
    from tradecli.cli.entry import main as run

    run()


if __name__ == "__main__":
    main()
