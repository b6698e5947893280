"""The reports file (``reports.toml``): the weekly report's schedule and mailing
list, and how long each kind of stored data is kept. Validated; an error names
the key and says what is wrong."""

from __future__ import annotations

import enum
import tomllib
from dataclasses import dataclass, field
from email.utils import parseaddr
from pathlib import Path
from typing import Any

DEFAULT_PATH = Path(__file__).with_name("reports.toml")
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


class ReportsConfigError(ValueError):
    """The reports file cannot be used (the message names the file and key)."""


class DataKind(enum.StrEnum):
    CONVERSATIONS = "conversations"
    TRANSCRIPTS = "transcripts"
    RECORDINGS = "recordings"
    SCORES = "scores"


@dataclass(frozen=True)
class WeeklySettings:
    enabled: bool = True
    weekday: int = 0  # Monday
    hour: int = 6
    out_dir: str = ""
    email_to: tuple[str, ...] = ()


@dataclass(frozen=True)
class RetentionSettings:
    hour: int = 3
    days: dict[DataKind, int] = field(default_factory=lambda: {
        DataKind.CONVERSATIONS: 1095, DataKind.TRANSCRIPTS: 365,
        DataKind.RECORDINGS: 365, DataKind.SCORES: 730})


@dataclass(frozen=True)
class ReportsSettings:
    weekly: WeeklySettings = WeeklySettings()
    retention: RetentionSettings = RetentionSettings()
    source: str = "<defaults>"


def load(path: Path | str | None = None) -> ReportsSettings:
    where = Path(path) if path is not None else DEFAULT_PATH
    try:
        data = tomllib.loads(where.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ReportsConfigError(f"{where}: cannot read: {exc.strerror}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ReportsConfigError(f"{where}: not valid TOML: {exc}") from None
    return parse(data, str(where))


def _int(section: dict[str, Any], key: str, where: str, low: int, high: int, default: int
         ) -> int:
    value = section.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ReportsConfigError(f"{where}: {key} must be a whole number from {low} to {high}")
    return value


def _section(data: dict[str, Any], name: str, source: str, known: set[str]) -> dict[str, Any]:
    section = data.get(name, {})
    if not isinstance(section, dict):
        raise ReportsConfigError(f"{source}: [{name}] must be a table")
    unknown = sorted(set(section) - known)
    if unknown:
        raise ReportsConfigError(f"{source}: [{name}] has unknown keys: {', '.join(unknown)}")
    return section


def parse(data: dict[str, Any], source: str = "<reports>") -> ReportsSettings:
    unknown = sorted(set(data) - {"weekly", "retention"})
    if unknown:
        raise ReportsConfigError(f"{source}: unknown sections: {', '.join(unknown)}")
    w = _section(data, "weekly", source, {"enabled", "weekday", "hour", "out_dir", "email_to"})
    where = f"{source} [weekly]"
    enabled = w.get("enabled", True)
    if not isinstance(enabled, bool):
        raise ReportsConfigError(f"{where}: enabled must be true or false")
    day = w.get("weekday", "monday")
    if not isinstance(day, str) or day.lower() not in WEEKDAYS:
        raise ReportsConfigError(f"{where}: weekday must be one of {', '.join(WEEKDAYS)}")
    out_dir = w.get("out_dir", "")
    if not isinstance(out_dir, str):
        raise ReportsConfigError(f"{where}: out_dir must be a string")
    to = w.get("email_to", [])
    if not isinstance(to, list) or not all(isinstance(a, str) for a in to):
        raise ReportsConfigError(f"{where}: email_to must be a list of addresses")
    for address in to:
        if "@" not in parseaddr(address)[1]:
            raise ReportsConfigError(f"{where}: email_to: not an address: {address!r}")
    weekly = WeeklySettings(enabled, WEEKDAYS.index(day.lower()),
                            _int(w, "hour", where, 0, 23, 6), out_dir, tuple(to))
    kinds = {f"{k.value}_days" for k in DataKind}
    r = _section(data, "retention", source, {"hour", *kinds})
    where = f"{source} [retention]"
    defaults = RetentionSettings().days
    days = {k: _int(r, f"{k.value}_days", where, 0, 36_500, defaults[k]) for k in DataKind}
    conv, text = days[DataKind.CONVERSATIONS], days[DataKind.TRANSCRIPTS]
    if conv and text and text > conv:
        raise ReportsConfigError(f"{where}: transcripts_days ({text}) cannot be longer than "
                                 f"conversations_days ({conv}): the text goes with them")
    return ReportsSettings(weekly, RetentionSettings(_int(r, "hour", where, 0, 23, 3), days),
                           source)
