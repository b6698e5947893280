"""Desktop notifications through the freedesktop notification service (D-Bus).

The session bus's ``org.freedesktop.Notifications`` (GNOME Shell, KDE Plasma, dunst,
xfce4-notifyd, mako…) shows the bubble; buttons ("Accept", "Open") are offered
only when the server lists the ``actions`` capability, and the body is escaped
when it reads markup (``body-markup``), so a customer's words stay plain text.

Asynchronous (jeepney on the asyncio loop); a server that is missing or fails is
reported as unavailable and the caller falls back to the tray and the taskbar.
"""

from __future__ import annotations

import asyncio
import contextlib
import html
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

log = logging.getLogger(__name__)

BUS_NAME = "org.freedesktop.Notifications"
PATH = "/org/freedesktop/Notifications"
DEFAULT_ACTION = "default"  # clicking the bubble itself, per the specification

ActionHandler = Callable[[int, str], None]  # (notification id, action key)


class NotifyUnavailableError(Exception):
    """No notification service on the session bus (or no session bus)."""


@dataclass(frozen=True)
class ServerInfo:
    name: str
    vendor: str
    version: str
    capabilities: tuple[str, ...]

    @property
    def actions(self) -> bool:
        return "actions" in self.capabilities

    @property
    def markup(self) -> bool:
        return "body-markup" in self.capabilities


class FreedesktopNotifier:
    """One connection to the session bus; ``on_action`` hears clicked buttons."""

    def __init__(self, app_name: str, on_action: ActionHandler | None = None) -> None:
        self.app_name = app_name
        self.on_action = on_action
        self.server: ServerInfo | None = None
        self._router: Any = None
        self._router_cm: Any = None
        self._signals: asyncio.Task[None] | None = None

    async def connect(self) -> ServerInfo:
        try:
            from jeepney import DBusAddress, MatchRule, message_bus, new_method_call
            from jeepney.io.asyncio import Proxy, open_dbus_router
        except ImportError as exc:  # not on Linux
            raise NotifyUnavailableError(str(exc)) from exc
        try:
            self._router_cm = open_dbus_router(bus="SESSION")
            self._router = await self._router_cm.__aenter__()
            address = DBusAddress(PATH, bus_name=BUS_NAME, interface=BUS_NAME)
            caps = await self._call(new_method_call(address, "GetCapabilities"))
            info = await self._call(new_method_call(address, "GetServerInformation"))
            rule = MatchRule(type="signal", interface=BUS_NAME, path=PATH)
            await Proxy(message_bus, self._router).AddMatch(rule)
        except NotifyUnavailableError:
            await self.close()
            raise
        except Exception as exc:  # no bus, refused, no server: all mean "not here"
            await self.close()
            raise NotifyUnavailableError(f"{type(exc).__name__}: {exc}") from exc
        self._address = address
        self.server = ServerInfo(str(info[0]), str(info[1]), str(info[2]),
                                 tuple(str(c) for c in caps[0]))
        self._signals = asyncio.ensure_future(self._listen(rule))
        return self.server

    async def _call(self, message: Any) -> Any:
        from jeepney import MessageType

        reply = await asyncio.wait_for(self._router.send_and_get_reply(message), 5)
        if reply.header.message_type == MessageType.error:
            raise NotifyUnavailableError(f"D-Bus error: {reply.body}")
        return reply.body

    async def _listen(self, rule: Any) -> None:
        with self._router.filter(rule, bufsize=64) as queue:
            while True:
                message = await queue.get()
                if message.header.fields.get(3) == "ActionInvoked" and self.on_action:
                    notification_id, key = message.body
                    self.on_action(int(notification_id), str(key))

    async def notify(self, summary: str, body: str, actions: Sequence[tuple[str, str]] = (),
                     *, category: str = "", urgency: int = 1, timeout_ms: int = -1,
                     icon: str = "") -> int:
        """Show a notification; returns the server's id for it."""
        from jeepney import new_method_call

        server = self.server
        if server is None or self._router is None:
            raise NotifyUnavailableError("not connected")
        text = html.escape(body, quote=False) if server.markup else body
        flat: list[str] = []
        if server.actions:
            for key, label in actions:
                flat += [key, label]
        hints: dict[str, tuple[str, Any]] = {"urgency": ("y", urgency),
                                             "desktop-entry": ("s", "zuoxi")}
        if category:
            hints["category"] = ("s", category)
        message = new_method_call(self._address, "Notify", "susssasa{sv}i", (
            self.app_name, 0, icon, summary, text, flat, hints, timeout_ms))
        try:
            reply = await self._call(message)
        except (OSError, TimeoutError, ConnectionError) as exc:
            raise NotifyUnavailableError(str(exc)) from exc
        return int(reply[0])

    async def close(self) -> None:
        task, self._signals = self._signals, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        cm, self._router_cm, self._router = self._router_cm, None, None
        if cm is not None:
            with contextlib.suppress(Exception):
                await cm.__aexit__(None, None, None)
