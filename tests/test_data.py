"""The bundled store against its primary source: every sentence covered, every excerpt verbatim."""

from __future__ import annotations

import re

import pytest

from conftest import BUNDLED
from tradecli.facts.fields import Record
from tradecli.load.checks import normalise_quotes
from tradecli.store import load

ARTICLE_ID = "article-carney-beijing"

# Sentences of the article that state no fact of their own, and why.
NO_FACT = {
    "PM Carney Seeks Trade Diversification in Beijing, Aims to Renew China Ties": (
        "headline; the body states each of its claims, and those are stored"
    ),
    "Carney in Beijing to Renew Canada-China Trade Relationship": (
        "sub-headline; the body states each of its claims, and those are stored"
    ),
    "A Strategic Thaw in Frosty Relations": "section heading",
    "Driving Force: Diversifying Trade Beyond the U.S.": "section heading",
    "Addressing Trade Irritants and Building Bridges": "section heading",
}

# A sentence counts as covered when the article's excerpts span this share of its characters.
MIN_SHARE = 0.5

_BOUNDARY = re.compile(r"(?<=[.!?])\s+(?=[\"“]?[A-Z])|(?<=[.!?][\"”])\s+(?=[\"“]?[A-Z])")


def split_sentences(text: str) -> list[str]:
    """Split the article into sentences: one per heading line, and at sentence ends elsewhere."""
    sentences = []
    for paragraph in text.splitlines():
        protected = paragraph.strip().replace("U.S.", "U\x00S\x00")
        for part in _BOUNDARY.split(protected):
            if part.strip():
                sentences.append(part.strip().replace("\x00", "."))
    return sentences


def article_excerpts() -> list[str]:
    """Every verbatim excerpt that cites the primary article, anywhere in the store."""
    store = load(BUNDLED)
    found: list[str] = []

    def walk(value: object) -> None:
        if isinstance(value, list):
            for item in value:
                walk(item)
        elif isinstance(value, Record):
            if getattr(value, "source", None) == ARTICLE_ID and getattr(value, "excerpt", None):
                found.append(value.excerpt)  # type: ignore[attr-defined]
            for field in value.FIELDS:
                walk(getattr(value, field.name))

    walk([item for _collection, item in store.all_facts()])
    return found


def test_splitter_keeps_abbreviations_and_quotes_together() -> None:
    """The splitter does not cut at 'U.S.' and cuts between quoted sentences."""
    text = 'U.S. President Trump spoke. "We met," he said. "It went well."\nA Heading'
    assert split_sentences(text) == [
        "U.S. President Trump spoke.",
        '"We met," he said.',
        '"It went well."',
        "A Heading",
    ]


def test_every_article_excerpt_is_verbatim(article_text: str) -> None:
    """Each excerpt citing the article appears in it exactly, up to whitespace and quote marks."""
    article = normalise_quotes(article_text)
    missing = [e for e in article_excerpts() if normalise_quotes(e) not in article]
    assert missing == []


def test_every_sentence_is_covered_or_explained(article_text: str) -> None:
    """Every sentence is mostly spanned by the article's excerpts, or listed as carrying no fact."""
    article = normalise_quotes(article_text)
    covered = [False] * len(article)
    for excerpt in article_excerpts():
        needle = normalise_quotes(excerpt)
        start = article.find(needle)
        while start != -1:
            covered[start : start + len(needle)] = [True] * len(needle)
            start = article.find(needle, start + 1)
    sentences = split_sentences(article_text)
    assert len(sentences) > 20
    uncovered = []
    for sentence in sentences:
        needle = normalise_quotes(sentence)
        start = article.find(needle)
        assert start != -1, sentence
        share = sum(covered[start : start + len(needle)]) / len(needle)
        if share < MIN_SHARE and sentence not in NO_FACT:
            uncovered.append((round(share, 2), sentence))
    assert uncovered == []


def test_no_fact_list_names_only_real_sentences(article_text: str) -> None:
    """Every sentence excused from coverage exists in the article, so the list cannot go stale."""
    sentences = set(split_sentences(article_text))
    assert set(NO_FACT) <= sentences


@pytest.mark.parametrize(
    ("fact_id", "field", "expected"),
    [
        ("visit-2026", "date", "2026-01-13"),
        ("trudeau-visit-2017", "date", "2017-12-03"),
        ("two-michaels-arrests-2018", "date", "2018-12"),
        ("meeting-xi-scheduled", "status", "scheduled"),
        ("china-canola-tariff-claim", "rate_percent", 100.0),
        ("us-tariffs-on-canada", "rate_percent", None),
        ("stmt-arrests-seen-as-retaliation", "certainty", "widely_seen_as"),
        ("election-interference-allegations", "certainty", "alleged"),
    ],
)
def test_key_facts_keep_precision_and_certainty(fact_id: str, field: str, expected: object) -> None:
    """Dates keep their precision, unknown rates stay null, and claims keep their qualifier."""
    _, fact = load(BUNDLED).by_id[fact_id]
    value = getattr(fact, field)
    shown = str(value) if field == "date" else getattr(value, "value", value)
    assert shown == expected


def test_every_fact_cites_a_source() -> None:
    """Every fact other than a conflict carries evidence that names a source in the store."""
    store = load(BUNDLED)
    sources = {source.id for source in store.items("sources")}
    for collection, fact in store.all_facts():
        if collection in ("sources", "conflicts"):
            continue
        assert fact.evidence, fact.id
        assert {e.source for e in fact.evidence} <= sources, fact.id
