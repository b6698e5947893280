"""One signed-in agent's session, from the cache opened to the cache closed.

The desktop and the headless agent both run it: open the agent's cache (an unusable
file is set aside and rebuilt from the hub), make the ``AgentService`` over it,
connect the sync with a token (or hand a fresh token to the running connection),
sign in again after a network failure with back-off, disconnect, close the cache.
What to do around it (windows, keyring, stdin commands) stays with each of them.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from pathlib import Path

from core.cache.cache import Cache, CacheReset, open_cache
from core.call.recording_uploads import RecordingUploads
from core.session import auth
from core.session.agent_service import AgentService
from core.sync.client import Backoff, SyncClient, SyncDelegate

__all__ = ["LOGIN_TIMEOUT_S", "SessionRunner"]

log = logging.getLogger(__name__)

LOGIN_TIMEOUT_S = 5.0


class SessionRunner:
    """Thread: the asyncio loop's (the GUI thread under qasync).

    ``backoff`` paces the sync's reconnects and ``sign_in_until_done``; None keeps the
    sync client's own. With ``email_over_http`` the email service is given the hub's
    address and token for attachments whenever a token is used. ``opener`` opens the
    cache file (the desktop's finds the encryption key in the keyring); it may raise
    ``CacheLocked`` for the caller to ask the agent.
    """

    def __init__(self, cache_path: Path, *, backoff: Backoff | None = None,
                 email_over_http: bool = False,
                 opener: Callable[[Path], tuple[Cache, CacheReset | None]] = open_cache,
                 ) -> None:
        self.cache_path = Path(cache_path)
        self._backoff = backoff
        self._email_over_http = email_over_http
        self.cache, self.cache_reset = opener(self.cache_path)
        if self.cache_reset is not None:
            log.warning("cache unusable (%s); moved to %s; %d queued actions kept",
                        self.cache_reset.detail, self.cache_reset.moved_to,
                        self.cache_reset.salvaged)
        self.service = AgentService(self.cache)
        # Call recordings wait beside the cache until the hub has them.
        self.recording_uploads = RecordingUploads(Path(f"{self.cache_path}.recordings"))
        self.service.recording_uploads = self.recording_uploads
        self._closed = False

    # ---- the connection --------------------------------------------------------------

    def use_token(self, hub_url: str, token: str) -> None:
        """Connect with this token, or hand it to the connection that runs already."""
        if self.service.is_connected:
            self.service.renew_token(token)
            self.service.reports.set_hub(hub_url, token)
            self.recording_uploads.set_hub(hub_url, token)
            if self._email_over_http:
                self.service.email.set_hub(hub_url, token)
        else:
            self.connect(hub_url, token)

    def connect(self, hub_url: str, token: str) -> None:
        """Start syncing with the hub at ``hub_url``."""
        url = auth.agent_ws_url(hub_url)
        backoff = self._backoff

        def factory(delegate: SyncDelegate) -> SyncClient:
            return SyncClient(url, token, delegate, backoff=backoff)

        if self._email_over_http:
            self.service.email.set_hub(hub_url, token)  # attachments go over HTTP
        self.service.reports.set_hub(hub_url, token)  # report files over HTTP
        self.recording_uploads.set_hub(hub_url, token)  # call recordings over HTTP
        self.service.connect(factory)

    async def sign_in(self, hub_url: str, username: str, password: str,
                      timeout: float = LOGIN_TIMEOUT_S) -> auth.LoginResult:
        """Sign in and use the token (AuthError subclasses when that fails)."""
        result = await auth.login(hub_url, username, password, timeout)
        self.use_token(result.hub_url, result.token)
        return result

    async def sign_in_until_done(self, hub_url: str, username: str,
                                 password: str) -> auth.LoginResult | auth.AuthError:
        """Sign in, retrying with back-off while the hub is unreachable or busy; the
        result, or the refusal (wrong password, disabled account) that ended it."""
        backoff = self._backoff or Backoff()
        attempt = 0
        while True:
            try:
                return await self.sign_in(hub_url, username, password)
            except (auth.HubUnreachable, auth.HubError, auth.TooManyAttempts) as exc:
                delay = backoff.delay(attempt)
                attempt += 1
                log.info("sign-in failed (%s); next try in %.1f s", exc, delay)
                await asyncio.sleep(delay)
            except auth.AuthError as exc:
                log.warning("sign-in refused: %s", exc)
                return exc

    # ---- the end ---------------------------------------------------------------------

    async def disconnect(self) -> None:
        await self.service.disconnect()

    def close_cache(self) -> None:
        if not self._closed:
            self._closed = True
            self.cache.close()

    async def close(self) -> None:
        await self.disconnect()
        self.close_cache()
