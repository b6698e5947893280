"""Protocol round-trips and validation, without sockets."""

from __future__ import annotations

import msgspec
import pytest

from core.protocol import agent as ap
from core.protocol import customer as cp
from core.protocol.codec import (
    MAX_CLIENT_FRAME_BYTES,
    ErrorCode,
    ProtocolError,
    agent_client_decoder,
    agent_server_decoder,
    customer_client_decoder,
    customer_server_decoder,
    encode,
)
from core.protocol.models import (
    Channel,
    ClosedBy,
    Conversation,
    ConversationStatus,
    Customer,
    Identity,
    IdentityKind,
    Message,
    MessageAuthor,
    MessageStatus,
    Presence,
)

MSG = Message(
    id="m_1",
    conversation_id="conv_1",
    author=MessageAuthor.CUSTOMER,
    text="你好 👋",
    created_at=1_700_000_000_000,
    status=MessageStatus.SENT,
)
CONV = Conversation(
    id="conv_1",
    customer_id="c_1",
    channel=Channel.CHAT,
    status=ConversationStatus.OPEN,
    created_at=1,
    agent_id="a_1",
)
CUST = Customer(
    id="c_1", name="张伟", identities=[Identity(kind=IdentityKind.PHONE, value="+8613800000000")]
)

AGENT_CLIENT = [
    ap.Hello(v=1, token="t", last_seq=5, client="zuoxi/0.1"),
    ap.SendMessage(op="op1", conversation_id="conv_1", message_id="m_2", text="hi"),
    ap.CloseConversation(op="op2", conversation_id="conv_1"),
    ap.SetPresence(op="op3", presence=Presence.AWAY),
    ap.Typing(conversation_id="conv_1", active=True),
    ap.Delivered(conversation_id="conv_1", message_ids=["m_1"]),
    ap.Ping(nonce=3),
]
AGENT_SERVER = [
    ap.Welcome(
        v=1,
        agent=ap.AgentInfo(id="a_1", username="lina", display_name="李娜"),
        presence=Presence.AVAILABLE,
        head_seq=9,
        mode="replay",
        server_time=1,
    ),
    ap.Snapshot(
        seq=9,
        presence=Presence.AWAY,
        conversations=[ap.ConversationAssigned(conversation=CONV, customer=CUST, messages=[MSG])],
    ),
    ap.Events(
        events=[
            ap.Event(seq=1, ts=1, body=ap.MessageAdded(message=MSG)),
            ap.Event(
                seq=2,
                ts=2,
                body=ap.MessageStatusChanged(
                    conversation_id="conv_1", message_id="m_1", status=MessageStatus.DELIVERED
                ),
            ),
            ap.Event(
                seq=3,
                ts=3,
                body=ap.ConversationClosed(
                    conversation_id="conv_1", closed_by=ClosedBy.CUSTOMER, closed_at=3
                ),
            ),
            ap.Event(seq=4, ts=4, body=ap.PresenceChanged(presence=Presence.OFFLINE)),
            ap.Event(seq=5, ts=5, body=ap.ConversationAssigned(conversation=CONV, customer=CUST)),
        ]
    ),
    ap.Ack(op="op1", seq=4),
    ap.Error(code="conflict", message="closed", op="op1"),
    ap.TypingNotice(conversation_id="conv_1", active=False),
    ap.Pong(nonce=1),
]
CUSTOMER_CLIENT = [
    cp.Hello(v=1, visitor_id="v_abc", name="Emma", locale="en-GB"),
    cp.Send(id="w1", text="hello"),
    cp.Send(id="w2", text="hello", conversation_id="conv_1"),
    cp.Typing(active=False),
    cp.Received(message_ids=["m_1", "m_2"]),
    cp.Close(),
    cp.Ping(),
]
CUSTOMER_SERVER = [
    cp.Welcome(
        v=1,
        visitor_id="v_abc",
        customer_name="Emma",
        conversation_id="conv_1",
        messages=[MSG],
        agent_name="李娜",
    ),
    cp.Ack(id="w1", message=MSG),
    cp.NewMessage(message=MSG),
    cp.Status(message_id="m_1", status=MessageStatus.DELIVERED),
    cp.TypingNotice(active=True, agent_name="李娜"),
    cp.AgentJoined(conversation_id="conv_1", agent_name="李娜"),
    cp.Closed(conversation_id="conv_1", closed_by=ClosedBy.AGENT),
    cp.Error(code="rate_limited", message="slow down", ref="w1"),
    cp.Pong(),
]


@pytest.mark.parametrize(
    ("frames", "decoder"),
    [
        (AGENT_CLIENT, agent_client_decoder()),
        (AGENT_SERVER, agent_server_decoder()),
        (CUSTOMER_CLIENT, customer_client_decoder()),
        (CUSTOMER_SERVER, customer_server_decoder()),
    ],
)
def test_every_frame_round_trips(frames: list[msgspec.Struct], decoder: object) -> None:
    for frame in frames:
        data = encode(frame)
        assert decoder.decode(data) == frame  # type: ignore[attr-defined]
        assert decoder.decode(data.decode()) == frame  # type: ignore[attr-defined]


def test_enums_decode_as_enums() -> None:
    frame = agent_server_decoder().decode(encode(AGENT_SERVER[2]))
    assert isinstance(frame, ap.Events)
    body = frame.events[3].body
    assert isinstance(body, ap.PresenceChanged) and body.presence is Presence.OFFLINE


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"", ErrorCode.BAD_JSON),
        (b"{", ErrorCode.BAD_JSON),
        (b"null", ErrorCode.INVALID),
        (b"[]", ErrorCode.INVALID),
        (b'{"type": 5}', ErrorCode.INVALID),
        (b'{"type": "nope"}', ErrorCode.UNKNOWN_TYPE),
        (b'{"type": "welcome", "v": 1}', ErrorCode.UNKNOWN_TYPE),  # a server frame
        (b'{"type": "set_presence", "op": "o", "presence": "asleep"}', ErrorCode.INVALID),
        (
            b'{"type": "send_message", "op": "", "conversation_id": "c", "message_id": "m",'
            b' "text": "x"}',
            ErrorCode.INVALID,
        ),
        (b'{"type": "hello", "v": 1, "token": "t", "last_seq": -1}', ErrorCode.INVALID),
        (
            b'{"type": "delivered", "conversation_id": "c", "message_ids": ['
            + b",".join([b'"m"'] * 201)
            + b"]}",
            ErrorCode.INVALID,
        ),
        (b"{" + b" " * MAX_CLIENT_FRAME_BYTES + b"}", ErrorCode.TOO_LARGE),
    ],
)
def test_agent_client_decoder_rejects_with_codes(data: bytes, code: ErrorCode) -> None:
    with pytest.raises(ProtocolError) as info:
        agent_client_decoder().decode(data)
    assert info.value.code == code
    assert info.value.detail


def test_customer_ids_are_restricted_to_a_safe_alphabet() -> None:
    dec = customer_client_decoder()
    for bad in ["a b", "<script>", "x" * 65, "é"]:
        with pytest.raises(ProtocolError) as info:
            dec.decode(encode(cp.Send(id=bad, text="hi")))
        assert info.value.code == ErrorCode.INVALID
    assert dec.decode(b'{"type":"send","id":"Az09_.:-","text":"ok"}') == cp.Send(
        id="Az09_.:-", text="ok"
    )


def test_nul_in_any_text_is_refused_but_its_spelling_is_text() -> None:
    dec = customer_client_decoder()
    for frame in (
        cp.Send(id="s1", text="before\x00after"),
        cp.Hello(v=1, name="Mei\x00"),
    ):
        with pytest.raises(ProtocolError) as info:
            dec.decode(encode(frame))
        assert info.value.code == ErrorCode.INVALID and "NUL" in info.value.detail
    with pytest.raises(ProtocolError):
        agent_client_decoder().decode(encode(
            ap.SendMessage(op="o", conversation_id="c", message_id="m", text="\x00")).decode())
    # Someone typing the six characters \u0000 meant them.
    typed = cp.Send(id="s2", text="\\u0000 is how JSON spells NUL")
    assert dec.decode(encode(typed)) == typed


def test_server_decoder_has_no_size_cap_for_snapshots() -> None:
    big = ap.Snapshot(
        seq=1,
        presence=Presence.AVAILABLE,
        conversations=[
            ap.ConversationAssigned(conversation=CONV, customer=CUST, messages=[MSG] * 2000)
        ],
    )
    assert len(encode(big)) > MAX_CLIENT_FRAME_BYTES
    assert agent_server_decoder().decode(encode(big)) == big


def test_the_largest_valid_receipt_fits_in_one_frame() -> None:
    frame = ap.Delivered(conversation_id="c" * 64, message_ids=["m" * 64] * 200)
    assert len(encode(frame)) <= MAX_CLIENT_FRAME_BYTES
    assert agent_client_decoder().decode(encode(frame)) == frame


def test_profile_frames_round_trip() -> None:
    from core.protocol import profile as pf
    from core.protocol.models import AutoTag, CustomerStats, Note, Tier

    rich = Customer(
        id="c_1", name="李娜 🌸", tier=Tier.VIP, tags=["vip"], preferred_channel=Channel.CHAT,
        auto_tags=[AutoTag(tag="frequent", rule="frequent_contact", reason="4 contacts in 7 days")],
        attributes={"birthday": "1990-05-01", "orders": 12.0}, consent={"marketing": False},
        notes=[Note(id="n1", customer_id="c_1", text="prefers mornings", created_at=1)],
        stats=CustomerStats(contacts_30d=4, last_channel=Channel.EMAIL, avg_csat=4.5),
        identities=[Identity(kind=IdentityKind.PHONE, value="138 0013 8000", verified=False)],
    )
    client = [
        pf.UpdateCustomer(op="o1", customer_id="c_1", tier=Tier.CHURN_RISK,
                          attributes={"orders": 3.0, "birthday": None}),
        pf.AddNote(op="o2", customer_id="c_1", note_id="n2", text="回电"),
        pf.EditNote(op="o3", note_id="n2", text="已回电"),
        pf.AddIdentity(op="o4", customer_id="c_1", kind=IdentityKind.PHONE,
                       value="+86 138 0013 8000"),
        pf.RemoveIdentity(op="o5", customer_id="c_1", kind=IdentityKind.EMAIL, value="a@b.cn"),
        pf.MergeCustomers(op="o6", target_id="c_1", source_id="c_2"),
        pf.UnmergeCustomers(op="o7", merge_id="mg_1"),
        pf.FetchCustomer(op="r1", customer_id="c_1"),
        pf.FetchTimeline(op="r2", customer_id="c_1", before_at=5, before_id="conv_1",
                         channel=Channel.EMAIL),
        pf.FetchTranscript(op="r3", conversation_id="conv_1"),
        pf.SearchCustomers(op="r4", query="138"),
    ]
    server = [
        pf.CustomerFrame(op="r1", customer=rich),
        pf.Timeline(op="r2", customer_id="c_1", items=[
            pf.TimelineItem(kind="conversation", id="conv_1", at=1, channel=Channel.VOICE,
                            duration_s=93, outcome="resolved"),
            pf.TimelineItem(kind="note", id="n1", at=2, preview="prefers mornings"),
        ], next_before_at=1, next_before_id="conv_1"),
        pf.Transcript(op="r3", conversation=CONV, messages=[MSG]),
        pf.CustomerResults(op="r4", customers=[rich]),
        pf.ProfileConfig(attributes=[pf.AttributeDefinition(
            key="level", label="Level", type=pf.AttributeType.CHOICE, choices=["a", "b"])]),
        ap.Events(events=[
            ap.Event(seq=1, ts=1, body=pf.CustomerUpdated(customer=rich)),
            ap.Event(seq=2, ts=2, body=pf.CustomerMerged(
                merge_id="mg_1", source_id="c_2", target=rich, conversation_ids=["conv_2"])),
            ap.Event(seq=3, ts=3, body=pf.CustomerUnmerged(
                merge_id="mg_1", target=rich, source=CUST, conversation_ids=["conv_2"])),
        ]),
    ]
    for frame in client:
        assert agent_client_decoder().decode(encode(frame)) == frame
    for frame in server:
        assert agent_server_decoder().decode(encode(frame)) == frame
    with pytest.raises(ProtocolError) as info:
        agent_client_decoder().decode(
            b'{"type":"update_customer","op":"o","customer_id":"c","attributes":{"Bad Key":1}}')
    assert info.value.code == ErrorCode.INVALID
