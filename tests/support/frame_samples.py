"""A valid instance of any protocol frame type, its required fields filled with
the simplest values its constraints allow (fresh ids each time)."""

from __future__ import annotations

import re
import typing
import uuid
from typing import Any

import msgspec
import msgspec.inspect as mi


def frame_types(union: object) -> list[type]:
    """The frame classes of a (nested) union, sorted by name."""
    out: set[type] = set()
    for arg in typing.get_args(union) or (union,):
        if typing.get_args(arg):
            out.update(frame_types(arg))
        else:
            assert isinstance(arg, type)
            out.add(arg)
    return sorted(out, key=lambda c: c.__name__)


def _string(t: mi.StrType) -> str:
    low, high = t.min_length or 0, t.max_length or 10_000
    for candidate in ("p" + uuid.uuid4().hex[:12], "1", "ok", "probe"):
        if low <= len(candidate) <= high and (
                not t.pattern or re.search(t.pattern, candidate)):
            return candidate
    raise TypeError(f"no sample string for {t}")


def _value(t: mi.Type) -> Any:
    if isinstance(t, mi.StrType):
        return _string(t)
    if isinstance(t, mi.IntType):
        return max(t.ge if t.ge is not None else 1, (t.gt + 1) if t.gt is not None else 1)
    if isinstance(t, mi.FloatType):
        return 1.0
    if isinstance(t, mi.BoolType):
        return False
    if isinstance(t, mi.EnumType):
        return next(iter(t.cls)).value
    if isinstance(t, mi.LiteralType):
        return t.values[0]
    if isinstance(t, mi.ListType):
        return [_value(t.item_type) for _ in range(t.min_length or 0)]
    if isinstance(t, mi.UnionType):
        return _value(next(x for x in t.types if not isinstance(x, mi.NoneType)))
    if isinstance(t, mi.StructType):
        return _struct(t)
    if isinstance(t, mi.DictType):
        return {}
    raise TypeError(f"no sample value for {t}")


def _struct(t: mi.StructType) -> dict[str, Any]:
    data: dict[str, Any] = {t.tag_field: t.tag} if t.tag_field else {}
    for field in t.fields:
        if field.required:
            data[field.encode_name] = _value(field.type)
    return data


def sample(cls: type, **fields: Any) -> Any:
    """A valid ``cls``; ``fields`` override the sampled values."""
    info = mi.type_info(cls)
    assert isinstance(info, mi.StructType)
    data = _struct(info)
    data.update(fields)
    return msgspec.convert(data, cls)
