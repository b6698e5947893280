"""Customer and agent frames (core/protocol/codec.py): whatever a stranger sends,
the decoder answers a frame or ``ProtocolError``, nothing else, and quickly; a
frame it accepts encodes and decodes to itself."""

from __future__ import annotations

import json
from typing import Any

import msgspec
import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.protocol import agent as ap
from core.protocol import customer as cp
from core.protocol.codec import (
    FrameDecoder,
    ProtocolError,
    agent_client_decoder,
    customer_client_decoder,
    encode_text,
)
from tests.support.frame_samples import frame_types, sample
from tests.support.fuzzing import ROUND, for_a_while, json_values, mutated

DECODERS = {
    "customer": (customer_client_decoder, cp.ClientFrame),
    "agent": (agent_client_decoder, ap.ClientFrame),
}


def _check(decoder: FrameDecoder[Any], text: str) -> None:
    try:
        frame = decoder.decode(text)
    except ProtocolError as exc:
        assert exc.code and isinstance(exc.detail, str)
        return
    again = decoder.decode(encode_text(frame))
    assert again == frame


def _frames(union: object) -> st.SearchStrategy[str]:
    """Valid frames of every type, then changed here and there."""
    bases = [msgspec.to_builtins(sample(cls)) for cls in frame_types(union)]
    return st.sampled_from(bases).flatmap(lambda base: mutated(base, json_values)) \
        .map(lambda data: json.dumps(data, ensure_ascii=False))


def _hostile() -> st.SearchStrategy[str]:
    deep = st.integers(1, 20_000).map(lambda n: "[" * n + "]" * n)
    deep_objects = st.integers(1, 5_000).map(lambda n: '{"a":' * n + "1" + "}" * n)
    digits = st.integers(1, 6_000).map(lambda n: '{"type":"ping","nonce":' + "9" * n + "}")
    return deep | deep_objects | digits


@pytest.mark.parametrize("side", sorted(DECODERS))
def test_frames_decode_or_raise_protocol_error(side: str) -> None:
    make, union = DECODERS[side]
    decoder = make()

    @ROUND
    @given(st.one_of(st.text(max_size=300), json_values.map(json.dumps), _frames(union),
                     _hostile()))
    def round_(text: str) -> None:
        _check(decoder, text)

    assert for_a_while(round_) >= 1
