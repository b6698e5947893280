"""Words and number formats for the supervisor's figures (the hub sends numbers
and codes only). Thread: the GUI thread.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from core.protocol import supervision as sp
from core.protocol.models import Channel, Presence
from ui.routing.routing_names import queue_name

translate = QCoreApplication.translate  # lupdate reads translate("Supervision", …) calls


def channel_name(channel: Channel | None) -> str:
    return (
        {
            Channel.CHAT: translate("Supervision", "Chat"),
            Channel.VOICE: translate("Supervision", "Voice"),
            Channel.EMAIL: translate("Supervision", "Email"),
        }.get(channel, translate("Supervision", "Other"))
        if channel is not None
        else translate("Supervision", "All channels")
    )


def tile_title(tile: sp.Tile) -> str:
    if tile.kind is sp.TileKind.CENTRE:
        return translate("Supervision", "Whole centre")
    if tile.kind is sp.TileKind.CHANNEL:
        return translate("Supervision", "{0}: all queues").format(channel_name(tile.channel))
    queue = queue_name(tile.queue_id, tile.name) if tile.queue_id else tile.name
    return f"{queue} · {channel_name(tile.channel)}"


def pct(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f} %".replace(".0 %", " %")


def seconds(value: float | None) -> str:
    if value is None:
        return "—"
    whole = round(value)
    if whole < 60:
        return translate("Supervision", "{0} s").format(whole)
    if whole < 3600:
        return translate("Supervision", "{0}:{1:02d} min").format(whole // 60, whole % 60)
    return translate("Supervision", "{0}:{1:02d} h").format(whole // 3600, whole % 3600 // 60)


def number(value: float | None, digits: int = 0) -> str:
    return "—" if value is None else f"{value:.{digits}f}"


def cause_text(cause: sp.AlertCause) -> str:
    return {
        sp.AlertCause.SERVICE_LEVEL: translate("Supervision", "service level below target"),
        sp.AlertCause.WAITING: translate("Supervision", "too many waiting"),
        sp.AlertCause.ESCALATIONS: translate("Supervision", "open escalations"),
    }[cause]


def level_text(level: sp.AlertLevel) -> str:
    return {
        sp.AlertLevel.OK: translate("Supervision", "OK"),
        sp.AlertLevel.AMBER: translate("Supervision", "Amber"),
        sp.AlertLevel.RED: translate("Supervision", "Red"),
    }[level]


def presence_text(presence: Presence) -> str:
    return {
        Presence.AVAILABLE: translate("Supervision", "Available"),
        Presence.BUSY: translate("Supervision", "Busy"),
        Presence.AWAY: translate("Supervision", "Away"),
        Presence.AFTER_CALL_WORK: translate("Supervision", "After-call work"),
        Presence.NOT_RESPONDING: translate("Supervision", "Not responding"),
        Presence.OFFLINE: translate("Supervision", "Offline"),
    }[presence]


def figure_name(figure: sp.Figure) -> str:
    return {
        sp.Figure.WAITING: translate("Supervision", "Waiting now"),
        sp.Figure.ANSWERED: translate("Supervision", "Answered today"),
        sp.Figure.MISSED_STANDARD: translate("Supervision", "Missed the standard"),
        sp.Figure.ABANDONED: translate("Supervision", "Abandoned"),
        sp.Figure.TRANSFERS: translate("Supervision", "Transfers"),
        sp.Figure.REOPENED: translate("Supervision", "Reopened"),
        sp.Figure.ESCALATIONS: translate("Supervision", "Open escalations"),
        sp.Figure.AGENTS: translate("Supervision", "Agents"),
    }[figure]


def tile_rows(tile: sp.Tile) -> list[tuple[str, str, sp.Figure | None]]:
    """(label, value, the figure a drill-down lists) of a tile, in reading order."""
    return [
        (translate("Supervision", "Waiting"), str(tile.waiting), sp.Figure.WAITING),
        (translate("Supervision", "Longest wait"), seconds(tile.longest_wait_s), sp.Figure.WAITING),
        (
            translate("Supervision", "SL today"),
            pct(tile.service_level_pct),
            sp.Figure.MISSED_STANDARD,
        ),
        (
            translate("Supervision", "SL 30 min"),
            pct(tile.service_level_recent_pct),
            sp.Figure.MISSED_STANDARD,
        ),
        (
            translate("Supervision", "Answered"),
            f"{tile.answered} / {tile.offered}",
            sp.Figure.ANSWERED,
        ),
        (translate("Supervision", "ASA"), seconds(tile.asa_s), sp.Figure.ANSWERED),
        (
            translate("Supervision", "Abandoned"),
            f"{tile.abandoned} · {pct(tile.abandon_pct)}",
            sp.Figure.ABANDONED,
        ),
        (translate("Supervision", "AHT"), seconds(tile.aht_s), sp.Figure.ANSWERED),
        (translate("Supervision", "Occupancy"), pct(tile.occupancy_pct), sp.Figure.AGENTS),
        (translate("Supervision", "FCR"), pct(tile.fcr_pct), None),
        (translate("Supervision", "Transfers"), str(tile.transfers), sp.Figure.TRANSFERS),
        (translate("Supervision", "CSAT"), number(tile.csat_average, 2), None),
        (translate("Supervision", "NPS"), number(tile.nps, 0), None),
        (translate("Supervision", "Escalations"), str(tile.escalations), sp.Figure.ESCALATIONS),
    ]
