"""Write a valid, realistic tradecli fact file of any size, for benchmarks.

    python benchmarks/generate.py 100000 benchmarks/out/big.json
    python benchmarks/generate.py 300 /tmp/small.json --seed 7

The same N and seed always give the same bytes. The mix of facts follows the bundled file: sources,
people, organisations and places that cite them; visits, meetings with participants and background
events; tariffs with dated lifecycles that respond to one another; verbatim quotes inside their
excerpts; statements and a few conflicts. Every reference points backwards (to a fact made earlier),
so one pass builds a file that passes ``tradecli validate``.

It needs tradecli importable (installed, or ``src`` on ``PYTHONPATH``): names are checked for
clashes with tradecli's own rule, and collections come in tradecli's order.
"""

from __future__ import annotations

import argparse
import itertools
import json
import re
import sys
import time
import unicodedata
from collections.abc import Callable, Sequence
from datetime import date, timedelta
from pathlib import Path
from random import Random
from typing import Any, TextIO, TypeVar

from tradecli.facts.kinds import COLLECTIONS
from tradecli.words import normalise_name

DEFAULT_SEED = 20260115
MIN_FACTS = 30

Fact = dict[str, Any]
T = TypeVar("T")


def _words(text: str) -> tuple[str, ...]:
    """The whitespace-separated words of a word list."""
    return tuple(text.split())


def _items(text: str) -> tuple[str, ...]:
    """The items of a list written with '|' between them."""
    return tuple(" ".join(item.split()) for item in text.split("|"))


# Each collection's share of the facts; the bundled file has about these proportions.
MIX = {
    "sources": 0.08,
    "people": 0.07,
    "organisations": 0.06,
    "places": 0.04,
    "events": 0.16,
    "tariffs": 0.12,
    "quotes": 0.14,
    "statements": 0.31,
    "conflicts": 0.02,
}
MINIMUM = {
    "sources": 2,
    "people": 3,
    "organisations": 2,
    "places": 6,
    "events": 4,
    "tariffs": 2,
    "quotes": 1,
    "statements": 3,
    "conflicts": 1,
}

FIRST_DAY = date(2017, 1, 1)
LAST_DAY = date(2026, 12, 31)
TODAY = date(2026, 1, 16)

# Vocabulary ------------------------------------------------------------------------------------

# (product, weight): canola leads, as it does in Canada-China trade news.
PRODUCTS: tuple[tuple[str, int], ...] = (
    ("canola seed", 9),
    ("canola oil", 6),
    ("canola meal", 5),
    ("electric vehicles", 7),
    ("EVs", 3),
    ("steel", 6),
    ("aluminum", 4),
    ("pork", 5),
    ("dried peas", 3),
    ("lobster", 2),
    ("crab", 2),
    ("aquatic products", 2),
    ("beef", 2),
    ("wheat", 2),
    ("soybeans", 2),
    ("lithium-ion batteries", 3),
    ("solar panels", 2),
    ("critical minerals", 3),
    ("potash", 2),
    ("softwood lumber", 2),
    ("uranium", 1),
    ("liquefied natural gas", 2),
    ("polysilicon", 1),
    ("semiconductors", 2),
    ("ginseng", 1),
    ("maple syrup", 1),
    ("barley", 1),
)
PRODUCT_NAMES = tuple(name for name, _ in PRODUCTS)
PRODUCT_CUMULATIVE = tuple(itertools.accumulate(weight for _, weight in PRODUCTS))

CANADIAN_FIRST = _words(
    """
    Mark Mélanie Chrystia François-Philippe Dominic Anita Pierre Jagmeet Danielle Scott Wab
    David Sarah Catherine Geneviève Jean Marie Robert Elizabeth Michael Jennifer Andrew Karina
    Omar Harjit Mary Steven Rachel Gurpreet Amrit Louis Chloé Étienne Hélène Zoë Nathalie
    Patrick Heather Colin Fiona Raj Priya Kevin Laura Ian
    """
)
CANADIAN_LAST = _words(
    """
    Carney Joly Champagne LeBlanc Anand Moe Tremblay Gagnon Roy Côté Bouchard Gauthier Morin
    Lavoie Fortin Ouellet Pelletier Bélanger Lévesque Bergeron Girard Simard Boucher Caron
    Beaulieu Cloutier Dubé Poirier Fournier Lapointe Leclerc Lefebvre Thibault Nadeau Martin
    Landry Bédard Hébert Desjardins Smith Brown Wilson MacDonald Campbell Anderson Taylor
    Singh Sidhu Patel Nguyen Kowalski Schmidt Fraser McKenzie O'Brien Chan Wong Dhillon Murray
    Stewart
    """
)
CHINESE_SURNAMES = _words(
    """
    Wang Li Zhang Liu Chen Yang Huang Zhao Wu Zhou Xu Sun Ma Zhu Hu Guo He Lin Gao Luo Zheng
    Liang Xie Song Tang Han Feng Deng Cao Peng Zeng Xiao Tian Dong Pan Yuan Cai Jiang Yu Du
    """
)
CHINESE_GIVEN = _words(
    """
    Wei Fang Jing Qiang Lei Min Yan Jun Tao Hui Xiaoming Jianguo Haiyan Leji Yi Wentao Ning
    Lijun Xiaodong Yong Bo Hua Ying Gang Ping Xin Yuqing Zhiwei Chunhua Guoqiang Hong Kun Lan
    Mei Peng Rui Shan Ting Xue Zhen
    """
)
# Pinyin with tone marks: an alias that must be accepted as the same name as the plain form.
TONES = {
    "Wang": "Wáng",
    "Li": "Lǐ",
    "Zhang": "Zhāng",
    "Liu": "Liú",
    "Chen": "Chén",
    "Zhao": "Zhào",
    "Huang": "Huáng",
    "Qiang": "Qiáng",
    "Wei": "Wěi",
    "Jing": "Jīng",
    "Min": "Mǐn",
    "Hui": "Huì",
    "Leji": "Lèjì",
    "Yi": "Yì",
    "Ning": "Níng",
    "Xu": "Xú",
    "Guo": "Guō",
    "Lin": "Lín",
}
US_NAMES = (
    ("Donald", "Trump"),
    ("Jamieson", "Greer"),
    ("Howard", "Lutnick"),
    ("Scott", "Bessent"),
    ("Marco", "Rubio"),
    ("Katherine", "Tai"),
    ("Gina", "Raimondo"),
    ("Janet", "Yellen"),
)

PERSON_TITLES = (
    ("Minister of International Trade", "canada"),
    ("Minister of Foreign Affairs", "canada"),
    ("Minister of Agriculture and Agri-Food", "canada"),
    ("Ambassador of Canada to China", "canada"),
    ("Member of Parliament", "canada"),
    ("Senator", "canada"),
    ("Premier", "canada"),
    ("Trade Commissioner", "canada"),
    ("Minister of Commerce", "china"),
    ("Vice-Minister of Commerce", "china"),
    ("Spokesperson of the Ministry of Foreign Affairs", "china"),
    ("Ambassador of China to Canada", "china"),
    ("Vice-Premier", "china"),
    ("Party Secretary", "china"),
    ("Chief Executive Officer", None),
    ("Chair of the Board", None),
    ("Chief Economist", None),
    ("President", None),
    ("Director of Trade Policy", None),
)
SHORT_TITLES = ("Minister", "Ambassador", "Premier", "Senator", "Spokesperson", "Chair", "Dr.")
RANKS = (
    "second-highest-ranking official in China",
    "third-highest-ranking official in China",
    "most senior trade negotiator",
    "lead negotiator on agriculture",
)

# Places: (name, kind, within, aliases). Countries come first: every later place is within one.
REAL_PLACES: tuple[tuple[str, str, str | None, tuple[str, ...]], ...] = (
    ("Canada", "country", None, ()),
    ("China", "country", None, ("People's Republic of China", "PRC", "中国")),
    ("United States", "country", None, ("U.S.", "USA", "United States of America")),
    ("Saskatchewan", "province", "canada", ("Sask.",)),
    ("Beijing", "city", "china", ("北京", "Peking")),
    ("Great Hall of the People", "building", "beijing", ()),
    ("Japan", "country", None, ()),
    ("Mexico", "country", None, ("México",)),
    ("European Union", "region", None, ("EU",)),
    ("Alberta", "province", "canada", ()),
    ("Manitoba", "province", "canada", ()),
    ("Ontario", "province", "canada", ()),
    ("Québec", "province", "canada", ("Quebec",)),
    ("British Columbia", "province", "canada", ("B.C.",)),
    ("Nova Scotia", "province", "canada", ()),
    ("New Brunswick", "province", "canada", ()),
    ("Prince Edward Island", "province", "canada", ("P.E.I.",)),
    ("Guangdong", "province", "china", ()),
    ("Jiangsu", "province", "china", ()),
    ("Zhejiang", "province", "china", ()),
    ("Shandong", "province", "china", ()),
    ("Heilongjiang", "province", "china", ()),
    ("Shanghai", "city", "china", ("上海",)),
    ("Guangzhou", "city", "guangdong", ("Canton",)),
    ("Shenzhen", "city", "guangdong", ()),
    ("Ottawa", "city", "ontario", ()),
    ("Toronto", "city", "ontario", ()),
    ("Vancouver", "city", "british-columbia", ()),
    ("Regina", "city", "saskatchewan", ()),
    ("Saskatoon", "city", "saskatchewan", ()),
    ("Winnipeg", "city", "manitoba", ()),
    ("Montréal", "city", "quebec", ("Montreal",)),
    ("Halifax", "city", "nova-scotia", ()),
    ("Washington", "city", "united-states", ("Washington, D.C.",)),
    ("Diaoyutai State Guesthouse", "building", "beijing", ()),
    ("Parliament Hill", "building", "ottawa", ()),
)
TOWN_ROOTS = _words(
    """
    Maple Cedar Willow Pine Elk Bear Eagle Swan Moose Beaver Otter Falcon Raven Birch Aspen
    Spruce Stony Rocky Silver Gold Red White Black Green Clear Long Deep High Fair Spring Sun
    Mill Bridge Prairie Wolf Fox Hazel Oak Ash Crystal
    """
)
TOWN_ENDINGS = (
    "ton",
    "ville",
    "field",
    "wood",
    "ford",
    "brook",
    "dale",
    "view",
    " Falls",
    " Creek",
    " Hills",
    " Landing",
    " Crossing",
    " Junction",
    " Valley",
    " Lake",
    " Bay",
    " Harbour",
    " Springs",
    " River",
)
TOWN_PREFIXES = ("", "", "", "Port ", "Fort ", "New ", "Mount ", "St. ", "Lac-")
PINYIN = _words(
    """
    Xin Long Hai Jin Dong Nan Bei Xi Shan He Hu Ping An Chang Feng Yang Zhou Qing Tai Yuan Kai
    Ning Fu Lin Shui Tian Bao Hua Jiang Yun
    """
)
CHINESE_PROVINCE_IDS = ("guangdong", "jiangsu", "zhejiang", "shandong", "heilongjiang")
CANADIAN_PROVINCE_IDS = _words(
    """
    saskatchewan alberta manitoba ontario quebec british-columbia nova-scotia new-brunswick
    prince-edward-island
    """
)
VENUE_KINDS = ("Convention Centre", "Trade Hall", "Exhibition Centre", "Guesthouse", "City Hall")

REAL_ORGANISATIONS: tuple[tuple[str, str, str, tuple[str, ...]], ...] = (
    (
        "Government of Canada",
        "government",
        "canada",
        ("Ottawa's government", "Canadian government"),
    ),
    (
        "Ministry of Commerce of the People's Republic of China",
        "state_body",
        "china",
        ("MOFCOM", "China's Ministry of Commerce"),
    ),
    ("Canola Council of Canada", "international", "canada", ("CCC",)),
    ("Canada Border Services Agency", "state_body", "canada", ("CBSA",)),
    ("General Administration of Customs of China", "state_body", "china", ("GACC",)),
    ("Contemporary Amperex Technology", "company", "china", ("CATL",)),
    ("Huawei", "company", "china", ()),
    ("World Trade Organization", "international", "canada", ("WTO",)),
    ("Xinhua News Agency", "media", "china", ("Xinhua",)),
)
ORG_PREFIXES = _items(
    """
    Northern | Pacific | Great Plains | Prairie | Sino | Huaxia | Dragon | Maple | Laurentian
    | Golden | Yangtze | Pearl River | Atlantic | Boreal | Jade | Lakehead | Shandong |
    Zhejiang | Harbin | Saskatoon | Red River | Fraser Valley | Canadian | China | Silk Road |
    Eastern | Western | Summit | Keystone | Evergreen | Polaris | Harvest | Frontier | Orient
    | Crown | United | First | Grand | Aurora | Meridian
    """
)
ORG_CORES = (
    ("Canola", "agriculture"),
    ("Oilseed", "agriculture"),
    ("Grain", "agriculture"),
    ("Pork", "meat processing"),
    ("Seafood", "fisheries"),
    ("Steel", "steel"),
    ("Aluminium", "aluminum"),
    ("Automotive", "automotive"),
    ("Battery", "electric-vehicle batteries"),
    ("EV", "electric vehicles"),
    ("Potash", "mining"),
    ("Mining", "mining"),
    ("Energy", "energy"),
    ("Solar", "solar energy"),
    ("Lumber", "forestry"),
    ("Logistics", "logistics"),
    ("Shipping", "shipping"),
    ("Trading", "trade"),
    ("Agri-Food", "agri-food"),
    ("Rail", "rail"),
    ("Crushing", "oilseed crushing"),
    ("Pulse", "pulses"),
    ("Capital", "finance"),
    ("Bank", "banking"),
)
ORG_SUFFIXES = (
    "Corporation",
    "Group",
    "Holdings",
    "Co-operative",
    "Inc.",
    "Ltd.",
    "Company",
    "Industries",
    "Partners",
    "Co., Ltd.",
    "Association",
    "Alliance",
)

OUTLETS: tuple[tuple[str, str, str, str], ...] = (
    ("The Canadian Press", "thecanadianpress.com", "news_report", "wire"),
    ("Associated Press", "apnews.com", "news_report", "wire"),
    ("Reuters", "reuters.com", "news_report", "wire"),
    ("CBC News", "cbc.ca", "news_report", "news"),
    ("The Globe and Mail", "theglobeandmail.com", "news_report", "news"),
    ("Radio-Canada", "ici.radio-canada.ca", "news_report", "news"),
    ("La Presse", "lapresse.ca", "news_report", "news"),
    ("Xinhua", "english.news.cn", "news_report", "wire"),
    ("China Daily", "chinadaily.com.cn", "news_report", "news"),
    ("Global Times", "globaltimes.cn", "news_report", "news"),
    ("South China Morning Post", "scmp.com", "news_report", "news"),
    ("Financial Post", "financialpost.com", "news_report", "news"),
    ("The Western Producer", "producer.com", "trade_news", "trade_press"),
    ("Farms.com", "farms.com", "industry_report", "trade_press"),
    ("Canadian Auto Dealer", "canadianautodealer.ca", "trade_news", "trade_press"),
    ("Cole International", "blog.coleintl.com", "trade_news", "association"),
    ("Norton Rose Fulbright", "nortonrosefulbright.com", "legal_analysis", "association"),
    ("Prime Minister of Canada", "pm.gc.ca", "official_release", "official"),
    ("Global Affairs Canada", "international.gc.ca", "official_release", "official"),
    ("Ministry of Commerce (MOFCOM)", "english.mofcom.gov.cn", "official_release", "official"),
    ("Canola Council of Canada", "canolacouncil.org", "industry_report", "association"),
    ("Office of the Prime Minister", "pm.gc.ca", "readout", "official"),
    ("X (formerly Twitter)", "x.com", "social_media_post", "blog"),
    ("Prime Minister of Canada", "pm.gc.ca", "speech", "official"),
)
# Newspapers that carry the wire services' stories.
CARRIERS = ("Lethbridge Herald", "Global News", "CNA", "People's Daily Online", "680 News")

TOPICS = _items(
    """
    trade diversification | canola market access | electric-vehicle tariffs | energy |
    agriculture | clean energy | critical minerals | people-to-people ties | security | supply
    chains | tourism | education | consular cases | investment | finance | multilateralism |
    climate change | food safety | market access for pork | seafood exports | visa-free travel
    | steel overcapacity | the WTO dispute
    """
)
MEASURE_WORDS = {
    "tariff": "tariff",
    "surtax": "surtax",
    "anti_dumping_duty": "anti-dumping duty",
    "anti_discrimination_tariff": "anti-discrimination tariff",
    "tariff_rate_quota": "tariff-rate quota",
    "investigation": "anti-dumping investigation",
}
PURPOSES = (
    "to protect the domestic auto industry",
    "in response to what it calls discriminatory measures",
    "to counter unfairly subsidised imports",
    "to match measures taken by the United States",
    "to protect national security",
    "to defend domestic producers from dumping",
    "as leverage in trade talks",
)
RATE_BASES = (
    "charged on top of the most-favoured-nation (MFN) tariff",
    "a cash deposit on the customs value",
    "on the customs value of the goods",
    "within the quota; the MFN rate applies above it",
)
INDUSTRIES = _items(
    """
    Saskatchewan canola growers | Ontario auto industry | Prairie farmers | Atlantic lobster
    fishers | Quebec pork producers | the steel industry | British Columbia ports | Alberta
    beef producers | Manitoba pulse growers | Chinese EV makers | Canadian aluminum smelters
    """
)
SPEAKER_DESCRIPTIONS = (
    ("a MOFCOM spokesperson", "readout"),
    ("China's foreign ministry spokesperson", "remarks"),
    ("the Prime Minister's Office", "readout"),
    ("a senior Canadian government official", "remarks"),
    ("the official Chinese readout", "readout"),
)
PLATFORMS = ("X (formerly Twitter)", "Weibo", "LinkedIn", "Facebook")
QUOTE_TEMPLATES = (
    "We will keep working until every {product} farmer in {province} has access to the Chinese "
    "market again,",
    "The {rate}% duty on {product} is unjustified and we will challenge it at every opportunity,",
    "Our countries align in many areas, such as {topic}, {topic2} and {product},",
    "China firmly opposes the unilateral measures on {product} and will take necessary steps to "
    "safeguard its legitimate rights,",
    "This agreement on {product} gives {province} producers the certainty they have asked for,",
    "We are entering a new era of pragmatic cooperation on {topic} and {topic2},",
    "Dialogue, not tariffs, is how we will settle the question of {product},",
    "I told my counterpart plainly that the tariffs on {product} must come off,",
    "The door is open, but the {rate}% surtax on {product} stays until the facts change,",
    "It\u2019s a good deal for {province}, and it\u2019s a good deal for Canada,",
)
STATEMENT_KINDS = _words(
    """
    figure figure figure ranking goal characterisation agreement expectation reaction context
    """
)
CERTAINTIES = _words(
    """
    stated stated stated stated reported reported claimed alleged widely_seen_as expected
    """
)
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
# English month names, fixed: calendar.month_name follows the locale, and the output must not.
MONTHS = _words(
    """
    - January February March April May June July August September October November December
    """
)


# Helpers --------------------------------------------------------------------------------------


def slug(text: str) -> str:
    """An id-safe form of a name: ASCII lower-case words joined by hyphens."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:60].strip("-") or "x"


class Ids:
    """Hands out ids unique across every collection, readable where the text allows."""

    def __init__(self) -> None:
        self._used: set[str] = set()
        self._next: dict[str, int] = {}

    def new(self, base: str) -> str:
        """A fresh id from ``base``, with ``-2``, ``-3``... appended when it is taken."""
        candidate = base
        while candidate in self._used:
            number = self._next.get(base, 1) + 1
            self._next[base] = number
            candidate = f"{base}-{number}"
        self._used.add(candidate)
        return candidate


class Names:
    """Which entity each name and alias names, so no alias names two entities."""

    def __init__(self) -> None:
        self._owners: dict[str, str] = {}

    def free(self, name: str) -> bool:
        """True if no entity answers to this name yet."""
        key = normalise_name(name)
        return bool(key) and key not in self._owners

    def claim(self, name: str, owner: str) -> bool:
        """Give ``name`` to ``owner`` if it is free or already theirs; say whether it is theirs."""
        key = normalise_name(name)
        if not key:
            return False
        holder = self._owners.setdefault(key, owner)
        return holder == owner


class Dates:
    """Random days between 2017 and 2026, written at the year, month or day."""

    def __init__(self, rng: Random) -> None:
        self._rng = rng
        self._span = (LAST_DAY - FIRST_DAY).days

    def day(self, *, after: date | None = None, within: int | None = None) -> date:
        """A random day, optionally at most ``within`` days after ``after``."""
        start = after or FIRST_DAY
        span = within if within is not None else max(1, (LAST_DAY - start).days)
        return start + timedelta(days=self._rng.randrange(span + 1))

    def text(self, day: date, *, day_share: float = 0.75) -> str:
        """``day`` as YYYY-MM-DD, or coarsened to YYYY-MM or YYYY (coarser never breaks order)."""
        roll = self._rng.random()
        if roll < day_share:
            return day.isoformat()
        if roll < day_share + (1 - day_share) * 0.7:
            return f"{day.year:04d}-{day.month:02d}"
        return f"{day.year:04d}"


def written(day: date) -> str:
    """A day as an article writes it: ``Thursday, January 15, 2026`` (always the right weekday)."""
    return f"{WEEKDAYS[day.weekday()]}, {MONTHS[day.month]} {day.day}, {day.year}"


def human(day: date) -> str:
    """A day as a paraphrase writes it: ``15 January 2026``."""
    return f"{day.day} {MONTHS[day.month]} {day.year}"


def counts_for(total: int) -> dict[str, int]:
    """How many facts of each collection make ``total``: the mix, with a floor for each kind."""
    counts = {name: max(MINIMUM[name], int(total * share)) for name, share in MIX.items()}
    counts["statements"] += total - sum(counts.values())
    if counts["statements"] < MINIMUM["statements"]:
        raise ValueError(f"need at least {MIN_FACTS} facts to hold every kind, got {total}")
    return counts


# The generator --------------------------------------------------------------------------------


class Generator:
    """Builds the collections of one fact file from one seeded random stream."""

    def __init__(self, total: int, seed: int) -> None:
        self.rng = Random(seed)
        self.counts = counts_for(total)
        self.ids = Ids()
        self.names = Names()
        self.dates = Dates(self.rng)
        self.data: dict[str, list[Fact]] = {name: [] for name in COLLECTIONS}
        self.source_dates: list[date] = []
        self.countries: list[str] = []
        self.provinces: list[str] = []
        self.cities: list[str] = []
        self.buildings: list[str] = []
        self.place_names: dict[str, str] = {}
        self.org_names: dict[str, str] = {}
        self.person_names: dict[str, str] = {}
        self.visits: list[Fact] = []

    # Shared parts

    def pick(self, items: Sequence[T]) -> T:
        """One item, uniformly."""
        return items[self.rng.randrange(len(items))]

    def product(self) -> str:
        """A product, canola and EVs most often."""
        return self.rng.choices(PRODUCT_NAMES, cum_weights=PRODUCT_CUMULATIVE)[0]

    def products(self, most: int = 3) -> list[str]:
        """One to ``most`` different products."""
        found: list[str] = []
        for _ in range(self.rng.randint(1, most)):
            item = self.product()
            if item not in found:
                found.append(item)
        return found

    def certainty(self) -> str:
        """How a source qualifies a fact, usually 'stated'."""
        return self.pick(CERTAINTIES)

    def evidence(self, lines: Sequence[str], *, excerpt: str | None = None) -> list[Fact]:
        """One to three pieces of evidence: the excerpt if given, then paraphrases or excerpts."""
        sources = self.data["sources"]
        pieces: list[Fact] = []
        if excerpt is not None:
            pieces.append({"source": self.pick(sources)["id"], "excerpt": excerpt})
        wanted = min(self.rng.choice((1, 1, 1, 2, 2, 3)), len(lines) + len(pieces))
        for line in self.rng.sample(lines, max(0, wanted - len(pieces))):
            kind = "excerpt" if self.rng.random() < 0.5 else "paraphrase"
            pieces.append({"source": self.pick(sources)["id"], kind: line})
        return pieces

    def fact_fields(self, fact: Fact, lines: Sequence[str], *, excerpt: str | None = None) -> Fact:
        """Add evidence, and sometimes a certainty, a claimant or a note, to a fact."""
        fact["evidence"] = self.evidence(lines, excerpt=excerpt)
        roll = self.rng.random()
        if roll < 0.25:
            fact["certainty"] = self.certainty()
        if roll < 0.08 and self.person_names:
            fact["claimed_by"] = self.pick(self.data["people"])["id"]
        if self.rng.random() < 0.12:
            fact["notes"] = self.pick(
                (
                    "The source gives no day; the month is the publication month.",
                    "Other sources give other figures: see the conflicts.",
                    "The article calls it a tariff; the dated sources call it a surtax.",
                    "Reported before the event; the outcome is not yet known.",
                    "The editors' expansion of an acronym the source uses.",
                )
            )
        return fact

    def entity(self, collection: str) -> str:
        """The id of a random earlier fact of a collection."""
        return str(self.pick(self.data[collection])["id"])

    def place_pool(self, kind: str) -> list[str]:
        """Place ids of one kind."""
        return {
            "country": self.countries,
            "province": self.provinces,
            "city": self.cities,
            "building": self.buildings,
        }[kind]

    def actor_name(self, actor_id: str) -> str:
        """The name of a person or organisation by id."""
        return self.person_names.get(actor_id) or self.org_names[actor_id]

    # Collections

    def sources(self) -> None:
        """Articles, releases and posts, each with a title, outlet, date and address."""
        for _ in range(self.counts["sources"]):
            outlet, domain, kind, publisher = self.pick(OUTLETS)
            day = self.dates.day()
            product = self.product()
            title = self.pick(
                (
                    f"China extends probe into Canadian {product}",
                    f"Canada and China meet part-way on {product} and EVs",
                    f"What the {product} dispute means for Prairie farmers",
                    f"Ottawa weighs relief on {product} tariffs ahead of Beijing talks",
                    f"Five things to know about Canada's trade ties with China ({day.year})",
                    f"Beijing lifts duties on Canadian {product} after ministerial talks",
                    f"Exporters of {product} brace for new Chinese duties",
                    f"Readout: Prime Minister meets Chinese counterpart on {product}",
                )
            )
            source: Fact = {
                "id": self.ids.new(f"{slug(outlet)[:24].strip('-')}-{day.isoformat()}"),
                "title": title,
                "outlet": outlet if self.rng.random() < 0.93 else None,
            }
            if publisher == "wire" and source["outlet"] and self.rng.random() < 0.5:
                source["carried_by"] = self.pick(CARRIERS)
            source |= {
                "publisher": publisher,
                "published": self.dates.text(day, day_share=0.85),
                "url": f"https://{domain}/{day.year}/{day.month:02d}/{slug(title)}",
                "kind": kind,
            }
            if self.rng.random() < 0.1:
                source["notes"] = "Published before the events it describes; the day is not known."
            self.data["sources"].append(source)
            self.source_dates.append(day)

    def _add_place(self, name: str, kind: str, within: str | None, aliases: Sequence[str]) -> None:
        place_id = self.ids.new(slug(name))
        if not self.names.claim(name, place_id):
            raise AssertionError(f"place name {name!r} is taken")
        kept = [alias for alias in aliases if self.names.claim(alias, place_id)]
        place: Fact = {"id": place_id, "name": name, "aliases": kept, "kind": kind}
        if within is not None:
            place["within"] = within
        self.fact_fields(
            place,
            (
                f"{name} is at the centre of the dispute over {self.product()}.",
                f"Officials from {name} joined the trade mission.",
                f"Exporters in {name} say the duties have cut their sales to China.",
            ),
        )
        self.data["places"].append(place)
        self.place_names[place_id] = name
        self.place_pool(kind if kind != "region" else "country").append(place_id)

    def places(self) -> None:
        """Real countries, provinces, cities and buildings first, then made-up towns and venues."""
        wanted = self.counts["places"]
        for name, kind, within, aliases in REAL_PLACES[:wanted]:
            self._add_place(name, kind, within if within in self.place_names else None, aliases)
        attempts = 0
        while len(self.data["places"]) < wanted:
            attempts += 1
            roll = self.rng.random()
            if roll < 0.08 and self.cities:
                city = self.pick(self.cities)
                name = f"{self.place_names[city]} {self.pick(VENUE_KINDS)}"
                kind, within = "building", city
            elif roll < 0.4:
                name = self.pick(PINYIN) + self.pick(PINYIN).lower()
                kind = "city"
                within = self.pick(
                    [p for p in self.provinces if p in CHINESE_PROVINCE_IDS] or [None]
                )
            else:
                prefix = self.pick(TOWN_PREFIXES)
                name = prefix + self.pick(TOWN_ROOTS) + self.pick(TOWN_ENDINGS)
                kind = "city"
                within = self.pick(
                    [p for p in self.provinces if p in CANADIAN_PROVINCE_IDS] or [None]
                )
            if attempts > 50 * wanted:
                name = f"{name} {len(self.data['places'])}"
            if self.names.free(name):
                self._add_place(name, kind, within, ())

    def organisations(self) -> None:
        """Real bodies first, then companies, co-operatives and associations."""
        wanted = self.counts["organisations"]
        real = [org for org in REAL_ORGANISATIONS if org[2] in self.place_names]
        for name, kind, country, aliases in real[:wanted]:
            self._add_org(name, kind, country, aliases, sector=None)
        attempts = 0
        while len(self.data["organisations"]) < wanted:
            attempts += 1
            core, sector = self.pick(ORG_CORES)
            name = f"{self.pick(ORG_PREFIXES)} {core} {self.pick(ORG_SUFFIXES)}"
            if attempts > 50 * wanted:
                name = f"{name} ({self.place_names[self.pick(self.cities)]})"
            if not self.names.free(name):
                continue
            words = [w for w in re.split(r"[\s-]+", name) if w[:1].isupper()]
            acronym = "".join(w[0] for w in words)
            acronyms = [acronym] if len(acronym) >= 3 and self.rng.random() < 0.4 else []
            country = self.pick(self.countries[:3])
            self._add_org(name, "company", country, acronyms, sector=sector)

    def _add_org(
        self, name: str, kind: str, country: str, aliases: Sequence[str], *, sector: str | None
    ) -> None:
        org_id = self.ids.new(slug(name))
        if not self.names.claim(name, org_id):
            raise AssertionError(f"organisation name {name!r} is taken")
        kept = [alias for alias in aliases if self.names.claim(alias, org_id)]
        org: Fact = {"id": org_id, "name": name, "aliases": kept, "kind": kind, "country": country}
        if sector is not None:
            org["sector"] = sector
            if self.rng.random() < 0.4:
                org["ownership"] = self.pick(("state_owned", "private", "public"))
            if self.rng.random() < 0.5:
                org["description"] = f"A {sector} business that trades {self.product()} with China."
        self.fact_fields(
            org,
            (
                f"{name} executives met the Prime Minister during the trade mission.",
                f"including {name}, which exports {self.product()} to China",
                f"{name} welcomed the agreement on {self.product()}.",
            ),
        )
        self.data["organisations"].append(org)
        self.org_names[org_id] = name

    def _person_name(self) -> tuple[str, str, str, str]:
        """(name, surname, given name, country id) of a new person."""
        roll = self.rng.random()
        if roll < 0.45:
            surname, given = self.pick(CHINESE_SURNAMES), self.pick(CHINESE_GIVEN)
            if self.rng.random() < 0.5:
                given = self.pick(PINYIN) + self.pick(PINYIN).lower()
            return f"{surname} {given}", surname, given, "china"
        if roll < 0.5:
            given, surname = self.pick(US_NAMES)
        else:
            given, surname = self.pick(CANADIAN_FIRST), self.pick(CANADIAN_LAST)
        if self.rng.random() < 0.5:
            given = f"{given} {chr(ord('A') + self.rng.randrange(26))}."
        country = "united-states" if roll < 0.5 else "canada"
        return f"{given} {surname}", surname, given, country

    def people(self) -> None:
        """Canadian, Chinese and American officials and executives, with roles and aliases."""
        wanted = self.counts["people"]
        attempts = 0
        while len(self.data["people"]) < wanted:
            attempts += 1
            name, surname, given, country = self._person_name()
            if attempts > 50 * wanted:
                name = f"{name} ({len(self.data['people'])})"
            if not self.names.free(name):
                continue
            person_id = self.ids.new(slug(name))
            self.names.claim(name, person_id)
            title, title_country = self.pick(
                [(t, c) for t, c in PERSON_TITLES if c in (None, country)]
            )
            first_word = title.split()[0]
            short = first_word if first_word in SHORT_TITLES else self.pick(SHORT_TITLES)
            aliases = [surname, f"{short} {surname}", f"{short} {name}"]
            if country == "china":
                toned = f"{TONES.get(surname, surname)} {TONES.get(given, given)}"
                if toned != name:
                    aliases.append(toned)
            else:
                plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
                if plain != name:
                    aliases.append(plain)
            kept = [alias for alias in aliases if self.names.claim(alias, person_id)]
            person: Fact = {
                "id": person_id,
                "name": name,
                "aliases": kept,
                "country": country if country in self.place_names else None,
            }
            role: Fact = {"title": title}
            if self.data["organisations"] and self.rng.random() < 0.6:
                role["organisation"] = self.entity("organisations")
            role_country = title_country or country
            if role_country in self.place_names:
                role["country"] = role_country
            if self.rng.random() < 0.05:
                role["rank"] = self.pick(RANKS)
            person["roles"] = [role] if self.rng.random() < 0.85 else []
            self.fact_fields(
                person,
                (
                    f"{title} {name} said the talks on {self.product()} were constructive.",
                    f"{name}, the {title.lower()}, led the delegation.",
                    f"{surname} met officials in {self.place_names[self.pick(self.cities)]}.",
                ),
            )
            self.data["people"].append(person)
            self.person_names[person_id] = name

    def _participants(self, most: int) -> list[str]:
        """Two to ``most`` different people and organisations."""
        available = len(self.data["people"]) + len(self.data["organisations"])
        wanted = min(self.rng.randint(2, most), available)
        found: list[str] = []
        while len(found) < wanted:
            collection = "people" if self.rng.random() < 0.75 else "organisations"
            actor = self.entity(collection)
            if actor not in found:
                found.append(actor)
        return found

    def events(self) -> None:
        """Visits first, then meetings that belong to them and background events."""
        wanted = self.counts["events"]
        visits = max(1, wanted // 25)
        for index in range(wanted):
            if index < visits:
                self._visit()
            elif index == visits + 1:
                self._background()
            elif index == visits or self.rng.random() < 0.55:
                self._meeting()
            else:
                self._background()

    def _event_date(self, event: Fact, day: date, *, day_share: float = 0.75) -> None:
        text = self.dates.text(day, day_share=day_share)
        event["date"] = text
        if len(text) == 10 and self.rng.random() < 0.3:
            event["weekday"] = WEEKDAYS[day.weekday()]

    def _visit(self) -> None:
        person = self.entity("people")
        city = self.pick(self.cities)
        name, city_name = self.person_names[person], self.place_names[city]
        start = self.dates.day()
        end = start + timedelta(days=self.rng.randint(1, 5))
        event: Fact = {
            "id": self.ids.new(f"visit-{slug(name)}-{start.year}"),
            "category": "visit",
            "title": f"{name}'s visit to {city_name}",
            "summary": f"A {(end - start).days + 1}-day mission to diversify trade, with "
            f"{self.product()} and {self.product()} at the top of the agenda.",
        }
        self._event_date(event, start, day_share=0.95)
        if "-" in event["date"] and self.rng.random() < 0.6:
            event["end_date"] = end.isoformat()
        event["place"] = city
        event["participants"] = [person]
        event["topics"] = [self.pick(TOPICS), self.pick(TOPICS)]
        event["status"] = "held" if start <= TODAY else "scheduled"
        self.fact_fields(
            event,
            (
                f"The visit to {city_name}, which began on {written(start)}, is {name}'s first.",
                f"{name} arrived in {city_name} on {human(start)} for a {(end - start).days + 1}"
                "-day visit.",
            ),
        )
        self.data["events"].append(event)
        self.visits.append(event)

    def _meeting(self) -> None:
        participants = self._participants(6)
        names = [self.actor_name(actor) for actor in participants]
        day = self.dates.day()
        product = self.product()
        status = "held" if day <= TODAY else "scheduled"
        if self.rng.random() < 0.05:
            status = "cancelled"
        event: Fact = {
            "id": self.ids.new(f"meeting-{slug(names[0])[:30]}-{slug(names[1])[:30]}"),
            "category": "meeting",
            "title": f"{names[0]} meets {names[1]}"
            + (f" and {len(names) - 2} others" if len(names) > 2 else ""),
        }
        if self.rng.random() < 0.6:
            event["summary"] = f"Talks on {self.pick(TOPICS)} and tariffs on {product}."
        self._event_date(event, day)
        if self.rng.random() < 0.7:
            event["place"] = self.pick(self.buildings or self.cities)
        event["participants"] = participants
        event["topics"] = [self.pick(TOPICS) for _ in range(self.rng.randint(1, 3))]
        event["status"] = status
        if status != "scheduled" and self.rng.random() < 0.4:
            event["outcome"] = self.pick(
                (
                    f"Both sides agreed to resume talks on {product}.",
                    "A joint statement on a new strategic partnership.",
                    f"China agreed to lower its duty on {product}.",
                    "No agreement; officials will meet again.",
                )
            )
        if self.visits and self.rng.random() < 0.5:
            event["part_of"] = self.pick(self.visits)["id"]
        if self.rng.random() < 0.03:
            event["supersedes"] = self.pick(self.data["events"])["id"]
        when = written(day) if len(event["date"]) == 10 else event["date"]
        self.fact_fields(
            event,
            (
                f"{names[0]} met {names[1]} on {when} to discuss {product}.",
                f"The discussions, held on {written(day)}, focused on {self.pick(TOPICS)}.",
                f"An official readout from the meeting with {names[1]} noted that "
                '"significant progress was made in recent months".',
            ),
        )
        self.data["events"].append(event)

    def _background(self) -> None:
        day = self.dates.day(within=(TODAY - FIRST_DAY).days)
        product = self.product()
        where = self.pick(self.cities)
        title = self.pick(
            (
                f"China suspends imports of {product} from two Canadian exporters",
                f"Arrest of a Canadian executive in {self.place_names[where]}",
                f"Trade mission on {product} to {self.place_names[where]}",
                f"Canada launches consultations on {product} imports",
                f"Shipments of {product} held at port in {self.place_names[where]}",
            )
        )
        event: Fact = {
            "id": self.ids.new(f"{slug(title)[:50].strip('-')}-{day.year}"),
            "category": "background",
            "title": title,
        }
        self._event_date(event, day, day_share=0.5)
        event["place"] = where
        if self.rng.random() < 0.5:
            event["participants"] = self._participants(3)
        event["status"] = "held"
        self.fact_fields(
            event,
            (
                f"{title} on {written(day)}, officials said.",
                f"Reported in {day.year}: {title}.",
            ),
        )
        self.data["events"].append(event)

    def tariffs(self) -> None:
        """Duties, surtaxes, quotas and investigations with dated lifecycles and retaliation."""
        jurisdictions = self.countries[:3]
        for _ in range(self.counts["tariffs"]):
            kind = self.pick(tuple(MEASURE_WORDS))
            imposer = self.pick(jurisdictions[:2])
            if self.rng.random() < 0.15:
                imposer = self.entity("organisations")
            target = self.pick([c for c in jurisdictions if c != imposer] or jurisdictions)
            products = self.products()
            rate: float | int | None = None
            if kind != "investigation":
                rate = self.pick((100, 25, 10, 15, 75.8, 6.1, 84, 0, 35, 7.5, 20, 50))
            imposer_name = self.place_names.get(imposer) or self.org_names[imposer]
            target_name = self.place_names[target]
            rate_text = f"{rate:g}% " if rate is not None else ""
            title = (
                f"{imposer_name}'s {rate_text}{MEASURE_WORDS[kind]} on {products[0]} "
                f"from {target_name}"
            )
            measure: Fact = {
                "id": self.ids.new(
                    f"{slug(imposer_name)[:20].strip('-')}-{slug(kind)}-{slug(products[0])}"
                ),
                "title": title,
                "kind": kind,
                "imposed_by": imposer,
                "target": target,
                "products": products,
            }
            if rate is not None:
                measure["rate_percent"] = rate
                if self.rng.random() < 0.3:
                    measure["rate_basis"] = self.pick(RATE_BASES)
            if self.rng.random() < 0.6:
                measure["purpose"] = self.pick(PURPOSES)
            earlier = self.data["tariffs"]
            if earlier and self.rng.random() < 0.35:
                measure["responds_to"] = list(
                    dict.fromkeys(self.pick(earlier)["id"] for _ in range(self.rng.randint(1, 2)))
                )
            if self.rng.random() < 0.5:
                measure["affected"] = [self.pick(INDUSTRIES)]
            self._lifecycle(measure, kind, rate, title)
            self.fact_fields(
                measure,
                (
                    f"{imposer_name} imposed a {rate_text}{MEASURE_WORDS[kind]} on "
                    f"{', '.join(products)} from {target_name}.",
                    f"the {rate_text}{MEASURE_WORDS[kind]} on {products[0]}, {self.pick(PURPOSES)}",
                ),
            )
            self.data["tariffs"].append(measure)

    def _lifecycle(self, measure: Fact, kind: str, rate: float | int | None, title: str) -> None:
        if kind == "investigation":
            plan = ["opened", *self.rng.choice(([], ["extended"], ["extended", "concluded"]))]
        else:
            plan = ["announced", "in_force"][: self.rng.randint(1, 2)]
            if len(plan) == 2:
                plan += self.rng.choice(([], [], ["changed"], ["lifted"], ["changed", "lifted"]))
            if self.rng.random() < 0.05:
                plan = ["expected"]
        day = self.dates.day(within=(TODAY - FIRST_DAY).days)
        steps: list[Fact] = []
        dated: dict[str, str] = {}
        for status in plan:
            text = self.dates.text(day, day_share=0.85)
            step: Fact = {"status": status, "date": text}
            if rate is not None and status in ("announced", "in_force", "changed"):
                step["rate_percent"] = rate
            if status == "extended":
                step["note"] = "Extended by six months."
            if status == "expected":
                step["certainty"] = "expected"
            step["evidence"] = [
                {
                    "source": self.pick(self.data["sources"])["id"],
                    "paraphrase": f"{title}: {status.replace('_', ' ')} on {human(day)}.",
                }
            ]
            steps.append(step)
            dated.setdefault(status, text)
            day += timedelta(days=self.rng.randint(10, 400))
        measure["status"] = plan[-1]
        announced = dated.get("announced") or dated.get("opened")
        if announced is not None:
            measure["announced"] = announced
        if "in_force" in dated:
            measure["in_force"] = dated["in_force"]
        ended = dated.get("lifted") or dated.get("concluded")
        if ended is not None:
            measure["ends"] = ended
        elif kind == "investigation" and self.rng.random() < 0.5:
            measure["ends"] = day.isoformat()
        if self.rng.random() < 0.85:
            measure["lifecycle"] = steps

    def quotes(self) -> None:
        """Words said on the record, each inside a verbatim excerpt that reports it."""
        for _ in range(self.counts["quotes"]):
            roll = self.rng.random()
            quote: Fact = {}
            speaker_name: str
            if roll < 0.8:
                speaker = self.entity("people")
                speaker_name = self.person_names[speaker]
                quote["speaker"] = speaker
                channel = self.pick(("in_person", "in_person", "social_media", "remarks"))
            elif roll < 0.9:
                speaker = self.entity("organisations")
                speaker_name = self.org_names[speaker]
                quote["speaker"] = speaker
                channel = self.pick(("readout", "social_media"))
            else:
                speaker_name, channel = self.pick(SPEAKER_DESCRIPTIONS)
                quote["speaker_description"] = speaker_name
            text = self.pick(QUOTE_TEMPLATES).format(
                product=self.product(),
                province=self.place_names[self.pick(self.provinces)],
                rate=self.pick((100, 25, 84, 75.8)),
                topic=self.pick(TOPICS),
                topic2=self.pick(TOPICS),
            )
            day = self.dates.day(within=(TODAY - FIRST_DAY).days)
            quote["id"] = self.ids.new(f"quote-{slug(speaker_name)[:30]}-{slug(text)[:30]}")
            quote["text"] = text
            event = self.pick(self.data["events"]) if self.rng.random() < 0.3 else None
            if event is not None:
                quote["event"] = event["id"]
                if "date" in event:
                    quote["date"] = event["date"]
            else:
                quote["date"] = self.dates.text(day)
            quote["occasion"] = self.pick(
                (
                    "after the bilateral meeting",
                    "at a news conference",
                    "in a post after the talks",
                    "in a speech to business leaders",
                    "during the meetings",
                )
            )
            quote["channel"] = channel
            if channel == "social_media":
                quote["platform"] = self.pick(PLATFORMS)
            if self.rng.random() < 0.4:
                quote["attribution"] = "according to a Canadian Press report"
            quote["about"] = [self.pick(TOPICS)]
            opening, closing = ("“", "”") if self.rng.random() < 0.3 else ('"', '"')
            excerpt = f"{opening}{text}{closing} {speaker_name} said on {written(day)}."
            self.fact_fields(
                quote,
                (f"{speaker_name} said the two countries should keep talking.",),
                excerpt=excerpt,
            )
            self.data["quotes"].append(quote)

    def statements(self) -> None:
        """Figures, rankings, goals, agreements and reactions, in our own words."""
        pools = ("people", "organisations", "places", "events", "tariffs", "quotes")
        for _ in range(self.counts["statements"]):
            kind = self.pick(STATEMENT_KINDS)
            product = self.product()
            province = self.place_names[self.pick(self.provinces)]
            day = self.dates.day(within=(TODAY - FIRST_DAY).days)
            statement: Fact = {"kind": kind}
            value: float | None = None
            unit: str | None = None
            if kind == "figure":
                value = round(self.rng.uniform(0.1, 15), 1)
                unit = self.pick(("CAD billion", "USD billion", "percent", "million tonnes"))
                text = (
                    f"Canada's exports of {product} to China were {value:g} {unit} in {day.year}."
                )
            elif kind == "ranking":
                text = f"China is the {self.pick(('largest', 'second-largest', 'third-largest'))} "
                text += f"buyer of Canadian {product}."
            elif kind == "goal":
                value = float(self.rng.choice((25, 50, 30)))
                unit = "percent"
                text = f"Canada aims to grow non-US exports of {product} by {value:g}% by 2035."
            elif kind == "agreement":
                text = f"The two governments agreed to resume talks on {product} market access."
            elif kind == "expectation":
                text = f"China is expected to lower its duty on {product} by {day.year + 1}."
            elif kind == "reaction":
                text = f"Producers in {province} welcomed the relief on {product} duties."
            elif kind == "characterisation":
                text = f"The {product} dispute was widely seen as retaliation for earlier measures."
            else:
                text = f"{province} ships most of Canada's {product} to China through Vancouver."
            statement["id"] = self.ids.new(f"stmt-{slug(kind)}-{slug(product)}-{day.year}")
            statement["text"] = text
            subjects: list[str] = []
            for _ in range(self.rng.randint(0, 3)):
                pool = self.data[self.pick(pools)] or self.data["places"]
                subject = self.pick(pool)["id"]
                if subject not in subjects:
                    subjects.append(subject)
            if self.data["statements"] and self.rng.random() < 0.1:
                subjects.append(self.pick(self.data["statements"])["id"])
            statement["subjects"] = list(dict.fromkeys(subjects))
            if value is not None:
                statement["value"] = value
                statement["unit"] = unit
            statement["date"] = self.dates.text(day, day_share=0.4)
            self.fact_fields(
                statement,
                (
                    text,
                    f"Figures published on {written(day)} show the trade in {product} shifting.",
                    f"Industry groups in {province} reacted to the news on {product}.",
                ),
            )
            self.data["statements"].append(statement)

    def conflicts(self) -> None:
        """Claims whose sources disagree: a statement against a measure or another statement."""
        claimable = ("statements", "tariffs", "events")
        for _ in range(self.counts["conflicts"]):
            claims: list[str] = []
            wanted = self.rng.randint(2, 4)
            while len(claims) < wanted:
                claim = self.pick(self.data[self.pick(claimable)])["id"]
                if claim not in claims:
                    claims.append(claim)
            product = self.product()
            conflict: Fact = {
                "id": self.ids.new(f"conflict-{slug(product)}"),
                "topic": self.pick(
                    (
                        f"China's duty on Canadian {product}: about 84% or about 76%",
                        f"When the measures on {product} took effect",
                        f"Whether the talks on {product} produced an agreement",
                    )
                ),
                "claims": claims,
            }
            if self.rng.random() < 0.8:
                conflict["note"] = "The sources give different figures and dates; each is kept."
            self.data["conflicts"].append(conflict)

    def build(self) -> dict[str, list[Fact]]:
        """Every collection, in an order where each reference points to an earlier fact."""
        steps: tuple[Callable[[], None], ...] = (
            self.sources,
            self.places,
            self.organisations,
            self.people,
            self.events,
            self.tariffs,
            self.quotes,
            self.statements,
            self.conflicts,
        )
        for step in steps:
            step()
        return self.data


def _tidy(fact: Fact) -> Fact:
    """The fact with its id first and without empty optional fields."""
    tidy = {"id": fact["id"]} if "id" in fact else {}
    tidy.update((key, value) for key, value in fact.items() if value is not None)
    return tidy


def write(data: dict[str, list[Fact]], out: TextIO, *, title: str) -> None:
    """Write a fact file one fact per line: valid JSON, quick to write and to diff."""
    out.write("{\n")
    out.write(f'  "format_version": 1,\n  "title": {json.dumps(title, ensure_ascii=False)}')
    for collection in COLLECTIONS:
        out.write(f',\n  "{collection}": [')
        for index, fact in enumerate(data[collection]):
            out.write(",\n    " if index else "\n    ")
            out.write(json.dumps(_tidy(fact), ensure_ascii=False))
        out.write("\n  ]" if data[collection] else "]")
    out.write("\n}\n")


def generate(total: int, path: Path, *, seed: int = DEFAULT_SEED) -> dict[str, int]:
    """Write a fact file of ``total`` facts to ``path``; return how many of each kind."""
    data = Generator(total, seed).build()
    path.parent.mkdir(parents=True, exist_ok=True)
    title = f"Generated Canada-China trade facts ({total} facts, seed {seed})"
    with path.open("w", encoding="utf-8", newline="\n") as out:
        write(data, out, title=title)
    return {collection: len(items) for collection, items in data.items()}


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(
        description="Write a valid, realistic tradecli fact file of N facts (for benchmarks).",
        epilog="Example: python benchmarks/generate.py 100000 benchmarks/out/big.json",
    )
    parser.add_argument("n", metavar="N", type=int, help=f"number of facts (at least {MIN_FACTS})")
    parser.add_argument("out", metavar="OUT", type=Path, help="file to write")
    parser.add_argument(
        "--seed", type=int, default=DEFAULT_SEED, help=f"random seed (default {DEFAULT_SEED})"
    )
    args = parser.parse_args(argv)
    if args.n < MIN_FACTS:
        parser.error(f"N must be at least {MIN_FACTS}, so that every kind of fact is present")
    started = time.perf_counter()
    counts = generate(args.n, args.out, seed=args.seed)
    size = args.out.stat().st_size
    parts = ", ".join(f"{count} {name}" for name, count in counts.items())
    print(
        f"wrote {args.out}: {args.n} facts ({parts}), {size / 2**20:.1f} MiB, "
        f"{size / args.n:.0f} bytes per fact, in {time.perf_counter() - started:.1f} s",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
