"""Per-queue thresholds of the supervisor's tiles (hub/supervision_thresholds.toml):
loaded and checked with errors that name the key, and applied to a tile.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import msgspec

from core.protocol.supervision import AlertCause, AlertLevel, Thresholds, Tile

DEFAULT_PATH = Path(__file__).resolve().parent.parent / "supervision_thresholds.toml"
_LINES = ("service_level_amber", "service_level_red", "waiting_amber", "waiting_red",
          "escalations_amber", "escalations_red")
_BUILT_IN = {"service_level_amber": 80.0, "service_level_red": 60.0, "waiting_amber": 5,
             "waiting_red": 15, "escalations_amber": 1, "escalations_red": 3}


class ThresholdsError(ValueError):
    def __init__(self, file: str, key: str, message: str) -> None:
        super().__init__(f"{file}: {key}: {message}" if key else f"{file}: {message}")


@dataclass(frozen=True)
class ThresholdSettings:
    short_abandon_s: float
    defaults: Thresholds
    queues: dict[str, Thresholds]

    def of(self, queue_id: str | None) -> Thresholds:
        found = self.queues.get(queue_id or "")
        return found if found is not None else msgspec.structs.replace(
            self.defaults, queue_id=queue_id or "")


def _lines(file: str, path: str, data: Any, base: dict[str, float]) -> dict[str, float]:
    if not isinstance(data, dict):
        raise ThresholdsError(file, path, "must be a table")
    out = dict(base)
    for key, value in data.items():
        if key not in _LINES:
            raise ThresholdsError(file, f"{path}.{key}",
                                  f"unknown key; use one of {', '.join(_LINES)}")
        if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
            raise ThresholdsError(file, f"{path}.{key}", "must be a number, 0 or more")
        if key.startswith("service_level") and value > 100:
            raise ThresholdsError(file, f"{path}.{key}", "is a percentage: 0 to 100")
        out[key] = value
    if out["service_level_red"] > out["service_level_amber"]:
        amber = out["service_level_amber"]
        raise ThresholdsError(file, f"{path}.service_level_red",
                              f"must not be above service_level_amber ({amber:g})")
    for name in ("waiting", "escalations"):
        if out[f"{name}_red"] < out[f"{name}_amber"]:
            raise ThresholdsError(file, f"{path}.{name}_red",
                                  f"must be at least {name}_amber ({out[f'{name}_amber']:g})")
    return out


def _struct(queue_id: str, lines: dict[str, float]) -> Thresholds:
    return Thresholds(queue_id=queue_id,
                      service_level_amber=float(lines["service_level_amber"]),
                      service_level_red=float(lines["service_level_red"]),
                      waiting_amber=int(lines["waiting_amber"]),
                      waiting_red=int(lines["waiting_red"]),
                      escalations_amber=int(lines["escalations_amber"]),
                      escalations_red=int(lines["escalations_red"]))


def parse(text: str, queue_ids: Iterable[str], file: str = "thresholds") -> ThresholdSettings:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ThresholdsError(file, "", f"not valid TOML ({exc})") from None
    unknown = set(data) - {"short_abandon_s", "defaults", "queues"}
    if unknown:
        raise ThresholdsError(file, sorted(unknown)[0], "unknown key")
    short = data.get("short_abandon_s", 5)
    if isinstance(short, bool) or not isinstance(short, int | float) or short < 0:
        raise ThresholdsError(file, "short_abandon_s", "must be a number of seconds, 0 or more")
    defaults = _lines(file, "defaults", data.get("defaults", {}), _BUILT_IN)
    queues_data = data.get("queues", {})
    if not isinstance(queues_data, dict):
        raise ThresholdsError(file, "queues", "must be a table of queue tables")
    known = set(queue_ids)
    queues = {}
    for queue_id, table in queues_data.items():
        if queue_id not in known:
            raise ThresholdsError(file, f"queues.{queue_id}",
                                  f"no such queue in the routing file ({', '.join(sorted(known))})")
        queues[queue_id] = _struct(queue_id, _lines(file, f"queues.{queue_id}", table, defaults))
    return ThresholdSettings(float(short), _struct("", defaults), queues)


def load(path: Path | str | None, queue_ids: Iterable[str]) -> ThresholdSettings:
    file = Path(path) if path is not None else DEFAULT_PATH
    try:
        text = file.read_text(encoding="utf-8")
    except OSError as exc:
        raise ThresholdsError(str(file), "", f"cannot be read ({exc.strerror})") from None
    return parse(text, queue_ids, str(file))


def judge(tile: Tile, lines: Thresholds) -> tuple[AlertLevel, list[AlertCause]]:
    """The tile's level (the worst of its causes) and the causes over a line."""
    level, causes = AlertLevel.OK, []
    sl = tile.service_level_recent_pct
    if sl is None:
        sl = tile.service_level_pct
    checks = [
        (AlertCause.SERVICE_LEVEL, sl is not None and sl < lines.service_level_red,
         sl is not None and sl < lines.service_level_amber),
        (AlertCause.WAITING, tile.waiting >= lines.waiting_red > 0,
         tile.waiting >= lines.waiting_amber > 0),
        (AlertCause.ESCALATIONS, tile.escalations >= lines.escalations_red > 0,
         tile.escalations >= lines.escalations_amber > 0),
    ]
    for cause, red, amber in checks:
        if red:
            level = AlertLevel.RED
        elif amber and level is AlertLevel.OK:
            level = AlertLevel.AMBER
        if red or amber:
            causes.append(cause)
    return level, causes
