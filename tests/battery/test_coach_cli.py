"""``runcompanion cues SESSION --feeling N`` and ``runcompanion programs script PROGRAM``, as a runner types them."""

from __future__ import annotations

import json
from collections import Counter

import pytest

from tests.battery import Cli, assert_one_line_error


@pytest.fixture(scope="module")
def cli(tmp_path_factory: pytest.TempPathFactory) -> Cli:
    return Cli.at(tmp_path_factory.mktemp("coach") / "home")


@pytest.mark.timeout(300)
def test_the_c25k_script_meets_the_repeat_goal_and_names_its_milestones(cli: Cli) -> None:
    script = json.loads(cli.ok("programs", "script", "c25k", "--json"))

    runs = script["runs"]
    assert len(runs) == 27
    heard = [[c["cue_id"] for c in run["cues"] if c["kind"] in LIBRARY] for run in runs]
    for start in range(len(heard)):
        window = [cue for run in heard[start : start + 10] for cue in run]
        assert len(window) == len(set(window))
    assert max(Counter(cue for run in heard for cue in run).values()) <= 2
    assert script["summary"]["repeats_within_10_runs"] == 0
    milestones = {run["session_id"]: run["milestone"] for run in runs if run["milestone"]}
    assert set(milestones) == {"c25k-w1-r1", "c25k-w5-r3", "c25k-w9-r3"}
    for run in runs:
        said = " ".join(c["text"] for c in run["cues"])
        assert "\u00b7" not in said
        assert f"Week {run['week']}, run {run['run']}." in said


LIBRARY = {"mindfulness", "motivation", "science", "reflection", "personal"}


def test_the_script_is_the_same_for_a_seed_and_readable_as_text(cli: Cli) -> None:
    text = cli.ok("programs", "script", "small-steps", "--seed", "4")

    assert text == cli.ok("programs", "script", "small-steps", "--seed", "4")
    assert "== Week 1, run 1" in text
    assert "repeated within 10 runs" in text.splitlines()[-1]


def test_an_unknown_program_is_one_line(cli: Cli) -> None:
    assert_one_line_error(cli.run("programs", "script", "couch-to-marathon"), "couch-to-marathon")


@pytest.mark.timeout(300)
def test_a_low_check_in_makes_the_next_run_gentle_and_offers_a_shorter_one(cli: Cli) -> None:
    low = json.loads(cli.ok("cues", "first-walk-run", "--feeling", "-3", "--json"))
    usual = json.loads(cli.ok("cues", "first-walk-run", "--json"))

    briefing = next(c["text"] for c in low["cues"] if c["kind"] == "briefing")
    assert "small steps count" in briefing.lower()
    assert "stop" in briefing
    assert low["feeling"] == -3
    assert 0 < low["shorter_offer_s"] < low["total_s"]
    assert usual["shorter_offer_s"] is None
    assert "small steps count" not in next(c["text"] for c in usual["cues"] if c["kind"] == "briefing").lower()
    shown = cli.ok("cues", "first-walk-run", "--feeling", "-3")
    assert "shorter version" in shown


@pytest.mark.parametrize("value", ["7", "-6", "low", "1.5"])
def test_a_feeling_outside_the_scale_is_one_line(cli: Cli, value: str) -> None:
    assert_one_line_error(cli.run("cues", "first-walk-run", "--feeling", value), "-5 to 5")
