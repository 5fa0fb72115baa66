"""The shipped cue packs: enough cues of every kind, kind words, named sources, and fit for a treadmill."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from runcompanion.core.cue_library import LIBRARY_KINDS, CueLibrary, load_cue_library, parse_cue_pack
from runcompanion.core.cue_scheduler import CueSettings, schedule_cues
from runcompanion.core.cue_timeline import CueDensity, CueKind
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

# The research a science cue may rest on: the papers of the seeds' reference lists (and the mouse study the
# physical therapist's article describes). The articles themselves are not sources of science: the lawyer's
# opinion piece, the running blog, the physical therapist's article, the health site's explainer.
KNOWN_SOURCES = ("Noetel M", "Raichlen DA", "Hird EJ", "Jemni M", "Kandola A", "Khrimian L")
NOT_SCIENCE = ("Schrag", "plbedford", "running blog", "Kana", "Trish", "Linden", "Johns Hopkins", "blog", "article")
RESEARCH = re.compile(r"^[A-Z][A-Za-z-]+ [A-Z]{1,3} et al\. \((19|20)\d\d\)\. .+\. doi:10\.\d{4,}/\S+$")
"""A source as a paper is cited: first author, year, title, journal, DOI."""
# Spoken, a science cue says who found it in plain words; the journal and year belong in the caption.
WHO_FOUND_IT = re.compile(r"\b(review|researchers?|study|studies|trials|scientists|team|lab)\b", re.I)
JOURNALS = ("BMJ", "Frontiers", "Psychiatry", "Journal of", "Johns Hopkins", "Translational")


def _words(text: str) -> int:
    return len(text.split())


@pytest.fixture(scope="module")
def library() -> CueLibrary:
    return load_cue_library((path.name, path.read_bytes()) for path in PACKS)


def test_there_are_packs_for_every_kind() -> None:
    assert {path.stem for path in PACKS} == {"mindfulness", "motivation", "science", "reflection"}


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


# The coach draws each cue on its own, across runs weeks apart: a cue that points back at another ("in the same
# study") is heard without the one it points at.
POINTS_BACK = re.compile(
    r"\b(the same (treadmill )?(study|review|trial|team|lab|researchers)|(that|this|those) (large )?"
    r"(study|studies|review|trial|trials|research|team)|as (mentioned|said) (before|earlier))\b",
    re.I,
)


def test_every_cue_stands_on_its_own(library: CueLibrary) -> None:
    pointing = [cue.id for cue in library if POINTS_BACK.search(cue.text)]

    assert pointing == []


def test_the_stand_alone_check_catches_a_cue_that_points_back() -> None:
    assert POINTS_BACK.search("In the same study, dogs showed a rise.")
    assert POINTS_BACK.search("The team behind that large review concluded so.")
    assert not POINTS_BACK.search("A treadmill study found that dogs showed a rise.")


def test_no_banned_words(library: CueLibrary) -> None:
    for cue in library:
        for pattern in BANNED:
            assert not re.search(pattern, cue.text, re.IGNORECASE), f"{cue.id}: {pattern}"
        # Sources are paper titles, which may well say "antidepressant"; they must still sell nothing.
        for pattern in SELLING:
            assert not re.search(pattern, cue.source, re.IGNORECASE), f"{cue.id} source: {pattern}"


def test_every_science_cue_names_a_known_source_and_its_claim(library: CueLibrary) -> None:
    for cue in library.by_kind(CueKind.SCIENCE):
        assert any(cue.source.startswith(author) for author in KNOWN_SOURCES), f"{cue.id}: {cue.source}"
        assert not any(name in cue.source or name in cue.text for name in NOT_SCIENCE), cue.id
        assert len(cue.claim.split()) >= 8, f"{cue.id}: say exactly what the source supports"


def test_no_cue_names_a_source_that_is_not_research(library: CueLibrary) -> None:
    # Every part of every source is a paper with its DOI: a second, non-research source after a ";" (an
    # article "describing" the study, a health site) is refused as firmly as a first one.
    for cue in library:
        for part in filter(None, (p.strip() for p in cue.source.split(";"))):
            assert RESEARCH.match(part), f"{cue.id}: not a research citation: {part}"
        named = f"{cue.source} {cue.text} {cue.claim}".lower()
        assert not any(name.lower() in named for name in NOT_SCIENCE), cue.id


def test_only_science_cues_have_sources(library: CueLibrary) -> None:
    assert [cue.id for cue in library if cue.source and cue.kind is not CueKind.SCIENCE] == []


def test_science_is_spoken_in_plain_words_with_the_journal_left_to_the_caption(library: CueLibrary) -> None:
    for cue in library.by_kind(CueKind.SCIENCE):
        assert WHO_FOUND_IT.search(cue.text), f"{cue.id}: say who found it"
        assert not any(journal in cue.text for journal in JOURNALS), cue.id
        assert not re.search(r"\b(19|20)\d\d\b", cue.text), f"{cue.id}: the year belongs in the caption"


def test_facts_stay_no_stronger_than_their_sources(library: CueLibrary) -> None:
    science = {cue.id: cue.text.lower() for cue in library.by_kind(CueKind.SCIENCE)}
    text = " ".join(science.values())
    assert "as effective as" not in text
    assert "serotonin" not in text  # the sources support dopamine (a proposal), not serotonin claims
    for cue_id, spoken in science.items():
        if "bdnf" in spoken or "growth protein" in spoken:
            assert "blood" in spoken, f"{cue_id}: BDNF was measured in the blood"
        if "osteocalcin" in spoken:
            assert "mice" in spoken, f"{cue_id}: this is mouse research"
        if "endorphin" in spoken:
            assert "endorphins in the blood" in spoken, cue_id
        if "cortisol" in spoken:
            assert "rise" in spoken, f"{cue_id}: stress hormones rise during a run"
        if "depression" in spoken and ("trials" in spoken or "review" in spoken):
            assert "people with depression" in spoken or "in depression" in spoken, cue_id
    assert text.count("bdnf") <= 2, "the letters B D N F are spoken at most where they are explained"


def test_every_science_cue_is_listed_in_the_docs_with_source_and_claim(library: CueLibrary) -> None:
    docs = " ".join((ROOT / "docs" / "cues.md").read_text(encoding="utf-8").split())

    for cue in library.by_kind(CueKind.SCIENCE):
        assert f"`{cue.id}`" in docs, cue.id
        assert cue.claim in docs, cue.id
        assert cue.source.split(".")[0] in docs, cue.id


def test_the_science_covers_the_topics(library: CueLibrary) -> None:
    text = " ".join(cue.text.lower() for cue in library.by_kind(CueKind.SCIENCE))

    for topic in (
        "bdnf",
        "endocannabinoid",
        "endorphin",
        "blood",
        "dopamine",
        "osteocalcin",
        "cortisol",
        "anxiety",
        "depression",
    ):
        assert topic in text, topic


def test_hard_effort_cues_are_short_and_rest_is_always_offered(library: CueLibrary) -> None:
    hard = [cue for cue in library if "hard" in cue.tags]
    rest = [cue for cue in library if "rest" in cue.tags]

    assert len(hard) >= 12
    assert all(_words(cue.text) <= 8 for cue in hard)
    assert len(rest) >= 6


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
    said = [c.text for c in library_cues]
    assert len(said) == len(set(said))
