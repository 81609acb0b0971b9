"""Story grouping and duplicate detection on small hand-made batches and the real example."""

from __future__ import annotations

import hashlib
import json
import pickle
import random
import zlib
from collections.abc import Sequence
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crosswire.models import (
    Article,
    ArticleAnalysis,
    ArticleEntity,
    EntityMention,
    NumberMention,
    StoryGroup,
    TimeMention,
)
from crosswire.options import Options
from crosswire.stories import (
    StoryIndex,
    find_duplicates,
    group_stories,
    prepare_articles,
    story_title,
)

EXAMPLE = Path(__file__).resolve().parents[2] / "shared" / "examples" / "maduro-trump-call"
OPTIONS = Options()


def _article(aid: str, source: str, published: date | None, title: str, text: str) -> Article:
    return Article(
        id=aid, source=source, published=published, title=title, text=" ".join(text.split())
    )


def _analysis(
    aid: str,
    names: list[tuple[str, str, int]],
    days: Sequence[date] = (),
    figures: Sequence[tuple[float, str]] = (),
) -> ArticleAnalysis:
    return ArticleAnalysis(
        article_id=aid,
        entities=[
            ArticleEntity(
                name=name,
                type=kind,
                mentions=[EntityMention(text=name, sentence=k, start=0, end=1) for k in range(n)],
            )
            for name, kind, n in names
        ],
        times=[
            TimeMention(
                text=d.isoformat(),
                value=d.isoformat(),
                earliest=d,
                latest=d,
                precision="day",
                sentence=0,
            )
            for d in days
        ],
        numbers=[NumberMention(text=f"{v:g} {u}", value=v, unit=u, sentence=0) for v, u in figures],
    )


MON = date(2025, 3, 3)

TURKEY_A = _article(
    "quake-tr-a",
    "Wire One",
    MON,
    "Earthquake kills 41 in eastern Turkey",
    """A magnitude 6.8 earthquake struck Malatya province in eastern Turkey early on Monday,
    killing at least 41 people and injuring hundreds, the country's disaster agency AFAD said.
    The quake hit at 4:17 a.m. local time at a depth of 10 kilometres, according to the agency.
    Dozens of buildings collapsed in the city of Malatya, and rescue teams were searching the
    rubble for survivors through the morning. Interior Minister Ali Yerlikaya said 23
    aftershocks had been recorded. President Recep Tayyip Erdogan said the state would rebuild
    every damaged home within a year. Schools in the province will stay closed for a week.""",
)
TURKEY_B = _article(
    "quake-tr-b",
    "Daily Courier",
    MON,
    "Dozens dead as pre-dawn quake flattens Malatya apartment blocks",
    """At least 41 people died when a powerful tremor shook Malatya before dawn on Monday,
    Turkish officials said. AFAD, the disaster and emergency authority, put the magnitude at
    6.8 and said the shock was shallow, about 10 km deep. Television footage showed residents
    pulling neighbours from the ruins of apartment blocks while cranes cleared the streets.
    Yerlikaya told reporters that more than 300 people were hurt and that 23 aftershocks
    followed the main shock. Erdogan promised to rebuild the homes lost in Malatya and said
    tents and blankets were on their way.""",
)
CHILE = _article(
    "quake-cl",
    "Wire One",
    MON + timedelta(days=7),
    "Earthquake kills 12 in northern Chile",
    """A magnitude 7.1 earthquake struck off the coast of northern Chile on Monday, killing at
    least 12 people and damaging hundreds of homes, Chile's disaster agency Senapred said. The
    quake hit at 9:05 p.m. local time at a depth of 35 kilometres near the port city of
    Antofagasta. Several buildings collapsed in the city, and rescue teams searched the rubble
    for survivors overnight. Interior Minister Carolina Toha said 15 aftershocks had been
    recorded. President Gabriel Boric said the government would help families rebuild their
    homes. Schools in the region will stay closed for two days.""",
)
TURKEY_MONTH_LATER = _article(
    "quake-tr-later",
    "Daily Courier",
    MON + timedelta(days=30),
    "Malatya earthquake survivors still in tents",
    """A month after a magnitude 6.8 earthquake struck Malatya province in eastern Turkey,
    killing 41 people, thousands of survivors are still living in tents, the disaster agency
    AFAD said. Rescue teams have cleared the rubble of the collapsed buildings, and Interior
    Minister Ali Yerlikaya said the aftershocks had eased. President Recep Tayyip Erdogan
    repeated that the state would rebuild every damaged home within a year.""",
)

ANALYSES = {
    TURKEY_A.id: _analysis(
        TURKEY_A.id,
        [
            ("Malatya", "GPE", 2),
            ("Turkey", "GPE", 1),
            ("AFAD", "ORG", 1),
            ("Ali Yerlikaya", "PERSON", 1),
            ("Recep Tayyip Erdogan", "PERSON", 1),
        ],
        [MON],
        [(41, "people"), (23, "aftershocks")],
    ),
    TURKEY_B.id: _analysis(
        TURKEY_B.id,
        [
            ("Malatya", "GPE", 2),
            ("AFAD", "ORG", 1),
            ("Yerlikaya", "PERSON", 1),
            ("Erdogan", "PERSON", 1),
        ],
        [MON],
        [(41, "people"), (23, "aftershocks")],
    ),
    CHILE.id: _analysis(
        CHILE.id,
        [
            ("Chile", "GPE", 2),
            ("Senapred", "ORG", 1),
            ("Antofagasta", "GPE", 1),
            ("Carolina Toha", "PERSON", 1),
            ("Gabriel Boric", "PERSON", 1),
        ],
        [MON + timedelta(days=7)],
        [(12, "people"), (15, "aftershocks")],
    ),
    TURKEY_MONTH_LATER.id: _analysis(
        TURKEY_MONTH_LATER.id,
        [
            ("Malatya", "GPE", 1),
            ("Turkey", "GPE", 1),
            ("AFAD", "ORG", 1),
            ("Ali Yerlikaya", "PERSON", 1),
            ("Recep Tayyip Erdogan", "PERSON", 1),
        ],
        [],
        [(41, "people")],
    ),
}

PORT_STRIKE = """Dock workers at the port of Rotterdam walked off the job on Tuesday in a
dispute over automation, halting most container traffic at Europe's largest port. The FNV
union said about 2,400 members joined the strike, which is set to last 48 hours. Port authority spokesman Sander
de Vries said 31 ships were waiting at anchor off the coast and that operators had diverted
several vessels to Antwerp and Hamburg. The union objects to plans by terminal operators to
introduce remote-controlled cranes, which it says would cost up to 800 jobs over five years.
Operators say the cranes are needed to keep the port competitive and that no worker will be
laid off. Talks between the two sides broke down on Monday evening after nine hours without
agreement. Shipping lines warned customers to expect delays of several days for goods
travelling through the Netherlands. Economists said a longer stoppage could disrupt supplies
of food and car parts across northern Europe before the holiday season. The government urged
both sides to return to the table and offered to appoint a mediator. Union leader Niek Stam
said the strike could be extended if operators refused to guarantee jobs in writing. Police
reported no incidents at the picket lines, where several hundred workers gathered outside the
main terminals in the morning."""


def _copy_of_port_strike() -> str:
    lines = PORT_STRIKE.split("\n")
    lines[0] = (
        "ROTTERDAM (Reuters) - Thousands of dockers in Rotterdam stopped work on Tuesday in a"
    )
    text = "\n".join(lines)
    return text.replace("halting most", "stopping most").replace("broke down", "collapsed")


ORIGINAL = _article(
    "port-reuters", "Reuters", date(2025, 6, 10), "Rotterdam dockers strike", PORT_STRIKE
)
COPY = _article(
    "port-herald",
    "Harbour Herald",
    date(2025, 6, 10),
    "Rotterdam port strike halts container traffic",
    _copy_of_port_strike(),
)
LATER_COPY = _article(
    "port-gazette", "Gazette", date(2025, 6, 11), "Port strike", _copy_of_port_strike()
)

QUOTE = (
    '"We will not accept a future in which machines take the jobs of people who have kept this '
    "port running for generations, and we will stay out for as long as it takes to get a "
    'written guarantee that nobody loses their livelihood," Stam told the crowd.'
)
REPORT_ONE = _article(
    "port-one",
    "Radio One",
    date(2025, 6, 10),
    "Union vows to stay out",
    """Union leader Niek Stam addressed several hundred strikers outside the Maasvlakte terminal
    on Tuesday morning as the walkout entered its first day. """
    + QUOTE
    + """ The crowd cheered and blew horns. Terminal operators later issued a statement saying
    the new cranes would be phased in slowly and that retraining would be offered to every
    worker whose role changes. A spokesman for the economy ministry said officials were
    following the situation closely.""",
)
REPORT_TWO = _article(
    "port-two",
    "Evening Post",
    date(2025, 6, 10),
    "Strike leader rallies dockers",
    """Thousands of dock workers in Rotterdam kept cargo ships waiting on Tuesday, and their
    leader promised more disruption. """
    + QUOTE
    + """ Analysts at ING estimated the stoppage was costing the Dutch economy tens of millions of
    euros a day, while importers of fresh fruit scrambled to find space at other ports along the
    North Sea coast. The strike is the first at the port in more than a decade.""",
)


def _ids(groups: list[StoryGroup]) -> list[list[str]]:
    return sorted(sorted(g.article_ids) for g in groups)


# --------------------------------------------------------------------------- grouping


def test_empty_input_gives_no_stories() -> None:
    assert group_stories([], {}, OPTIONS) == []
    assert find_duplicates([], OPTIONS) == {}


def test_two_earthquakes_in_different_countries_a_week_apart_stay_apart() -> None:
    groups = group_stories([TURKEY_A, CHILE], ANALYSES, OPTIONS)
    assert _ids(groups) == [[CHILE.id], [TURKEY_A.id]]


def test_two_reports_of_the_same_event_in_different_words_join() -> None:
    groups = group_stories([TURKEY_A, TURKEY_B, CHILE], ANALYSES, OPTIONS)
    assert _ids(groups) == [[CHILE.id], [TURKEY_A.id, TURKEY_B.id]]


def test_same_event_joins_on_text_alone_when_analyses_are_missing() -> None:
    groups = group_stories([TURKEY_A, TURKEY_B], {TURKEY_A.id: ANALYSES[TURKEY_A.id]}, OPTIONS)
    assert _ids(groups) == [[TURKEY_A.id, TURKEY_B.id]]


def test_article_published_thirty_days_later_on_the_same_topic_does_not_join() -> None:
    groups = group_stories([TURKEY_A, TURKEY_B, TURKEY_MONTH_LATER], ANALYSES, OPTIONS)
    assert _ids(groups) == [[TURKEY_A.id, TURKEY_B.id], [TURKEY_MONTH_LATER.id]]


def test_month_later_article_would_join_if_the_date_window_allowed_it() -> None:
    """The date window, not the text, keeps the follow-up out (the previous test's cause)."""
    wide = Options(story_max_days=60)
    groups = group_stories([TURKEY_A, TURKEY_B, TURKEY_MONTH_LATER], ANALYSES, wide)
    assert _ids(groups) == [[TURKEY_A.id, TURKEY_B.id, TURKEY_MONTH_LATER.id]]


def test_arrests_of_two_different_players_of_one_team_stay_apart() -> None:
    jackson = _article(
        "dui-jackson",
        "Sports Wire",
        date(2008, 12, 16),
        "Chargers receiver arrested on suspicion of drunken driving",
        """San Diego Chargers wide receiver Vincent Jackson was arrested early Tuesday on
        suspicion of drunken driving after failing sobriety tests on a freeway in San Diego,
        the California Highway Patrol said. Jackson was booked into the San Diego County jail
        and released. The team said it was aware of the arrest. Jackson said in a statement
        that he expected to clear his name. It is the second arrest for Jackson, who was on
        probation for an earlier drunken driving case.""",
    )
    williams = _article(
        "dui-williams",
        "Sports Wire",
        date(2008, 12, 20),
        "Chargers lineman arrested on suspicion of drunken driving",
        """Jamal Williams, the Chargers' veteran defensive tackle, spent part of Saturday
        morning in the San Diego County jail after officers stopped his Bentley on State Route
        94 and he failed a sobriety test, the California Highway Patrol said. A patrol
        spokesman said the car had been weaving between lanes shortly before 3 a.m. Williams, a
        three-time Pro Bowl player, was released on bail and declined to comment. The team said
        it would handle the matter internally.""",
    )
    analyses = {
        jackson.id: _analysis(
            jackson.id,
            [
                ("Vincent Jackson", "PERSON", 5),
                ("San Diego Chargers", "ORG", 1),
                ("San Diego", "GPE", 2),
                ("California Highway Patrol", "ORG", 1),
            ],
        ),
        williams.id: _analysis(
            williams.id,
            [
                ("Jamal Williams", "PERSON", 5),
                ("San Diego Chargers", "ORG", 1),
                ("San Diego", "GPE", 2),
                ("California Highway Patrol", "ORG", 1),
            ],
        ),
    }
    groups = group_stories([jackson, williams], analyses, OPTIONS)
    assert _ids(groups) == [[jackson.id], [williams.id]]


@settings(max_examples=25, deadline=None)
@given(st.permutations([TURKEY_A, TURKEY_B, CHILE, TURKEY_MONTH_LATER, ORIGINAL, COPY]))
def test_grouping_does_not_depend_on_input_order(articles: list[Article]) -> None:
    reference = group_stories(
        [TURKEY_A, TURKEY_B, CHILE, TURKEY_MONTH_LATER, ORIGINAL, COPY], ANALYSES, OPTIONS
    )
    assert group_stories(articles, ANALYSES, OPTIONS) == reference


def test_story_id_is_hash_of_first_article_and_survives_a_later_article_joining() -> None:
    (alone,) = group_stories([TURKEY_A], ANALYSES, OPTIONS)
    expected = "s-" + hashlib.sha1(TURKEY_A.id.encode()).hexdigest()[:10]
    assert alone.id == expected
    grown = group_stories([TURKEY_B, TURKEY_A], ANALYSES, OPTIONS)
    assert [g.id for g in grown] == [expected]


def test_stories_and_their_articles_come_in_publication_order() -> None:
    groups = group_stories([CHILE, TURKEY_B, TURKEY_A], ANALYSES, OPTIONS)
    assert [g.article_ids for g in groups] == [[TURKEY_A.id, TURKEY_B.id], [CHILE.id]]


# --------------------------------------------------------------------------- duplicates


def test_light_rewrite_is_a_copy_of_the_earlier_original_and_joins_its_story() -> None:
    later = COPY.model_copy(update={"published": date(2025, 6, 11)})
    assert find_duplicates([later, ORIGINAL], OPTIONS) == {COPY.id: ORIGINAL.id}
    (story,) = group_stories([later, ORIGINAL], {}, OPTIONS)
    assert story.article_ids == [ORIGINAL.id, COPY.id]
    assert story.duplicate_of == {COPY.id: ORIGINAL.id}


def test_same_day_copy_credits_its_original_source() -> None:
    """Same date: the copy says "(Reuters)", so Reuters is the original, whatever the ids."""
    renamed = ORIGINAL.model_copy(update={"id": "zz-reuters"})
    assert find_duplicates([COPY, renamed], OPTIONS) == {COPY.id: "zz-reuters"}


def test_same_day_copy_crediting_the_agency_by_its_initials_points_at_the_agency() -> None:
    """Both carry the wire's "(VPA)" dateline; only the agency is credited by the other."""
    dateline = "PORT ALMERA (VPA) — "
    wire = ORIGINAL.model_copy(
        update={"id": "zz-wire", "source": "Veldara Press Agency", "text": dateline + PORT_STRIKE}
    )
    paper = COPY.model_copy(update={"id": "aa-paper", "text": dateline + _copy_of_port_strike()})
    assert find_duplicates([paper, wire], OPTIONS) == {"aa-paper": "zz-wire"}


def test_copy_chains_collapse_to_the_root_original() -> None:
    found = find_duplicates([LATER_COPY, COPY, ORIGINAL], OPTIONS)
    assert found == {COPY.id: ORIGINAL.id, LATER_COPY.id: ORIGINAL.id}


def test_independent_reports_quoting_the_same_long_quote_are_not_copies() -> None:
    assert find_duplicates([REPORT_ONE, REPORT_TWO], OPTIONS) == {}


def test_given_duplicates_are_used_and_copies_join_their_original() -> None:
    groups = group_stories([CHILE, TURKEY_A], ANALYSES, OPTIONS, duplicates={CHILE.id: TURKEY_A.id})
    assert len(groups) == 1
    assert groups[0].duplicate_of == {CHILE.id: TURKEY_A.id}


# --------------------------------------------------------------------------- titles


def test_story_title_prefers_a_headline_over_page_furniture_and_originals_over_copies() -> None:
    furniture = TURKEY_B.model_copy(update={"title": "World News"})
    assert story_title([furniture, TURKEY_A]) == TURKEY_A.title
    assert story_title([COPY, ORIGINAL], {COPY.id: ORIGINAL.id}) == ORIGINAL.title


def test_story_title_falls_back_to_the_first_sentence_without_titles() -> None:
    untitled = TURKEY_A.model_copy(update={"title": ""})
    assert story_title([untitled]).startswith("A magnitude 6.8 earthquake struck Malatya")


# --------------------------------------------------------------------------- real example


def _read_example(folder: Path) -> list[Article]:
    """A tiny stand-in for ingest: title = first non-empty line, the rest is the text."""
    articles = []
    for line in (folder / "manifest.jsonl").read_text(encoding="utf-8").splitlines():
        entry = json.loads(line)
        lines = (folder / entry["file"]).read_text(encoding="utf-8").splitlines()
        first = next(i for i, ln in enumerate(lines) if ln.strip())
        articles.append(
            Article(
                id=entry["file"].removesuffix(".txt"),
                source=entry["source"],
                published=date.fromisoformat(entry["published"]),
                title=lines[first].strip(),
                text="\n".join(lines[first + 1 :]).strip(),
            )
        )
    return articles


def test_maduro_trump_call_example_is_one_story_without_duplicates() -> None:
    if not EXAMPLE.is_dir():
        pytest.skip(f"example corpus not found at {EXAMPLE}")
    articles = _read_example(EXAMPLE)
    assert len(articles) == 5
    assert find_duplicates(articles, OPTIONS) == {}
    groups = group_stories(articles, {}, OPTIONS)
    assert len(groups) == 1
    assert sorted(groups[0].article_ids) == sorted(a.id for a in articles)
    assert groups[0].duplicate_of == {}


# --------------------------------------------------------------------------- streaming

DEMO = Path(__file__).resolve().parents[1] / "examples" / "harbour-fire"


def _streamed(articles: Sequence[Article], analyses: dict[str, ArticleAnalysis]) -> StoryIndex:
    index = StoryIndex(OPTIONS)
    for article in articles:
        index.add([article], analyses)
    return index


def _partition(groups: list[StoryGroup]) -> list[list[str]]:
    return sorted(sorted(g.article_ids) for g in groups)


@pytest.fixture(scope="module")
def demo() -> tuple[list[Article], dict[str, ArticleAnalysis]]:
    from crosswire.language import analyze_article
    from crosswire.pipeline import read_and_clean

    articles, errors = read_and_clean([DEMO], OPTIONS)
    assert not errors
    return articles, {a.id: analyze_article(a, OPTIONS) for a in articles}


def test_demo_corpus_filed_one_at_a_time_in_publication_order_equals_batch(
    demo: tuple[list[Article], dict[str, ArticleAnalysis]],
) -> None:
    articles, analyses = demo
    batch = group_stories(articles, analyses, OPTIONS)
    index = _streamed(sorted(articles, key=lambda a: (a.published, a.id)), analyses)
    assert index.groups() == batch  # same ids, members, order and copies
    assert [len(g.article_ids) for g in batch] == [7, 1]  # the fire (with its copy), the derby
    assert index.duplicates() == find_duplicates(articles, OPTIONS)
    assert index.merges == {}


@settings(max_examples=10, deadline=None)
@given(st.randoms(use_true_random=False))
def test_demo_corpus_filed_one_at_a_time_in_any_order_groups_as_batch(
    demo: tuple[list[Article], dict[str, ArticleAnalysis]], rng: random.Random
) -> None:
    articles, analyses = demo
    shuffled = list(articles)
    rng.shuffle(shuffled)
    index = _streamed(shuffled, analyses)
    assert _partition(index.groups()) == _partition(group_stories(articles, analyses, OPTIONS))
    assert index.duplicates() == find_duplicates(articles, OPTIONS)


_TOPICS = [
    "earthquake magnitude struck region buildings collapsed rescue teams rubble injured residents"
    " shaking epicentre aftershocks homes damaged hospital officials survey toll roads",
    "shooting gunman opened fire police officers suspect wounded victims scene witnesses motive"
    " investigation arrested weapon shots fled hospital vigil community sheriff",
    "vote parliament bill lawmakers passed opposition amendment debate majority ministers reform"
    " budget session coalition ballot approved chamber rejected speaker law",
]
_PLACES = [
    "harbour",
    "ferry",
    "bridge",
    "river",
    "station",
    "market",
    "school",
    "stadium",
    "factory",
    "airport",
    "tunnel",
]
_OUTLETS = ["Kessa Times", "Daily Lorvik", "North Wire", "Harbour Post", "Evening Star"]


def _look_alike_events(rng: random.Random) -> tuple[list[Article], dict[str, ArticleAnalysis]]:
    """Eight events over a week, each topic told for two or three of them (look-alikes), each
    event with words and names of its own; a third of the articles are wire copies with a
    credit line, some published a day before the article they copy."""
    articles: list[Article] = []
    analyses: dict[str, ArticleAnalysis] = {}
    start = date(2024, 3, 1)
    for event in range(8):
        topic = _TOPICS[event % 3].split()
        person, place = f"Arlen Voss{event}", f"Lorvik{event}"
        own = [f"{w}{event}" for w in rng.sample(_PLACES, 8)]
        day = start + timedelta(days=rng.randrange(6))
        made: list[Article] = []
        for k in range(rng.randint(3, 6)):
            if made and rng.random() < 0.35:
                copied = rng.choice(made)
                words = copied.text.split()
                words[rng.randrange(len(words))] = "reported"
                text = f"({copied.source}) — " + " ".join(words)
                assert copied.published is not None
                published = copied.published - timedelta(days=rng.randint(0, 1))
            else:
                words = rng.sample(topic, 12) + own + [person, "said", place] * 2
                rng.shuffle(words)
                text = " ".join(words)
                published = day + timedelta(days=rng.randint(0, 2))
            aid = f"e{event}-{k}"
            article = _article(aid, rng.choice(_OUTLETS), published, "", text)
            made.append(article)
            articles.append(article)
            analyses[aid] = _analysis(aid, [(person, "PERSON", 2), (place, "GPE", 2)])
    return articles, analyses


def test_stream_filed_one_at_a_time_in_shuffled_orders_gives_the_batch_stories() -> None:
    # Issue 25: stream and batch agree in any arrival order. Here an early article arriving
    # after later ones, and a copy arriving before the earlier-published article it copies
    # (which batch clusters in its place), both once gave other stories than batch.
    articles, analyses = _look_alike_events(random.Random(5))
    batch = group_stories(articles, analyses, OPTIONS)
    copies = find_duplicates(articles, OPTIONS)
    assert copies and len(batch) > 5
    for seed in range(5):
        shuffled = random.Random(seed).sample(articles, len(articles))
        index = _streamed(shuffled, analyses)
        assert _partition(index.groups()) == _partition(batch), seed
        assert index.duplicates() == copies


def test_add_returns_only_the_stories_that_changed_and_skips_known_articles() -> None:
    index = StoryIndex(OPTIONS)
    (first,) = index.add([TURKEY_A], ANALYSES)
    (chile,) = index.add([CHILE], ANALYSES)
    assert chile.article_ids == [CHILE.id] and chile.id != first.id
    (grown,) = index.add([TURKEY_B, TURKEY_A], ANALYSES)  # TURKEY_A is filed already
    assert grown.id == first.id
    assert grown.article_ids == [TURKEY_A.id, TURKEY_B.id]
    assert index.add([TURKEY_A], ANALYSES) == []
    assert len(index) == 3 and TURKEY_B.id in index
    assert index.story_of(TURKEY_B.id) == first.id and index.story_of("unknown") is None


def test_copy_filed_later_joins_its_original_and_points_at_it() -> None:
    index = StoryIndex(OPTIONS)
    (first,) = index.add([ORIGINAL], {})
    (story,) = index.add([COPY], {})
    (batch,) = group_stories([ORIGINAL, COPY], {}, OPTIONS)
    # same day: listed as batch lists them; the id stays the one the first-filed article gave
    assert story.article_ids == batch.article_ids
    assert story.duplicate_of == batch.duplicate_of == {COPY.id: ORIGINAL.id}
    assert story.id == first.id
    assert index.duplicates() == find_duplicates([ORIGINAL, COPY], OPTIONS)


# A strike (port, union) and a ministry's reaction (minister, parliament) share no names and
# few words: two stories, until a roundup covering both arrives and bridges them.
STRIKE = _article(
    "bridge-strike",
    "Wire One",
    MON,
    "Rotterdam dock workers strike over automation",
    PORT_STRIKE,
)
MINISTER = _article(
    "bridge-minister",
    "Daily Courier",
    MON,
    "Minister promises talks on port robots",
    """Economy minister Anneke Visser told parliament in The Hague on Tuesday that the
    government would bring terminal operators and dock unions to the table within a week.
    Visser said robots would not replace people overnight and that retraining money was
    ready. Opposition leader Pieter Mulder accused the cabinet of waiting too long and asked
    for a debate on Thursday.""",
)
ROUNDUP = _article(
    "bridge-roundup",
    "Evening Post",
    MON,
    "Strike shuts Rotterdam port as minister promises talks",
    PORT_STRIKE.split(".")[0]
    + """. The FNV union said about 2,400 members joined the strike over automation, and
    31 ships waited at anchor. In The Hague, economy minister Anneke Visser told parliament
    the government would bring terminal operators and dock unions to the table within a week,
    and said robots would not replace people overnight. Opposition leader Pieter Mulder
    accused the cabinet of waiting too long.""",
)
BRIDGE_ANALYSES = {
    STRIKE.id: _analysis(
        STRIKE.id,
        [("Rotterdam", "GPE", 2), ("FNV", "ORG", 2), ("Sander de Vries", "PERSON", 1)],
    ),
    MINISTER.id: _analysis(
        MINISTER.id,
        [("Anneke Visser", "PERSON", 2), ("The Hague", "GPE", 1), ("Pieter Mulder", "PERSON", 1)],
    ),
    ROUNDUP.id: _analysis(
        ROUNDUP.id,
        [
            ("Rotterdam", "GPE", 1),
            ("FNV", "ORG", 1),
            ("Anneke Visser", "PERSON", 1),
            ("The Hague", "GPE", 1),
            ("Pieter Mulder", "PERSON", 1),
        ],
    ),
}


def test_article_bridging_two_stories_merges_them_under_the_older_id() -> None:
    index = StoryIndex(OPTIONS)
    (strike,) = index.add([STRIKE], BRIDGE_ANALYSES)
    (minister,) = index.add([MINISTER], BRIDGE_ANALYSES)
    assert strike.id != minister.id  # apart until the roundup comes
    (merged,) = index.add([ROUNDUP], BRIDGE_ANALYSES)
    assert merged.id == strike.id
    assert set(merged.article_ids) == {STRIKE.id, MINISTER.id, ROUNDUP.id}
    assert index.merges == {minister.id: strike.id}
    assert index.story_of(MINISTER.id) == strike.id
    batch = group_stories([STRIKE, MINISTER, ROUNDUP], BRIDGE_ANALYSES, OPTIONS)
    assert _partition(index.groups()) == _partition(batch)


def test_index_restored_from_bytes_files_later_articles_exactly_as_the_original() -> None:
    stream = [TURKEY_A, ORIGINAL, CHILE, STRIKE, MINISTER, TURKEY_B, COPY, ROUNDUP, LATER_COPY]
    analyses = {**ANALYSES, **BRIDGE_ANALYSES}
    kept = StoryIndex(OPTIONS)
    for article in stream[:4]:
        kept.add([article], analyses)
    restored = StoryIndex.from_bytes(kept.to_bytes(), OPTIONS)
    assert restored.groups() == kept.groups()
    for article in stream[4:]:
        assert restored.add([article], analyses) == kept.add([article], analyses)
    assert restored.groups() == kept.groups()
    assert restored.merges == kept.merges
    assert restored.duplicates() == kept.duplicates()
    assert restored.to_bytes() == kept.to_bytes()


def test_index_bytes_refuse_other_story_options_and_anything_but_plain_data() -> None:
    data = StoryIndex(OPTIONS).to_bytes()
    with pytest.raises(ValueError, match="other story options"):
        StoryIndex.from_bytes(data, Options(story_threshold=0.3))
    evil = zlib.compress(pickle.dumps(Options()))  # a class instance: code would run to load it
    with pytest.raises(ValueError, match="plain data"):
        StoryIndex.from_bytes(evil)
    with pytest.raises(ValueError, match="not a story index"):
        StoryIndex.from_bytes(b"not even zlib")


def test_articles_prepared_apart_file_as_added_ones() -> None:
    stream = [TURKEY_A, CHILE, TURKEY_B, ORIGINAL, COPY]
    added = StoryIndex(OPTIONS)
    added.add(stream, ANALYSES)
    prepared = StoryIndex(OPTIONS)
    prepared.add_prepared(prepare_articles(stream, ANALYSES, OPTIONS))
    assert prepared.groups() == added.groups() == group_stories(stream, ANALYSES, OPTIONS)


def _average_link_by_rescan(
    sizes: dict[int, int],
    spans: dict[int, tuple[int, int]],
    links: dict[int, dict[int, float]],
    threshold: float,
    max_days: int,
) -> list[list[int]]:
    """`group_stories`' merging as written there (every pair rescanned after each merge,
    links filtered to the part up front): what `average_link` must give."""
    size = dict(sizes)
    first, last = {k: s[0] for k, s in spans.items()}, {k: s[1] for k, s in spans.items()}
    link = {a: {b: t for b, t in links[a].items() if b in size} for a in size}
    members = {k: [k] for k in size}
    while True:
        merges = [
            (total / (size[a] * size[b]), -a, -b)
            for a in size
            for b, total in link[a].items()
            if a < b and max(last[a], last[b]) - min(first[a], first[b]) <= max_days
        ]
        score, a, b = max(merges, default=(0.0, 0, 0))
        if not merges or score < threshold:
            return [sorted(m) for m in members.values()]
        a, b = -a, -b
        members[a].extend(members.pop(b))
        size[a] += size.pop(b)
        first[a], last[a] = min(first[a], first[b]), max(last[a], last[b])
        gone = link.pop(b)
        gone.pop(a, None)
        link[a].pop(b, None)
        for c, total in gone.items():
            link[a][c] = link[a].get(c, 0.0) + total
            link[c][a] = link[c].get(a, 0.0) + link[c].pop(b)


def test_average_link_with_links_made_on_demand_equals_a_full_rescan() -> None:
    from crosswire.stories.clusters import NO_FIRST, NO_LAST, average_link

    threshold, max_days = 0.18, 10
    rng = random.Random(7)
    for _ in range(300):
        n = rng.randint(2, 25)
        sizes = {k: rng.randint(1, 4) for k in range(n)}
        spans: dict[int, tuple[int, int]] = {}
        for k in range(n):
            if rng.random() < 0.1:
                spans[k] = (NO_FIRST, NO_LAST)  # undated
            else:
                day = rng.randint(0, 25)
                spans[k] = (day, day + rng.randint(0, 4))
        links: dict[int, dict[int, float]] = {k: {} for k in range(n)}
        for a in range(n):
            for b in range(a + 1, n):
                if rng.random() < 0.3:
                    links[a][b] = links[b][a] = rng.uniform(0, 0.5) * sizes[a] * sizes[b]
            if rng.random() < 0.3:  # a weak link out of the part, as clusters have
                links[a][n + a] = 0.01
        strong = {
            a: {
                b
                for b, total in links[a].items()
                if b < n
                and total >= threshold * sizes[a] * sizes[b]
                and max(spans[a][1], spans[b][1]) - min(spans[a][0], spans[b][0]) <= max_days
            }
            for a in range(n)
        }
        expected = _average_link_by_rescan(sizes, spans, links, threshold, max_days)
        assert average_link(sizes, spans, links, strong, threshold, max_days) == expected


def test_copies_found_in_one_add_are_those_found_one_at_a_time() -> None:
    stream = [ORIGINAL, TURKEY_A, COPY, CHILE, LATER_COPY, TURKEY_B]
    together = StoryIndex(OPTIONS)
    together.add(stream, ANALYSES)
    apart = StoryIndex(OPTIONS)
    for article in stream:
        apart.add([article], ANALYSES)
    assert together.duplicates() == apart.duplicates() == find_duplicates(stream, OPTIONS)
    assert together.duplicates()  # the stream does hold copies
