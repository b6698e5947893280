"""SessionRunner: the cache opened, sign-in, the sync connected, a fresh token handed on,
retries while the hub is away, and the end."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from core.session import auth
from core.session.session_runner import SessionRunner
from core.sync.client import Backoff, ConnectionState, ConnectionStatus
from hub.demo.seed import DEMO_PASSWORD
from hub.process import HubProcess

NO_WAIT = Backoff(initial=0.0, maximum=0.0)


async def _online(runner: SessionRunner) -> None:
    reached = asyncio.Event()

    def changed(status: ConnectionStatus) -> None:
        if status.state is ConnectionState.ONLINE:
            reached.set()

    runner.service.connection_did_change.connect(changed)
    if runner.service.connection.state is not ConnectionState.ONLINE:
        await asyncio.wait_for(reached.wait(), 15)


@pytest.mark.plain_cache("encrypted, garbage is a locked cache: tests/ui/shell/"
                        "test_cache_encryption_flow.py")
async def test_an_unusable_cache_is_set_aside_and_a_fresh_one_used(tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite3"
    path.write_bytes(b"this is not a database" * 100)
    runner = SessionRunner(path)
    try:
        assert runner.cache_reset is not None
        assert runner.service.inbox() == []
        assert not runner.service.is_connected
    finally:
        await runner.close()
    assert runner.cache_reset.moved_to is not None and runner.cache_reset.moved_to.exists()


async def test_sign_in_connects_and_a_fresh_token_goes_to_the_running_connection(
        hub: HubProcess, tmp_path: Path) -> None:
    runner = SessionRunner(tmp_path / "cache.sqlite3", email_over_http=True)
    try:
        first = await runner.sign_in(hub.url, "lina", DEMO_PASSWORD)
        await _online(runner)
        http = runner.service.email.http
        assert http is not None and (http.hub_url, http.token) == (first.hub_url, first.token)
        second = await auth.login(hub.url, "lina", DEMO_PASSWORD)
        runner.use_token(second.hub_url, second.token)
        assert runner.service.is_connected
        http = runner.service.email.http
        assert http is not None and http.token == second.token != first.token
    finally:
        await runner.close()
    assert not runner.service.is_connected
    assert runner.service.connection.state is ConnectionState.OFFLINE


async def test_without_email_over_http_the_email_service_is_not_given_the_hub(
        hub: HubProcess, tmp_path: Path) -> None:
    runner = SessionRunner(tmp_path / "cache.sqlite3")
    try:
        await runner.sign_in(hub.url, "lina", DEMO_PASSWORD)
        assert runner.service.is_connected and runner.service.email.http is None
    finally:
        await runner.close()


async def test_a_refusal_ends_the_retries(hub: HubProcess, tmp_path: Path) -> None:
    runner = SessionRunner(tmp_path / "cache.sqlite3", backoff=NO_WAIT)
    try:
        outcome = await runner.sign_in_until_done(hub.url, "lina", "wrong password")
        assert isinstance(outcome, auth.BadCredentials)
        assert not runner.service.is_connected
    finally:
        await runner.close()


async def test_an_unreachable_hub_is_asked_again_until_it_answers(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    answers: list[auth.LoginResult | auth.AuthError] = [
        auth.HubUnreachable("down"), auth.HubError("starting"), auth.TooManyAttempts("wait")]
    asked: list[str] = []

    async def login(hub_url: str, username: str, password: str,
                    timeout_s: float = 1.0) -> auth.LoginResult:
        asked.append(hub_url)
        if answers:
            answer = answers.pop(0)
            assert isinstance(answer, auth.AuthError)
            raise answer
        raise auth.BadCredentials("no such agent")

    monkeypatch.setattr(auth, "login", login)
    runner = SessionRunner(tmp_path / "cache.sqlite3", backoff=NO_WAIT)
    try:
        outcome = await runner.sign_in_until_done("http://127.0.0.1:9", "lina", "pw")
    finally:
        await runner.close()
    assert isinstance(outcome, auth.BadCredentials)
    assert asked == ["http://127.0.0.1:9"] * 4


async def test_closing_twice_is_harmless(tmp_path: Path) -> None:
    runner = SessionRunner(tmp_path / "cache.sqlite3")
    await runner.close()
    await runner.close()
    assert not runner.service.is_connected
