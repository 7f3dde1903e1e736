"""Loading: read a fact file strictly, validate it and check it, one way for every reading.

``read`` refuses malformed bytes and JSON with a precise message, ``schema`` holds the models
derived from the declarations, ``validate`` and ``checks`` find every problem and give the
records, and ``jsonlocate`` places a problem at its line and column.
"""
