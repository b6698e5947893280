"""RFC 4733 telephone-events: SDP negotiation, the packets we send (by rewriting
the audio stream's packets) and the digits we recognise."""

from __future__ import annotations

import struct

import pytest

from core.call.telephone_event import (
    EventReceiver,
    EventSender,
    answer_with_events,
    decode_event,
    encode_event,
    event_payload_types,
    offer_with_events,
)

AIORTC_OFFER = ("v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\n"
                "m=audio 50680 UDP/TLS/RTP/SAVPF 96 0\r\nc=IN IP4 192.0.2.2\r\na=sendrecv\r\n"
                "a=mid:0\r\na=rtcp-mux\r\na=rtpmap:96 opus/48000/2\r\na=rtpmap:0 PCMU/8000\r\n"
                "a=setup:actpass\r\n")
GATEWAY_OFFER = ("v=0\r\no=- 1 1 IN IP4 10.0.0.1\r\ns=-\r\nt=0 0\r\n"
                 "m=audio 4000 UDP/TLS/RTP/SAVPF 0 96\r\na=rtpmap:0 PCMU/8000\r\n"
                 "a=rtpmap:96 telephone-event/8000\r\na=fmtp:96 0-16\r\n")
AIORTC_ANSWER = ("v=0\r\no=- 2 2 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\n"
                 "m=audio 50682 UDP/TLS/RTP/SAVPF 0\r\na=rtpmap:0 PCMU/8000\r\na=mid:0\r\n")


def test_our_offer_lists_telephone_event_at_each_audio_clock() -> None:
    offer = offer_with_events(AIORTC_OFFER)
    assert "m=audio 50680 UDP/TLS/RTP/SAVPF 96 0 101 110\r\n" in offer
    assert "a=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-16\r\n" in offer
    assert "a=rtpmap:110 telephone-event/48000\r\na=fmtp:110 0-16\r\n" in offer
    assert event_payload_types(offer) == {8000: 101, 48000: 110}
    assert offer_with_events(offer) == offer  # idempotent
    assert offer.index("a=rtpmap:0 PCMU") < offer.index("telephone-event") \
        < offer.index("a=setup")


def test_our_answer_takes_the_offers_type_at_the_codecs_clock() -> None:
    answer = answer_with_events(AIORTC_ANSWER, GATEWAY_OFFER, 8000)
    assert "m=audio 50682 UDP/TLS/RTP/SAVPF 0 96\r\n" in answer
    assert event_payload_types(answer) == {8000: 96}
    # No telephone-event at the codec's clock in the offer: the answer is unchanged.
    assert answer_with_events(AIORTC_ANSWER, GATEWAY_OFFER, 48000) == AIORTC_ANSWER
    assert answer_with_events(AIORTC_ANSWER, AIORTC_OFFER, 8000) == AIORTC_ANSWER


def _audio(seq: int, ts: int, ssrc: int = 0x1234, extension: bool = True) -> bytes:
    first = 0x90 if extension else 0x80
    header = struct.pack("!BBHII", first, 0, seq, ts, ssrc)
    if extension:  # one-byte header extension block (aiortc sends mid / audio level)
        header += struct.pack("!HH", 0xBEDE, 1) + b"\x10\x30\x00\x00"
    return header + b"\xff" * 160


def _fields(packet: bytes) -> tuple[bool, int, int, int, int]:
    """marker, payload type, sequence, timestamp, ssrc"""
    _first, second, seq, ts, ssrc = struct.unpack("!BBHII", packet[:12])
    return bool(second & 0x80), second & 0x7F, seq, ts, ssrc


def test_a_digit_replaces_audio_packets_in_the_same_stream() -> None:
    sender = EventSender(payload_type=101, clock_rate=8000)
    sender.queue("5#")
    out = [sender.rewrite(_audio(1000 + i, 50_000 + 160 * i)) for i in range(22)]
    events = [(i, p) for i, p in enumerate(out) if _fields(p)[1] == 101]
    first_digit = [p for i, p in events if i < 7]
    assert len(first_digit) == 7  # 100 ms: 4 packets, then the end packet three times
    for index, packet in enumerate(first_digit):
        marker, _pt, seq, ts, ssrc = _fields(packet)
        assert (seq, ts, ssrc) == (1000 + index, 50_000, 0x1234)  # same stream, start ts
        assert marker == (index == 0)
        assert packet[12:20] == _audio(0, 0)[12:20]  # header extension kept
        event = decode_event(packet[20:])
        assert event.digit == "5" and event.volume == 10
        assert event.end == (index >= 4)
        assert event.duration == min(160 * (index + 1), 800)
    # three packets of audio between the digits, then '#'
    assert [_fields(p)[1] for p in out[7:10]] == [0, 0, 0]
    second = [p for i, p in events if i >= 10]
    assert len(second) == 7 and decode_event(second[0][20:]).digit == "#"
    assert _fields(second[0])[0] and _fields(second[0])[3] == 50_000 + 160 * 10
    assert [_fields(p)[1] for p in out[17:]] == [0] * 5
    assert not sender.busy


def test_rtcp_and_bad_digits() -> None:
    sender = EventSender(101, 8000)
    sender.queue("1")
    rtcp = struct.pack("!BBH", 0x80, 200, 6) + b"\x00" * 24
    assert sender.rewrite(rtcp) == rtcp
    with pytest.raises(ValueError):
        sender.queue("12x")
    assert sender.rewrite(_audio(1, 0))[1] & 0x7F == 101  # '1' only, nothing of "12x"


def _event_packet(seq: int, ts: int, digit_code: int, end: bool, duration: int,
                  pt: int = 96, ssrc: int = 7) -> bytes:
    return struct.pack("!BBHII", 0x80, pt, seq, ts, ssrc) + \
        encode_event(digit_code, end=end, duration=duration)


def test_each_event_is_reported_once_with_its_duration() -> None:
    digits: list[tuple[str, int]] = []
    receiver = EventReceiver(lambda d, ms: digits.append((d, ms)))
    receiver.payload_types = {96: 8000}
    assert not receiver.packet(_audio(1, 0))  # audio goes on to aiortc
    packets = [_event_packet(i, 800, 4, i >= 3, min(160 * (i + 1), 640)) for i in range(6)]
    packets += [_event_packet(6 + i, 3000, 11, i >= 2, 160 * (i + 1)) for i in range(5)]
    assert all(receiver.packet(p) for p in packets)
    assert digits == [("4", 80), ("#", 60)]
    # An event whose end packets were all lost is reported when the next one starts.
    receiver.packet(_event_packet(20, 9000, 1, False, 160))
    receiver.packet(_event_packet(21, 9800, 2, True, 320))
    assert digits[2:] == [("1", 20), ("2", 40)]
