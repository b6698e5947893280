"""Cutting a large catch-up into slices the GUI loop can afford.

A replay after a long absence, a big snapshot or a store directory page can hold
tens of thousands of rows. Applying (or even decoding) one in a single step would
freeze the window, so the sync client decodes big frames item by item and applies
them slice by slice, yielding to the event loop in between. Each slice is one
cache transaction that also records how far it got, so a crash in the middle
resumes from the last slice written.

The cost of an item is the number of rows it writes, roughly: one per event, plus
one per message and past conversation it carries.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterator, Sequence
from typing import Literal, TypeVar

import msgspec

from core.protocol import ErrorCode, ProtocolError
from core.protocol.agent import (
    ConversationAssigned,
    CustomerRecord,
    Customers,
    Event,
    Events,
    ServerFrame,
    Snapshot,
)
from core.protocol.assist import QuickReply
from core.protocol.models import Presence

# Rows per slice: about 5-10 ms of SQLite work on a modest machine, 8-16 ms in an
# encrypted cache (SQLCipher), where 400 rows took 18-20 ms of the GUI thread and,
# with the repaint that follows a slice, made the longest stall of a cold snapshot.
SLICE_ROWS = 200
# Frames larger than this are decoded item by item (smaller ones in one go).
LAZY_FRAME_BYTES = 256 * 1024
# Decode items for at most this long before yielding to the loop.
DECODE_BUDGET_S = 0.010

T = TypeVar("T")


def event_cost(event: Event) -> int:
    body = event.body
    if isinstance(body, ConversationAssigned):
        return assigned_cost(body)
    return 1


def assigned_cost(item: ConversationAssigned) -> int:
    return 2 + len(item.messages) + len(item.history)


def record_cost(record: CustomerRecord) -> int:
    return 1 + len(record.customer.identities) + len(record.history) + len(record.messages)


def slices(items: Sequence[T], cost: Callable[[T], int], budget: int = SLICE_ROWS) -> Iterator[
    list[T]
]:
    """Consecutive runs of ``items`` costing at most ``budget`` (at least one item each)."""
    chunk: list[T] = []
    spent = 0
    for item in items:
        c = cost(item)
        if chunk and spent + c > budget:
            yield chunk
            chunk, spent = [], 0
        chunk.append(item)
        spent += c
    if chunk:
        yield chunk


def snapshot_slices(snapshot: Snapshot, budget: int = SLICE_ROWS) -> list[Snapshot]:
    """A snapshot part as smaller parts; only the final one keeps ``last``."""
    groups = list(slices(snapshot.conversations, assigned_cost, budget)) or [[]]
    return [
        Snapshot(
            seq=snapshot.seq,
            conversations=group,
            presence=snapshot.presence,
            part=snapshot.part,
            last=snapshot.last and i == len(groups) - 1,
            quick_replies=snapshot.quick_replies if i == len(groups) - 1 else None,
            older=snapshot.older,
        )
        for i, group in enumerate(groups)
    ]


# ---- lazy decoding of big frames ---------------------------------------------------


class _RawEvents(msgspec.Struct, tag_field="type", tag="events"):
    events: list[msgspec.Raw]


class _RawSnapshot(msgspec.Struct, tag_field="type", tag="snapshot"):
    seq: int
    conversations: list[msgspec.Raw]
    presence: Presence
    part: int = 0
    last: bool = True
    quick_replies: list[QuickReply] | None = None


class _RawCustomers(msgspec.Struct, tag_field="type", tag="customers"):
    op: str
    customers: list[msgspec.Raw]
    next_after: str | None = None


_outer = msgspec.json.Decoder(_RawEvents | _RawSnapshot | _RawCustomers)
_event = msgspec.json.Decoder(Event)
_assigned = msgspec.json.Decoder(ConversationAssigned)
_record = msgspec.json.Decoder(CustomerRecord)


async def _decode_items(raws: list[msgspec.Raw], decoder: msgspec.json.Decoder[T]) -> list[T]:
    out: list[T] = []
    started = time.perf_counter()
    for raw in raws:
        out.append(decoder.decode(raw))
        if time.perf_counter() - started > DECODE_BUDGET_S:
            await asyncio.sleep(0)
            started = time.perf_counter()
    return out


async def decode_large(data: bytes) -> ServerFrame | Literal[False]:
    """Decode a big ``events``/``snapshot``/``customers`` frame without a long stall.

    The outer scan only finds where each item starts and ends; the items are then
    decoded a few milliseconds at a time. Returns False for any other frame type
    (the caller decodes those normally). Raises ProtocolError for invalid items.
    """
    try:
        outer = _outer.decode(data)
    except msgspec.ValidationError:
        return False  # another frame type, or invalid: the normal decoder says which
    except msgspec.DecodeError as exc:
        raise ProtocolError(ErrorCode.BAD_JSON, str(exc)) from None
    await asyncio.sleep(0)
    try:
        if isinstance(outer, _RawEvents):
            return Events(events=await _decode_items(outer.events, _event))
        if isinstance(outer, _RawSnapshot):
            return Snapshot(
                seq=outer.seq,
                conversations=await _decode_items(outer.conversations, _assigned),
                presence=outer.presence,
                part=outer.part,
                last=outer.last,
                quick_replies=outer.quick_replies,
            )
        return Customers(
            op=outer.op,
            customers=await _decode_items(outer.customers, _record),
            next_after=outer.next_after,
        )
    except msgspec.ValidationError as exc:
        raise ProtocolError(ErrorCode.INVALID, str(exc)) from None
    except msgspec.DecodeError as exc:
        raise ProtocolError(ErrorCode.BAD_JSON, str(exc)) from None
