"""``tradecli browse``: the facts full-screen, in a terminal, with Textual.

``model`` says what is shown (kinds, lists, pages, search, the day and the source filter) from
the present and query layers; ``view`` draws it with Rich; ``table`` is the lazy list of a kind,
``screens`` the dialogs and ``app`` the program. Only this package imports Textual, and only the
``browse`` command imports this package, so no other command loads it.
"""
