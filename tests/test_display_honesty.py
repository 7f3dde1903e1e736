"""What the views say is what the sources say: a missing rate is not given, but a ban has
none; an inferred day is marked; a quote is quoted once; a link to a claim or the editors'
reading says so; a conflict's sides show what is disputed, as of the claim's date."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from tradecli import cli


def evidence(source: str, text: str = "As the source says.") -> list[dict[str, str]]:
    """One paraphrase from a source."""
    return [{"source": source, "paraphrase": text}]


def country(place_id: str) -> dict[str, Any]:
    """A country, from the paper."""
    return {
        "id": place_id,
        "name": place_id.title(),
        "kind": "country",
        "evidence": evidence("paper"),
    }


def measure(measure_id: str, **fields: Any) -> dict[str, Any]:
    """A measure of China on Canada, from the paper unless told."""
    return {
        "id": measure_id,
        "title": measure_id.replace("-", " "),
        "kind": "tariff",
        "imposed_by": "china",
        "target": "canada",
        "products": ["canola"],
        "status": "in_force",
        "evidence": evidence("paper"),
        **fields,
    }


FACTS: dict[str, Any] = {
    "format_version": 1,
    "sources": [
        {
            "id": "paper",
            "title": "A paper's story",
            "outlet": "The Globe and Mail",
            "publisher": "news",
            "kind": "news_report",
            "published": "2026-01-16",
        },
        {
            "id": "page",
            "title": "A page that quotes a post",
            "outlet": "Polar Herald",
            "publisher": "news",
            "kind": "news_report",
            "published": "2026-01-16",
        },
    ],
    "people": [
        {
            "id": "carney",
            "name": "Mark Carney",
            "roles": [{"title": "Prime Minister"}],
            "evidence": evidence("paper"),
        }
    ],
    "places": [country("china"), country("canada")],
    "events": [
        {
            "id": "talks",
            "category": "meeting",
            "title": "Talks",
            "date": "2026-01-15",
            "date_basis": "inferred",
            "participants": ["carney"],
            "evidence": evidence("paper"),
        }
    ],
    "tariffs": [
        measure("no-rate-given", in_force="2025-03-20"),
        measure("a-ban", kind="import_ban", status="lifted", in_force="2026-01-10"),
        measure(
            "a-duty",
            kind="anti_dumping_duty",
            lifecycle=[
                {
                    "status": "in_force",
                    "date": "2025-08-14",
                    "rate_percent": 75.8,
                    "evidence": evidence("paper"),
                },
                {
                    "status": "in_force",
                    "date": "2026-03-01",
                    "rate_percent": 5.9,
                    "evidence": evidence("paper"),
                },
            ],
        ),
        measure(
            "the-claim",
            rate_percent=100,
            certainty="claimed",
            responds_to=["no-rate-given"],
            evidence=evidence("page"),
        ),
        measure(
            "a-response",
            rate_percent=25,
            in_force="2025-03-20",
            responds_to=["no-rate-given"],
            responds_to_basis="The editors' reading, from the timing.",
        ),
    ],
    "quotes": [
        {
            "id": "post",
            "speaker": "carney",
            "text": "We focused on trade.",
            "channel": "social_media",
            "date": "2026-01-15",
            "date_basis": "inferred",
            "evidence": [{"source": "page", "excerpt": '"We focused on trade."'}],
        }
    ],
    "conflicts": [
        {
            "id": "how-much",
            "topic": "How much China charges on canola",
            "claims": ["the-claim", "a-duty"],
            "disputes": "rate",
        },
        {
            "id": "since-when",
            "topic": "When the duty began",
            "claims": ["the-claim", "a-duty"],
            "disputes": "date",
        },
    ],
}


@pytest.fixture
def facts(tmp_path: Path) -> Path:
    """The fact file above, written out."""
    path = tmp_path / "facts.json"
    path.write_text(json.dumps(FACTS), encoding="utf-8")
    return path


def run(runner: CliRunner, facts: Path, *args: str) -> str:
    """A command's stdout; it must succeed."""
    result = runner.invoke(cli.app, ["--data", str(facts), *args])
    assert result.exit_code == 0, result.output
    return result.stdout


def test_a_rate_left_out_is_not_given_but_a_ban_has_none(runner: CliRunner, facts: Path) -> None:
    """RATE: "not given" where a source leaves it out, "no rate" for a ban."""
    rows = {
        line.split("\t")[0]: line.split("\t") for line in run(runner, facts, "tariffs").splitlines()
    }
    assert rows["no-rate-given"][3] == "not given"
    assert rows["a-ban"][3] == "no rate"


def test_an_inferred_day_is_marked_in_every_listing(runner: CliRunner, facts: Path) -> None:
    """meetings, quote and timeline mark a day worked out, not given."""
    meeting = run(runner, facts, "meetings").splitlines()[0].split("\t")
    assert meeting[1] == "2026-01-15 (inferred)"
    quote = run(runner, facts, "quote", "carney").splitlines()[0].split("\t")
    assert quote[1] == "2026-01-15 (inferred)"
    timeline = run(runner, facts, "timeline", "--since", "2026-01-15", "--until", "2026-01-15")
    assert any("Talks" in line and "date inferred" in line for line in timeline.splitlines())


def test_a_quote_is_quoted_once(runner: CliRunner, facts: Path) -> None:
    """An excerpt already in quote marks is not wrapped in more."""
    shown = run(runner, facts, "show", "post")
    assert '“"We focused' not in shown
    assert '"We focused on trade." — Polar Herald' in shown
    assert "“We focused on trade.”" in run(runner, facts, "quote", "carney")


def test_links_to_a_claim_and_the_editors_reading_say_so(runner: CliRunner, facts: Path) -> None:
    """show marks a link to a claimed fact, and a response that is the editors' reading, on
    both ends."""
    lines = run(runner, facts, "show", "no-rate-given").splitlines()
    answered = [line for line in lines if "answered by" in line]
    assert any("(the-claim) (claimed)" in line for line in answered), answered
    assert any("(a-response) (the editors' reading)" in line for line in answered), answered
    outgoing = run(runner, facts, "show", "a-response")
    assert "→ responds to: no rate given (no-rate-given) (the editors' reading)" in outgoing


def test_conflict_sides_show_what_is_disputed(runner: CliRunner, facts: Path) -> None:
    """A rate dispute gives each measure as it stood when the first claim was made (75.8%
    then, not today's 5.9%); a date dispute gives each measure's dates."""
    how_much = run(runner, facts, "show", "how-much")
    assert "a duty: 75.8% in force on 2026-01-16 (a-duty)" in how_much
    assert "the claim: 100% in force (claimed) on 2026-01-16 (the-claim)" in how_much
    since_when = run(runner, facts, "show", "since-when")
    assert "a duty: in force 2025-08-14 (a-duty)" in since_when
