"""The topics the chat widget offers, as the hub serves them (``GET /api/widget/topics``).

The widget page asks once when it loads and shows a choice before the first
message; the chosen ``id`` goes out as ``topic`` in the customer ``hello`` and
classifies the chat (``widget_choices`` in the routing file).
"""

from __future__ import annotations

from typing import Any

from hub.routing.config import RoutingSettings


def topics_payload(settings: RoutingSettings) -> dict[str, Any]:
    """``{"topics": [{"id": "billing", "labels": {"en": …, "zh": …}}, …]}`` in file order."""
    return {"topics": [{"id": t.choice, "labels": dict(t.labels)} for t in settings.widget_topics]}
