"""Loading: read a fact file strictly, validate it, check it, and keep a search index of it.

``read`` refuses malformed bytes and JSON with a precise message, ``schema`` holds the models
derived from the declarations, ``validate`` and ``checks`` find every problem, ``index`` is the
search index in the user's cache, and ``jsonlocate`` places a problem at its line and column.
"""
