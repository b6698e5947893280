"""The outreach file: the shipped one loads; mistakes name the file, line and key."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.protocol.outreach import OutreachOffer
from hub.outreach import config

GOOD = """\
[limits]
per_day = 3

[[triggers]]
id = "pricing"
url = "https://shop.example.com/pricing*"
after_s = 20
message.en = "Need help?"
message.zh = "需要帮助吗？"

[[triggers]]
id = "churn"
tags = ["Churn-Risk"]
offer = "call"
message.en = "Shall we call you?"
"""


def test_shipped_file_loads() -> None:
    settings = config.load(config.DEFAULT_FILE)
    assert [t.id for t in settings.triggers] == ["pricing-help", "welcome-back",
                                                  "churn-risk-call"]
    assert settings.trigger("churn-risk-call").offer is OutreachOffer.CALL  # type: ignore[union-attr]


def test_no_file_means_no_triggers() -> None:
    assert config.load(None).triggers == ()


def test_parses_conditions_and_languages() -> None:
    settings = config.parse(GOOD)
    assert settings.per_day == 3
    pricing, churn = settings.triggers
    assert pricing.after_s == 20 and pricing.url_matches("https://shop.example.com/pricing/pro")
    assert not pricing.url_matches("https://shop.example.com/about")
    assert pricing.message("zh") == "需要帮助吗？"
    assert churn.message("zh") == "Shall we call you?"  # falls back to English
    assert churn.tags == {"churn-risk"}


@pytest.mark.parametrize(("text", "where", "problem"), [
    (GOOD.replace("after_s = 20", "after_s = -1"), ":7: triggers[0].after_s:", "seconds"),
    (GOOD.replace('offer = "call"', 'offer = "fax"'), ":14: triggers[1].offer:", "unknown offer"),
    (GOOD.replace('message.en = "Shall we call you?"', ''), ":11: triggers[1].message:",
     "required"),
    (GOOD.replace('id = "churn"', 'id = "pricing"'), ":12: triggers[1].id:", "earlier trigger"),
    (GOOD.replace("per_day = 3", "per_dya = 3"), ":2: limits.per_dya:", "unknown key"),
    (GOOD.replace('tags = ["Churn-Risk"]', 'tiers = ["gold"]'), ":13: triggers[1].tiers:",
     "list of tiers"),
    (GOOD.replace('url = "https://shop.example.com/pricing*"\n', ''),
     ":6: triggers[0].after_s:", "needs a url"),
    (GOOD.replace('tags = ["Churn-Risk"]\n', ''), ":12: triggers[1].id:", "needs a condition"),
    (GOOD.replace("[limits]", "[limits"), ":1:", "not valid TOML"),
])
def test_mistakes_name_file_line_and_key(text: str, where: str, problem: str) -> None:
    with pytest.raises(config.OutreachConfigError) as caught:
        config.parse(text, "site/outreach.toml")
    message = str(caught.value)
    assert message.startswith("site/outreach.toml" + where), message
    assert problem in message


def test_unreadable_file_is_named(tmp_path: Path) -> None:
    missing = tmp_path / "nope.toml"
    with pytest.raises(config.OutreachConfigError, match=r"nope\.toml: cannot read"):
        config.load(missing)


def test_bad_file_stops_the_hub_with_file_line_and_key(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from hub.cli import main

    bad = tmp_path / "outreach.toml"
    bad.write_text(GOOD.replace('offer = "call"', 'offer = "fax"'), encoding="utf-8")
    code = main(["serve", "--db", str(tmp_path / "h.db"), "--port", "0", "--outreach", str(bad)])
    assert code == 2
    assert f"{bad}:14: triggers[1].offer: unknown offer 'fax'" in capsys.readouterr().err
