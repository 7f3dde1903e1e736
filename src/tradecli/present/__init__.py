"""Presentation: what each command shows, built from query results.

``listing`` is the shape every format renders (columns, cells and JSON records); ``rows`` builds
each command's listing; ``views`` draws the timeline and the chains of measures for people.
"""
