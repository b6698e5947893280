"""The thresholds file: defaults, per-queue overrides, clear errors, and judging."""

from __future__ import annotations

import pytest

from core.protocol import supervision as sp
from hub.supervision.thresholds import DEFAULT_PATH, ThresholdsError, judge, load, parse

QUEUES = ["chat", "voice", "complaints", "billing", "email"]


def test_the_shipped_file_loads_with_overrides() -> None:
    settings = load(DEFAULT_PATH, QUEUES)
    assert settings.short_abandon_s == 5
    assert settings.of("voice").waiting_red == 8
    assert settings.of("voice").service_level_amber == 80  # from the defaults
    assert settings.of("chat").waiting_red == 15 and settings.of("chat").queue_id == "chat"


@pytest.mark.parametrize(("text", "message"), [
    ("[queues.nope]\nwaiting_red = 3", "queues.nope: no such queue"),
    ("[defaults]\nwaitng_red = 3", "defaults.waitng_red: unknown key"),
    ("[defaults]\nwaiting_red = -1", "defaults.waiting_red: must be a number, 0 or more"),
    ("[defaults]\nwaiting_red = true", "defaults.waiting_red: must be a number"),
    ("[defaults]\nservice_level_amber = 120", "service_level_amber: is a percentage"),
    ("[queues.chat]\nwaiting_amber = 20", "queues.chat.waiting_red: must be at least "
                                          "waiting_amber (20)"),
    ("[defaults]\nservice_level_red = 90", "service_level_red: must not be above "
                                           "service_level_amber (80)"),
    ("short_abandon_s = 'x'", "short_abandon_s: must be a number of seconds"),
    ("colour = 1", "colour: unknown key"),
    ("[defaults", "not valid TOML"),
])
def test_bad_files_get_errors_that_name_the_key(text: str, message: str) -> None:
    with pytest.raises(ThresholdsError, match="thresholds: ") as caught:
        parse(text, QUEUES)
    assert message in str(caught.value)


def test_a_missing_file_says_so(tmp_path: object) -> None:
    with pytest.raises(ThresholdsError, match="cannot be read"):
        load("/nonexistent/thresholds.toml", QUEUES)


def test_judging_a_tile() -> None:
    lines = parse("", QUEUES).of("chat")  # 80/60 %, waiting 5/15, escalations 1/3
    tile = sp.Tile(key="queue:chat", kind=sp.TileKind.QUEUE)
    assert judge(tile, lines) == (sp.AlertLevel.OK, [])  # nothing measured: no alarm
    tile.service_level_pct, tile.service_level_recent_pct = 90.0, 70.0  # recent counts
    assert judge(tile, lines) == (sp.AlertLevel.AMBER, [sp.AlertCause.SERVICE_LEVEL])
    tile.escalations = 3
    assert judge(tile, lines) == (sp.AlertLevel.RED, [sp.AlertCause.SERVICE_LEVEL,
                                                      sp.AlertCause.ESCALATIONS])
    tile.service_level_recent_pct, tile.escalations, tile.waiting = None, 0, 5
    assert judge(tile, lines) == (sp.AlertLevel.AMBER, [sp.AlertCause.WAITING])  # today's 90 % ok
