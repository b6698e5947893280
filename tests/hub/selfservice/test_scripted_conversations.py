"""The scripted conversations of the self-service benchmark (bench/data/selfservice:
questions the knowledge base answers, ones it does not, angry customers, people
asked for, easy mode) against a real hub with the bot on: none that should reach a
person stays with the bot, even where the bot answered a question it should not
have (the customer then says "No" to its answers), and every question the scripts
expect the bot to answer is answered and confirmed."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path

from bench.selfservice_bench import bot_routing, load_conversations, play_all, reaches_person
from hub.process import HubProcess


def test_no_conversation_that_should_reach_a_person_stays_with_the_bot(
        make_hub: Callable[..., HubProcess], tmp_path: Path) -> None:
    config = tmp_path / "routing.toml"
    config.write_text(bot_routing(), encoding="utf-8")
    hub = make_hub("--routing-config", str(config), "--new-visitors-per-minute", "100000")
    scripts = load_conversations()
    result = asyncio.run(play_all(hub.customer_ws_url, scripts))

    should = [s for s in scripts if reaches_person(s["expect"])]
    assert result["should_reach_person"] == len(should) >= 20
    assert {s["expect"] for s in should} >= {"handoff:asked", "handoff:declined",
                                              "handoff:no_answer", "handoff:sentiment",
                                              "handoff:easy_mode"}
    assert result["stuck_with_bot"] == []
    # the angry, the complaining, the ones asking for a person: at once, for that reason
    at_once = [r for r in result["wrong"]
               if r["expect"] in ("handoff:asked", "handoff:sentiment", "handoff:easy_mode")]
    assert at_once == []
    contained = sum(s["expect"] == "contained" for s in scripts)
    assert result["contained_when_expected"] == f"{contained}/{contained}", result["wrong"]
