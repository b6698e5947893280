"""The files an operator writes (routing, follow-ups, profile rules, escalation and
quality rules, thresholds, reports, roles): whatever they hold, loading gives the
settings or the file's own documented error, never another exception, quickly."""

from __future__ import annotations

import contextlib
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hub.access import roles_file
from hub.assist import escalation_rules
from hub.followups import config as followups_config
from hub.profile import config as profile_config
from hub.routing import config as routing_config
from hub.supervision import thresholds
from hub.supervision.quality import rules as quality_rules
from hub.supervision.reports import settings as reports_settings
from tests.support.fuzzing import ROUND, for_a_while, mutated, to_toml

ROLES_SAMPLE = """\
[roles.qa_analyst]
description = "Reviews quality"
like = "agent"
permissions = ["qa.review", "reports"]
without = ["transfer"]
"""

QUEUES = [q.id for q in routing_config.load().queues]
# name -> (shipped text, load(path), the documented error)
FILES: dict[str, tuple[str, Callable[[Path], Any], type[Exception]]] = {
    "routing": (routing_config.DEFAULT_PATH.read_text(), routing_config.load,
                routing_config.RoutingConfigError),
    "followups": (routing_config.DEFAULT_PATH.read_text(), followups_config.load,
                  routing_config.RoutingConfigError),
    "profile": (profile_config.DEFAULT_PATH.read_text(), profile_config.load,
                profile_config.ProfileConfigError),
    "escalation": (escalation_rules.DEFAULT_PATH.read_text(), escalation_rules.load,
                   escalation_rules.RulesError),
    "quality": (quality_rules.DEFAULT_PATH.read_text(), quality_rules.load,
                quality_rules.QualityRulesError),
    "thresholds": (thresholds.DEFAULT_PATH.read_text(),
                   lambda path: thresholds.load(path, QUEUES),
                   thresholds.ThresholdsError),
    "reports": (reports_settings.DEFAULT_PATH.read_text(), reports_settings.load,
                reports_settings.ReportsConfigError),
    "roles": (ROLES_SAMPLE, roles_file.load, roles_file.RolesFileError),
}


@st.composite
def _edited_text(draw: st.DrawFn, text: str) -> str:
    """The file's text with a few characters inserted, removed or replaced."""
    chars = list(text)
    for _ in range(draw(st.integers(1, 5))):
        at = draw(st.integers(0, len(chars)))
        how = draw(st.sampled_from(["insert", "remove", "replace"]))
        piece = draw(st.sampled_from(['"', "'", "[", "]", "=", "\n", "#", "{", "}", ",",
                                      "-1", "1e999", "\x00", "\\u0000", "[[", "\ufeff"])
                     | st.text(max_size=3))
        if how == "insert":
            chars[at:at] = list(piece)
        elif how == "remove":
            del chars[at:at + draw(st.integers(1, 20))]
        else:
            chars[at:at + len(piece)] = list(piece)
    return "".join(chars)


@pytest.mark.parametrize("name", sorted(FILES))
def test_a_settings_file_loads_or_says_what_is_wrong(name: str, tmp_path: Path) -> None:
    text, load, error = FILES[name]
    load_text = tmp_path / f"{name}.toml"
    load_text.write_text(text)
    load(load_text)  # the shipped file itself loads
    base = tomllib.loads(text)

    @ROUND
    @given(st.one_of(mutated(base).map(to_toml), _edited_text(text), st.text(max_size=200)))
    def round_(candidate: str) -> None:
        load_text.write_text(candidate, encoding="utf-8", errors="surrogatepass")
        with contextlib.suppress(error):
            load(load_text)

    assert for_a_while(round_) >= 1
