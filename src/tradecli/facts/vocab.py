"""The closed vocabularies of a fact file: kinds, statuses, certainties, channels.

Each word is stored as its value (``in_force``) and shown to people as its label ("in force").
"""

from __future__ import annotations

from enum import StrEnum

# Labels that are not the value with spaces for underscores.
_LABELS = {
    "state_owned": "state-owned",
    "widely_seen_as": "widely seen as",
    "anti_dumping_duty": "anti-dumping duty",
    "anti_discrimination_tariff": "anti-discrimination tariff",
    "tariff_rate_quota": "tariff-rate quota",
    "official": "government or official body",
    "wire": "wire service",
    "news": "newspaper or broadcaster",
    "blog": "blog or aggregator",
    "association": "company or association",
    "question": "open question",
    "inferred": "inferred from the source",
    "announced": "as announced beforehand",
}


class Vocab(StrEnum):
    """A word of a closed vocabulary."""

    @property
    def label(self) -> str:
        """The word as people read it: "in force" for ``in_force``."""
        return _LABELS.get(self.value) or self.value.replace("_", " ")


class SourceKind(Vocab):
    """What kind of document a source is."""

    NEWS_REPORT = "news_report"
    OFFICIAL_RELEASE = "official_release"
    SPEECH = "speech"
    READOUT = "readout"
    SOCIAL_MEDIA_POST = "social_media_post"
    INDUSTRY_REPORT = "industry_report"
    LEGAL_ANALYSIS = "legal_analysis"
    TRADE_NEWS = "trade_news"
    BLOG = "blog"


class PublisherKind(Vocab):
    """What kind of publisher an outlet is: what its word weighs for a fact."""

    OFFICIAL = "official"
    WIRE = "wire"
    NEWS = "news"
    TRADE_PRESS = "trade_press"
    BLOG = "blog"
    ASSOCIATION = "association"


class Certainty(Vocab):
    """How a source qualifies a fact."""

    STATED = "stated"
    REPORTED = "reported"
    CLAIMED = "claimed"
    ALLEGED = "alleged"
    WIDELY_SEEN_AS = "widely_seen_as"
    SCHEDULED = "scheduled"
    EXPECTED = "expected"


class OrganisationKind(Vocab):
    """What kind of body an organisation is."""

    COMPANY = "company"
    STATE_BODY = "state_body"
    GOVERNMENT = "government"
    INTERNATIONAL = "international"
    MEDIA = "media"
    INDUSTRY_ASSOCIATION = "industry_association"


class Ownership(Vocab):
    """Who owns an organisation, where a source says."""

    STATE_OWNED = "state_owned"
    PRIVATE = "private"
    PUBLIC = "public"


class PlaceKind(Vocab):
    """What kind of place a place is."""

    COUNTRY = "country"
    PROVINCE = "province"
    CITY = "city"
    BUILDING = "building"
    REGION = "region"


class EventCategory(Vocab):
    """What kind of event it is: the visit, a meeting, a ceremony, a consultation, or background."""

    VISIT = "visit"
    MEETING = "meeting"
    CEREMONY = "ceremony"
    CONSULTATION = "consultation"
    BACKGROUND = "background"


class DateBasis(Vocab):
    """How a fact's date is known, where a source does not simply give it."""

    INFERRED = "inferred"
    ANNOUNCED = "announced"


class EventStatus(Vocab):
    """Whether an event took place: a meeting is held, an arrest happened, a trade war goes on."""

    HELD = "held"
    SCHEDULED = "scheduled"
    CANCELLED = "cancelled"
    HAPPENED = "happened"
    ONGOING = "ongoing"


class Disputed(Vocab):
    """What sources disagree about: a date, a rate or figure, a status, a cause, or who did it."""

    DATE = "date"
    RATE = "rate"
    FIGURE = "figure"
    STATUS = "status"
    CAUSE = "cause"
    ATTRIBUTION = "attribution"


class Weekday(Vocab):
    """A weekday as a source writes it."""

    MONDAY = "Monday"
    TUESDAY = "Tuesday"
    WEDNESDAY = "Wednesday"
    THURSDAY = "Thursday"
    FRIDAY = "Friday"
    SATURDAY = "Saturday"
    SUNDAY = "Sunday"


class MeasureKind(Vocab):
    """What kind of trade measure a tariff entry is."""

    TARIFF = "tariff"
    SURTAX = "surtax"
    ANTI_DUMPING_DUTY = "anti_dumping_duty"
    ANTI_DISCRIMINATION_TARIFF = "anti_discrimination_tariff"
    TARIFF_RATE_QUOTA = "tariff_rate_quota"
    INVESTIGATION = "investigation"
    IMPORT_BAN = "import_ban"
    VISA_POLICY = "visa_policy"


class MeasureStatus(Vocab):
    """Where a measure stands in its lifecycle."""

    ANNOUNCED = "announced"
    IN_FORCE = "in_force"
    CHANGED = "changed"
    EXPECTED = "expected"
    LIFTED = "lifted"
    OPENED = "opened"
    EXTENDED = "extended"
    CONCLUDED = "concluded"
    SUSPENDED = "suspended"
    THREATENED = "threatened"


class Channel(Vocab):
    """How words reached the public."""

    IN_PERSON = "in_person"
    SOCIAL_MEDIA = "social_media"
    READOUT = "readout"
    REMARKS = "remarks"


class StatementKind(Vocab):
    """What a statement asserts."""

    FIGURE = "figure"
    RANKING = "ranking"
    GOAL = "goal"
    CHARACTERISATION = "characterisation"
    AGREEMENT = "agreement"
    EXPECTATION = "expectation"
    REACTION = "reaction"
    CONTEXT = "context"
    QUESTION = "question"
