"""The ``[followups]`` table of the routing file (hub/routing.toml).

Reminder lead, the due time of a message left with nobody available, whether
business hours close the widget, how many messages a customer may leave, and
the mail retry schedule. Unknown keys are refused by name.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hub.routing.config import DEFAULT_PATH, RoutingConfigError


@dataclass(frozen=True)
class FollowUpSettings:
    # The owner is reminded this long before a follow-up is due.
    remind_before_s: float = 900.0
    # A message left with no preferred callback time is due this long after it came.
    message_due_s: float = 4 * 3600.0
    # Outside the routing file's business hours the widget offers to leave a message.
    use_business_hours: bool = True
    # Messages a customer may leave: a bucket of ``messages_burst`` refilled at
    # ``messages_per_hour``.
    messages_per_hour: float = 6.0
    messages_burst: float = 3.0
    # A preferred callback time further ahead than this is refused.
    callback_within_days: int = 30
    # Mails to customers that fail are tried again after 1, 2, 4 ... minutes.
    mail_attempts: int = 6


_KNOWN = {f for f in FollowUpSettings.__dataclass_fields__}


def parse(data: dict[str, Any]) -> FollowUpSettings:
    table = data.get("followups", {})
    if not isinstance(table, dict):
        raise RoutingConfigError("followups", "must be a table")
    for key in table:
        if key not in _KNOWN:
            raise RoutingConfigError(f"followups.{key}",
                                     f"unknown setting (known: {', '.join(sorted(_KNOWN))})")
    default = FollowUpSettings()
    values: dict[str, Any] = {}
    for key in _KNOWN:
        if key not in table:
            continue
        value, want = table[key], type(getattr(default, key))
        if want is bool:
            if not isinstance(value, bool):
                raise RoutingConfigError(f"followups.{key}", "must be true or false")
        elif isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
            raise RoutingConfigError(f"followups.{key}", "must be a number, 0 or more")
        values[key] = want(value)
    return FollowUpSettings(**values)


def load(path: Path | str | None = None) -> FollowUpSettings:
    file = Path(path) if path is not None else DEFAULT_PATH
    try:
        return parse(tomllib.loads(file.read_text(encoding="utf-8")))
    except OSError as exc:
        raise RoutingConfigError(str(file), f"cannot be read ({exc.strerror})") from None
    except tomllib.TOMLDecodeError as exc:
        raise RoutingConfigError(str(file), f"is not valid TOML ({exc})") from None
