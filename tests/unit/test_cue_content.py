"""The shipped cue packs: enough cues of every kind, kind words, named sources, and fit for a treadmill."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from runcompanion.core.cue_library import LIBRARY_KINDS, CueLibrary, load_cue_library, parse_cue_pack
from runcompanion.core.cue_scheduler import CueDensity, CueSettings, schedule_cues
from runcompanion.core.cue_timeline import CueKind
from runcompanion.core.session_plan import Segment, SegmentKind, SessionPlan

ROOT = Path(__file__).resolve().parents[2]
PACK_DIR = ROOT / "resources" / "cues"
PACKS = sorted(PACK_DIR.glob("*.toml"))

# Words that shame, sell, diagnose or promise; matched as whole words or word starts where marked.
BANNED = [
    r"supplement",
    r"\bbuy",
    r"discount",
    r"\bcure[sd]?\b",
    r"diagnos",
    r"should have",
    r"you should",
    r"\blazy",
    r"\bfail",
    r"\bweak",
    r"\bfat\b",
    r"calorie",
    r"weight loss",
    r"no excuses",
    r"\bpills?\b",
    r"medication",
    r"antidepressant",
    r"\btreat",
    r"vitamin",
    r"\biron\b",
    r"curcumin",
    r"carnitine",
    r"runstrong",
    r"\bprice",
    r"\bsale\b",
    r"\bpush through the pain",
]

SELLING = [
    r"supplement",
    r"\bbuy",
    r"discount",
    r"vitamin",
    r"\biron\b",
    r"curcumin",
    r"carnitine",
    r"runstrong",
]

# Each science source and the words by which a cue's text may name it.
SOURCE_MARKERS = {
    "Noetel M": ("BMJ",),
    "Raichlen DA": ("Journal of Experimental Biology", "Wired to Run", "2012"),
    "Linden DJ": ("Johns Hopkins",),
    "Hird EJ": ("Translational Psychiatry",),
    "Jemni M": ("Frontiers in Physiology",),
    "Kandola A": ("Current Psychiatry Reports",),
    "Kana T": ("Trish Kana", "Kandel"),
    "plbedford": ("running blog",),
    "Schrag A": ("Alison Schrag",),
}


def _words(text: str) -> int:
    return len(text.split())


@pytest.fixture(scope="module")
def library() -> CueLibrary:
    return load_cue_library((path.name, path.read_bytes()) for path in PACKS)


def test_there_are_packs_for_every_kind() -> None:
    assert {path.stem for path in PACKS} >= {"mindfulness", "motivation", "science", "reflection"}


@pytest.mark.parametrize("path", PACKS, ids=lambda p: p.name)
def test_every_pack_parses_and_keeps_to_its_kind(path: Path) -> None:
    pack = parse_cue_pack(path.read_bytes(), path.name)

    assert len(pack) >= 20
    assert {cue.kind.value for cue in pack} == {path.stem}


def test_enough_cues_of_every_kind(library: CueLibrary) -> None:
    counts = Counter(cue.kind for cue in library)

    assert len(library) >= 130
    for kind in LIBRARY_KINDS:
        assert counts[kind] >= 20, kind


def test_ids_are_unique_slugs(library: CueLibrary) -> None:
    ids = [cue.id for cue in library]

    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"[a-z0-9][a-z0-9-]*", cue_id) for cue_id in ids)


def test_no_text_twice(library: CueLibrary) -> None:
    normalized = [re.sub(r"[^a-z0-9 ]", "", cue.text.lower()) for cue in library]

    assert len(normalized) == len(set(normalized))


def test_texts_are_short_enough_to_speak(library: CueLibrary) -> None:
    too_long = [cue.id for cue in library if _words(cue.text) > 30]
    short = [cue for cue in library if _words(cue.text) <= 20]

    assert too_long == []
    assert len(short) >= 0.75 * len(library), "most cues should be under 20 words"


def test_texts_read_well_aloud(library: CueLibrary) -> None:
    for cue in library:
        assert cue.text[0].isupper() or cue.text[0].isdigit(), cue.id
        assert cue.text[-1] in ".?!", cue.id
        assert not re.search(r"[%&/#*_]|e\.g\.|i\.e\.|\betc\b", cue.text), cue.id


def test_no_banned_words(library: CueLibrary) -> None:
    for cue in library:
        for pattern in BANNED:
            assert not re.search(pattern, cue.text, re.IGNORECASE), f"{cue.id}: {pattern}"
        # Sources are paper titles, which may well say "antidepressant"; they must still sell nothing.
        for pattern in SELLING:
            assert not re.search(pattern, cue.source, re.IGNORECASE), f"{cue.id} source: {pattern}"


def test_every_science_cue_names_a_known_source(library: CueLibrary) -> None:
    for cue in library.by_kind(CueKind.SCIENCE):
        assert cue.source, cue.id
        assert any(cue.source.startswith(author) for author in SOURCE_MARKERS), f"{cue.id}: {cue.source}"


def test_only_science_cues_have_sources(library: CueLibrary) -> None:
    assert [cue.id for cue in library if cue.source and cue.kind is not CueKind.SCIENCE] == []


def test_most_science_cues_say_where_the_fact_comes_from(library: CueLibrary) -> None:
    science = library.by_kind(CueKind.SCIENCE)
    named = [
        cue
        for cue in science
        for author, markers in SOURCE_MARKERS.items()
        if cue.source.startswith(author) and any(marker.lower() in cue.text.lower() for marker in markers)
    ]

    assert len(named) >= 0.8 * len(science)


def test_every_source_is_listed_in_the_docs(library: CueLibrary) -> None:
    docs = (ROOT / "docs" / "cues.md").read_text(encoding="utf-8")

    for author in {cue.source.split(".")[0] for cue in library.by_kind(CueKind.SCIENCE)}:
        assert author in docs, author


def test_the_science_covers_the_topics(library: CueLibrary) -> None:
    text = " ".join(cue.text.lower() for cue in library.by_kind(CueKind.SCIENCE))

    for topic in (
        "bdnf",
        "endocannabinoid",
        "endorphin",
        "blood",
        "vessels",
        "serotonin",
        "dopamine",
        "hippocampus",
        "osteocalcin",
        "cortisol",
        "intervals",
        "sprint",
        "happier",
    ):
        assert topic in text, topic


@pytest.mark.parametrize("effort", [7, 8, 9, 10])
def test_breath_counting_body_scans_and_long_cues_stay_out_of_sprints(library: CueLibrary, effort: int) -> None:
    sprint = Segment(SegmentKind.RUN, 30, effort=effort, speed_kmh=16)

    fitting = library.fitting(sprint, elapsed_s=10_000)

    for cue in fitting:
        assert not cue.id.startswith(("breath-count", "body-scan")), cue.id
        assert _words(cue.text) <= 20, cue.id
    assert len(fitting) >= 10, "a sprint still needs a few short cues"


def test_every_segment_kind_has_cues_of_several_kinds(library: CueLibrary) -> None:
    for kind in SegmentKind:
        fitting = library.fitting(Segment(kind, 600, effort=3), elapsed_s=10_000)
        assert len({cue.kind for cue in fitting}) == 4, kind


@pytest.mark.parametrize("seed", range(6))
def test_a_real_session_with_the_shipped_cues(library: CueLibrary, seed: int) -> None:
    segments = [Segment(SegmentKind.WARMUP, 300, speed_kmh=5.5)]
    for _ in range(8):
        segments += [
            Segment(SegmentKind.RUN, 90, speed_kmh=10, effort=7),
            Segment(SegmentKind.WALK, 120, speed_kmh=5.5),
        ]
    segments.append(Segment(SegmentKind.RUN, 900, speed_kmh=9, effort=5))
    segments.append(Segment(SegmentKind.COOLDOWN, 420, speed_kmh=5))
    plan = SessionPlan(id="real", name="Mixed session", segments=tuple(segments), tags=("mindful",))

    timeline = schedule_cues(
        plan, library, CueSettings(density=CueDensity.REGULAR), seed, lambda text: 0.4 + 0.06 * len(text)
    )

    library_cues = [c for c in timeline.cues if c.kind in LIBRARY_KINDS]
    assert len(library_cues) >= 10
    assert len({c.kind for c in library_cues}) >= 3
    for cue in library_cues:
        segment = plan.segments[cue.segment_index]
        if segment.effort is not None and segment.effort >= 7:
            assert cue.kind is not CueKind.SCIENCE
            assert _words(cue.text) <= 20
    spoken = timeline.spoken_texts()
    assert len(spoken) == len(set(spoken))
