"""BackgroundTasks: keeps started tasks until they finish and logs their failures."""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import logging

import pytest

from core.tasks import BackgroundTasks


class BoomError(Exception):
    pass


async def _fail_when(gate: asyncio.Event) -> None:
    await gate.wait()
    raise BoomError("it broke")


async def test_a_failure_is_logged_as_an_error_with_the_task_name(
        caplog: pytest.LogCaptureFixture) -> None:
    tasks = BackgroundTasks("owner")
    gate = asyncio.Event()
    task = tasks.spawn(_fail_when(gate), name="the-job")
    with caplog.at_level(logging.INFO, logger="core.tasks"):
        gate.set()
        with contextlib.suppress(BoomError):
            await task
    errors = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert len(errors) == 1
    assert "the-job" in errors[0].getMessage()
    assert errors[0].exc_info is not None and errors[0].exc_info[1] is task.exception()


async def test_the_default_name_says_owner_and_coroutine(
        caplog: pytest.LogCaptureFixture) -> None:
    tasks = BackgroundTasks("owner")
    gate = asyncio.Event()
    task = tasks.spawn(_fail_when(gate))
    assert task.get_name() == "owner:_fail_when"
    with caplog.at_level(logging.ERROR, logger="core.tasks"):
        gate.set()
        with contextlib.suppress(BoomError):
            await task
    assert ["owner:_fail_when" in r.getMessage() for r in caplog.records] == [True]


async def test_the_task_is_kept_until_it_is_done() -> None:
    tasks = BackgroundTasks("owner")
    gate = asyncio.Event()

    async def wait() -> int:
        await gate.wait()
        return 7

    task = tasks.spawn(wait())
    await asyncio.sleep(0)  # let it start and block on the gate
    assert task in tasks and len(tasks) == 1
    gate.set()
    assert await task == 7
    assert task not in tasks and len(tasks) == 0


async def test_cancellation_is_not_an_error(caplog: pytest.LogCaptureFixture) -> None:
    tasks = BackgroundTasks("owner")
    gate = asyncio.Event()
    task = tasks.spawn(gate.wait())
    await asyncio.sleep(0)
    with caplog.at_level(logging.DEBUG, logger="core.tasks"):
        tasks.cancel_all()
        with contextlib.suppress(asyncio.CancelledError):
            await task
    assert task.cancelled()
    assert caplog.records == []
    assert len(tasks) == 0


async def test_a_handled_failure_reaches_the_callback_and_is_not_an_error(
        caplog: pytest.LogCaptureFixture) -> None:
    seen: list[BaseException] = []

    def handle(exc: BaseException) -> bool:
        seen.append(exc)
        return True

    tasks = BackgroundTasks("owner", on_error=handle)
    gate = asyncio.Event()
    task = tasks.spawn(_fail_when(gate))
    with caplog.at_level(logging.INFO, logger="core.tasks"):
        gate.set()
        with contextlib.suppress(BoomError):
            await task
    assert len(seen) == 1 and isinstance(seen[0], BoomError)
    assert [r.levelno for r in caplog.records] == [logging.INFO]


async def test_a_task_callback_overrides_the_owners_and_may_decline(
        caplog: pytest.LogCaptureFixture) -> None:
    owner_seen: list[BaseException] = []
    task_seen: list[BaseException] = []

    def owner_handles(exc: BaseException) -> bool:
        owner_seen.append(exc)
        return True

    def task_declines(exc: BaseException) -> bool:
        task_seen.append(exc)
        return False

    tasks = BackgroundTasks("owner", on_error=owner_handles)
    gate = asyncio.Event()
    task = tasks.spawn(_fail_when(gate), on_error=task_declines)
    with caplog.at_level(logging.INFO, logger="core.tasks"):
        gate.set()
        with contextlib.suppress(BoomError):
            await task
    assert owner_seen == [] and len(task_seen) == 1
    assert [r.levelno for r in caplog.records] == [logging.ERROR]  # declined: still an error


async def test_a_failing_callback_is_logged_and_the_failure_too(
        caplog: pytest.LogCaptureFixture) -> None:
    def broken(exc: BaseException) -> bool:
        raise RuntimeError("handler broke")

    tasks = BackgroundTasks("owner", on_error=broken)
    gate = asyncio.Event()
    task = tasks.spawn(_fail_when(gate), name="job")
    with caplog.at_level(logging.INFO, logger="core.tasks"):
        gate.set()
        with contextlib.suppress(BoomError):
            await task
    messages = [r.getMessage() for r in caplog.records if r.levelno == logging.ERROR]
    assert messages == ["error handler of task job failed", "task job failed"]


async def test_a_given_logger_is_used(caplog: pytest.LogCaptureFixture) -> None:
    tasks = BackgroundTasks("owner", logger=logging.getLogger("zuoxi.elsewhere"))
    gate = asyncio.Event()
    task = tasks.spawn(_fail_when(gate))
    with caplog.at_level(logging.ERROR):
        gate.set()
        with contextlib.suppress(BoomError):
            await task
    assert [r.name for r in caplog.records] == ["zuoxi.elsewhere"]


def test_without_a_usable_loop_the_coroutine_is_closed_and_the_caller_told() -> None:
    loop = asyncio.new_event_loop()
    loop.close()
    tasks = BackgroundTasks("owner")
    coro = asyncio.sleep(0)
    with pytest.raises(RuntimeError):
        tasks.spawn(coro, loop=loop)
    assert inspect.getcoroutinestate(coro) == inspect.CORO_CLOSED
    assert len(tasks) == 0
