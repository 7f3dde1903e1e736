"""The facts: every kind of fact a store holds, declared once (start reading at ``kinds.py``).

``vocab`` holds the closed vocabularies, ``dates`` dates that keep their precision, ``fields``
how a kind is declared, and ``kinds`` the declarations themselves. Every other layer derives
what it needs from them: validation, the JSON Schema, checks, the search index, exports, views.
"""
