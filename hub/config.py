"""Hub settings, with the defaults a single-machine install wants."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from hub.email.config import EmailConfig
from hub.feedback.config import FeedbackConfig


class SettingsFileError(ValueError):
    """A settings or rules file is unusable; ``str()`` names the file and, where
    known, the line."""

    def __init__(self, path: Path | str, line: int | None, problem: str) -> None:
        self.path = str(path)
        self.line = line
        self.problem = problem
        where = f"{path}:{line}" if line else str(path)
        super().__init__(f"{where}: {problem}")


@dataclass
class HubConfig:
    db: str | Path
    token_ttl_s: int = 12 * 3600
    # How often live agent sockets are checked against their token (expiry, and
    # revocation by another hub process; a logout here ends them at once).
    session_sweep_s: float = 30.0
    # A login ends the agent's other sessions (their desktops, on every hub process,
    # are told why). Off: an agent may work on several desktops at once.
    one_login_per_agent: bool = False
    hello_timeout_s: float = 10.0
    # Per-connection frame rates (frames/s and burst). Agents type faster than
    # customers and their desktops flush outboxes in bursts after a reconnect.
    customer_rate: float = 10.0
    customer_burst: float = 30.0
    agent_rate: float = 200.0
    agent_burst: float = 2000.0
    customer_connections_per_address: int = 200
    # New widget visitors (each one a customer record) per client address.
    new_visitors_per_minute: float = 60.0
    new_visitors_burst: float = 60.0
    # A disconnected agent gets no new work at once; after this long the hub
    # marks them away, and after the second period releases their conversations.
    away_grace_s: float = 30.0
    release_after_s: float = 120.0
    # Transport-level cap: larger frames close the connection with 1009.
    # Frames between 16 KiB (the protocol cap) and this get an error frame.
    ws_max_size: int = 64 * 1024
    # The widget's idle prompt ("are you still there?") after this many seconds
    # without the customer's activity in an open chat, and the chat's end this
    # many seconds after the prompt (0: never). Easy mode is exempt.
    widget_idle_prompt_s: float = 600.0
    widget_idle_close_s: float = 120.0
    # Origins allowed to frame the widget page (CSP frame-ancestors).
    widget_frame_ancestors: list[str] = field(default_factory=lambda: ["'self'"])
    # Attribute definitions and automatic-tag rules (None: hub/profile_rules.toml).
    profile_config: str | Path | None = None
    # The email channel (mailbox, IMAP, SMTP); None: email is stored but not moved.
    email: EmailConfig | None = None
    # Calls: how long a desktop rings before the next agent is tried; ICE servers
    # handed to desktops (none on a LAN; e.g. "stun:host:3478", "turn:..."); the
    # wrap-up dispositions as (code, label).
    call_ring_timeout_s: float | None = None  # None: the routing file's voice offer timeout
    call_ice_servers: list[str] = field(default_factory=list)
    # The longest a call waits in the queue for a free agent before it ends (no_agent).
    call_queue_timeout_s: float = 120.0
    # Transcription of recorded calls: worker threads (0: none; hub/calls/transcripts).
    transcript_workers: int = 1
    call_dispositions: list[tuple[str, str]] = field(
        default_factory=lambda: [
            ("resolved", "Resolved"),
            ("follow_up", "Needs follow-up"),
            ("escalated", "Escalated"),
            ("wrong_number", "Wrong number"),
            ("no_response", "No response"),
        ]
    )
    # Where call recordings are stored (None: "<database>.recordings" beside a
    # SQLite file, else the user's data folder).
    recordings_dir: str | Path | None = None
    # Queues, skills, offers, service levels (None: hub/routing.toml).
    routing_config: str | Path | None = None
    # Proactive outreach triggers and limits (hub/outreach; None: no triggers).
    outreach_config: str | Path | None = None
    # Escalation rules of customer messages (None: hub/assist/escalation_rules.toml).
    assist_rules: str | Path | None = None
    # Supervisor tile thresholds (None: hub/supervision_thresholds.toml).
    supervision_thresholds: str | Path | None = None
    # Quality inspection rules (None: hub/supervision/quality/quality_rules.toml).
    quality_rules: str | Path | None = None
    # The weekly report's schedule and mailing list, and retention
    # (None: hub/supervision/reports/reports.toml).
    reports_config: str | Path | None = None
    # CSAT/NPS: the NPS period, rating-link lifetime and the hub's public URL.
    feedback: FeedbackConfig = field(default_factory=FeedbackConfig)
    # This hub process's name in metrics and JSON log lines (several processes
    # behind one address); the metrics token lets a non-local scraper read /metrics.
    process_name: str = "hub"
    metrics_token: str | None = None
