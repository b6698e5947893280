"""Every customer message classified, stored, shown to its agent; escalations acted on.

After a customer's message commits (its frames already out), the hub calls
``message_stored`` in a unit of work of its own, as it does for automatic tags: the
classification and the conversation's trend are stored, the agent who has the
conversation gets ``message_classified``, and a message that escalates raises the
conversation's routing priority (once), moves a waiting one to the routing file's
escalation queue, and alerts every supervisor with ``escalation_raised``.

The lexicons load once (about a second): ``warm_up`` runs on a worker thread when
the hub starts. ``reload_rules`` reads the rules file again and keeps the rules in
force when the new file is broken.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from core.protocol.sentiment import EscalationRaised, MessageClassified
from hub.assist.escalation_rules import EscalationRules
from hub.assist.escalation_rules import load as load_rules
from hub.assist.sentiment import Classifier, default_classifier
from hub.assist.sentiment_records import SentimentRecords
from hub.routing.engine import RoutingEngine
from hub.store.store import Store
from hub.transport.fanout import FanOut

log = logging.getLogger(__name__)
EXCERPT_CHARS = 200


class EscalationService:
    def __init__(self, store: Store, fanout: FanOut, routing: RoutingEngine,
                 rules_path: str | Path | None = None) -> None:
        self.store = store
        self.fanout = fanout
        self.routing = routing
        self.records = SentimentRecords(store)
        self._rules_path = rules_path
        # A broken file stops the hub at start-up (RulesError names file and line).
        self.rules: EscalationRules = load_rules(rules_path)
        self._classifier: Classifier | None = None
        self._loading = threading.Lock()

    def warm_up(self) -> None:
        """Load the lexicons; any thread. A second caller waits for the first."""
        with self._loading:
            if self._classifier is None:
                self._classifier = default_classifier().with_rules(self.rules)

    @property
    def ready(self) -> bool:
        return self._classifier is not None

    def classifier(self) -> Classifier:
        if self._classifier is None:
            self.warm_up()  # not warmed up (a message in the first second): wait here
        assert self._classifier is not None
        return self._classifier

    def reload_rules(self) -> EscalationRules:
        """Read the rules file again. On ``RulesError`` the rules in force stay."""
        rules = load_rules(self._rules_path)
        with self._loading:
            self.rules = rules
            if self._classifier is not None:
                self._classifier = self._classifier.with_rules(rules)
        log.info("escalation rules reloaded from %s", rules.source)
        return rules

    def message_stored(self, conversation_id: str, message_id: str, text: str) -> None:
        """Classify a stored customer message; call inside a unit of work."""
        result = self.classifier().classify(text)
        recorded = self.records.record(conversation_id, message_id, result)
        if recorded is None:
            return
        priority: int | None = None
        queue = recorded.queue
        if recorded.first_escalation:
            priority, moved = self.routing.escalate(conversation_id, recorded.priority)
            self.records.set_routing(conversation_id, priority, moved)
            queue = moved or queue
        if recorded.agent_id:
            body = MessageClassified(
                conversation_id=conversation_id, message_id=message_id,
                sentiment=result.sentiment, score=result.score, trend=recorded.trend,
                reasons=list(result.reasons), priority=priority)
            self.fanout.publish(recorded.agent_id, self.records.append(recorded.agent_id, body))
        if recorded.new_reasons:
            alert = EscalationRaised(
                conversation_id=conversation_id, customer_id=recorded.customer_id,
                customer_name=self.store.customer_name(recorded.customer_id),
                message_id=message_id, excerpt=text[:EXCERPT_CHARS],
                reasons=list(recorded.new_reasons), score=result.score,
                priority=priority if priority is not None else recorded.priority,
                agent_id=recorded.agent_id, queue=queue)
            for supervisor in self.records.supervisors():
                self.fanout.publish(supervisor, self.records.append(supervisor, alert))
