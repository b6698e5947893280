"""sipp scenarios for the SIP phone tests (XML built from small parts).

``caller`` scenarios have sipp call the agent (sipp is the trunk, the PBX routes
the call to the registered agent); ``callee`` scenarios have sipp answer the
agent's call. Both stream ``tone`` (a μ-law WAV) as PCMU and name ``record_port``
in their SDP as where they receive.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["FarPhone", "callee", "caller", "options", "transferred_call"]


@dataclass(frozen=True)
class FarPhone:
    number: str
    domain: str
    tone: str           # path of the μ-law WAV
    record_port: int


def _sdp(phone: FarPhone, direction: str = "sendrecv", events: int | None = None) -> str:
    """``events``: list telephone-event/8000 with this payload type (sipp's
    ``play_dtmf`` sends with type 96)."""
    types = f"0 {events}" if events is not None else "0"
    event_lines = f"a=rtpmap:{events} telephone-event/8000\na=fmtp:{events} 0-16\n" \
        if events is not None else ""
    return (f"v=0\no=sipp 1 1 IN IP4 [local_ip]\ns=-\nc=IN IP4 [local_ip]\nt=0 0\n"
            f"m=audio {phone.record_port} RTP/AVP {types}\na=rtpmap:0 PCMU/8000\n"
            f"{event_lines}a=ptime:20\na={direction}\n")


def _scenario(name: str, body: str) -> str:
    head = '<?xml version="1.0" encoding="UTF-8" ?>'
    return f'{head}\n<scenario name="{name}">\n{body}\n</scenario>\n'


def _play(phone: FarPhone) -> str:
    return f'<nop><action><exec rtp_stream="{phone.tone},-1,0"/></action></nop>'


def _answer_reinvites(phone: FarPhone, count: int) -> str:
    """Answer the agent's re-INVITEs: the first holds (inactive), the next resumes."""
    parts = []
    for i in range(count):
        direction = "inactive" if i % 2 == 0 else "sendrecv"
        parts.append(f"""
  <recv request="INVITE"/>
  <send><![CDATA[
SIP/2.0 200 OK
[last_Via:]
[last_From:]
[last_To:]
[last_Call-ID:]
[last_CSeq:]
[last_Record-Route:]
Contact: <sip:{phone.number}@[local_ip]:[local_port]>
Content-Type: application/sdp
Content-Length: [len]

{_sdp(phone, direction)}]]></send>
  <recv request="ACK"/>""")
    return "".join(parts)


def _wait_bye() -> str:
    return """
  <recv request="BYE"/>
  <send><![CDATA[
SIP/2.0 200 OK
[last_Via:]
[last_From:]
[last_To:]
[last_Call-ID:]
[last_CSeq:]
Content-Length: 0

]]></send>"""


def _far_reinvite(phone: FarPhone, cseq: int, direction: str, expect: str) -> str:
    """The far side renegotiates (puts the agent on hold with ``sendonly``, resumes
    with ``sendrecv``); the agent's answer must carry ``expect``."""
    return f"""
  <pause milliseconds="1500"/>
  <send retrans="500"><![CDATA[
INVITE [next_url] SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
[routes]
From: "Customer" <sip:{phone.number}@{phone.domain}>;tag=[pid]far[call_number]
[last_To:]
Call-ID: [call_id]
CSeq: {cseq} INVITE
Contact: <sip:{phone.number}@[local_ip]:[local_port]>
Max-Forwards: 70
Content-Type: application/sdp
Content-Length: [len]

{_sdp(phone, direction)}]]></send>
  <recv response="100" optional="true"/>
  <recv response="200">
    <action><ereg regexp="a={expect}" search_in="body" check_it="true" assign_to="got{cseq}"/>
      <log message="re-INVITE {cseq} answered with [$got{cseq}]"/></action>
  </recv>
  <send><![CDATA[
ACK [next_url] SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
[routes]
From: "Customer" <sip:{phone.number}@{phone.domain}>;tag=[pid]far[call_number]
[last_To:]
Call-ID: [call_id]
CSeq: {cseq} ACK
Max-Forwards: 70
Content-Length: 0

]]></send>"""


def _far_refresh(phone: FarPhone, cseq: int) -> str:
    """A session refresh without an offer: the agent's 200 must carry an offer
    (plain RTP after the PBX), the answer goes in the ACK."""
    return f"""
  <pause milliseconds="1000"/>
  <send retrans="500"><![CDATA[
INVITE [next_url] SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
[routes]
From: "Customer" <sip:{phone.number}@{phone.domain}>;tag=[pid]far[call_number]
[last_To:]
Call-ID: [call_id]
CSeq: {cseq} INVITE
Contact: <sip:{phone.number}@[local_ip]:[local_port]>
Max-Forwards: 70
Content-Length: 0

]]></send>
  <recv response="100" optional="true"/>
  <recv response="200">
    <action><ereg regexp="m=audio [0-9]+ RTP/AVP" search_in="body" check_it="true"
                  assign_to="offer"/>
      <log message="refresh offered [$offer]"/></action>
  </recv>
  <send><![CDATA[
ACK [next_url] SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
[routes]
From: "Customer" <sip:{phone.number}@{phone.domain}>;tag=[pid]far[call_number]
[last_To:]
Call-ID: [call_id]
CSeq: {cseq} ACK
Max-Forwards: 70
Content-Type: application/sdp
Content-Length: [len]

{_sdp(phone)}]]></send>"""


def caller(phone: FarPhone, agent: str, *, outcome: str = "answered", talk_ms: int = 3000,
           hangup: str = "far", reinvites: int = 0, cancel_after_ms: int = 1000,
           far_holds: bool = False, dtmf: str = "", far_refreshes: bool = False,
           transferee: bool = False, rtp_events: int | None = None,
           play_dtmf: str = "") -> str:
    """sipp calls ``agent``. ``outcome``: answered | cancel | busy (486) | decline (603).
    ``hangup``: far (sipp sends BYE after ``talk_ms``) or agent (sipp waits for BYE).
    ``far_holds``: sipp puts the agent on hold and resumes by re-INVITE first.
    ``dtmf``: digits sipp sends by INFO once the call is up.
    ``far_refreshes``: sipp sends an offerless re-INVITE (a session refresh).
    ``transferee``: after the re-INVITEs, accept the agent's REFER (its Refer-To is
    logged), report 100 Trying by NOTIFY, wait for a MESSAGE saying the new call
    is up (``transferred_call`` runs it: sipp keeps one Call-ID per scenario), then
    report 200 OK by NOTIFY; use with ``hangup="agent"``.
    ``rtp_events``: offer telephone-event with this payload type; ``play_dtmf``:
    digits sipp then sends as RFC 4733 events (its ``play_dtmf`` uses type 96)."""
    invite = f"""
  <send retrans="500"><![CDATA[
INVITE sip:{agent}@{phone.domain} SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=z9hG4bK[pid]inv[call_number]
From: "Customer" <sip:{phone.number}@{phone.domain}>;tag=[pid]far[call_number]
To: <sip:{agent}@{phone.domain}>
Call-ID: [call_id]
CSeq: 1 INVITE
Contact: <sip:{phone.number}@[local_ip]:[local_port]>
Max-Forwards: 70
Content-Type: application/sdp
Content-Length: [len]

{_sdp(phone, events=rtp_events)}]]></send>
  <recv response="100" optional="true"/>"""
    if outcome in ("busy", "decline"):
        status = "486" if outcome == "busy" else "603"
        body = invite + f"""
  <recv response="180" optional="true"/>
  <recv response="{status}"/>
  <send><![CDATA[
ACK sip:{agent}@{phone.domain} SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=z9hG4bK[pid]inv[call_number]
From: "Customer" <sip:{phone.number}@{phone.domain}>;tag=[pid]far[call_number]
[last_To:]
Call-ID: [call_id]
CSeq: 1 ACK
Max-Forwards: 70
Content-Length: 0

]]></send>"""
        return _scenario(f"caller-{outcome}", body)
    if outcome == "cancel":
        body = invite + f"""
  <recv response="180"/>
  <pause milliseconds="{cancel_after_ms}"/>
  <send><![CDATA[
CANCEL sip:{agent}@{phone.domain} SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=z9hG4bK[pid]inv[call_number]
From: "Customer" <sip:{phone.number}@{phone.domain}>;tag=[pid]far[call_number]
To: <sip:{agent}@{phone.domain}>
Call-ID: [call_id]
CSeq: 1 CANCEL
Max-Forwards: 70
Content-Length: 0

]]></send>
  <recv response="200"/>
  <recv response="487"/>
  <send><![CDATA[
ACK sip:{agent}@{phone.domain} SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=z9hG4bK[pid]inv[call_number]
From: "Customer" <sip:{phone.number}@{phone.domain}>;tag=[pid]far[call_number]
[last_To:]
Call-ID: [call_id]
CSeq: 1 ACK
Max-Forwards: 70
Content-Length: 0

]]></send>"""
        return _scenario("caller-cancel", body)
    # the agent's To (with its tag) for the requests sipp sends after the REFER
    remember = ('<action><ereg regexp=".*" search_in="hdr" header="To:" assign_to="agent_to"/>'
                '</action>') if transferee else ""
    body = invite + f"""
  <recv response="180" optional="true"/>
  <recv response="200" rrs="true">{remember}</recv>
  <send><![CDATA[
ACK [next_url] SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
[routes]
From: "Customer" <sip:{phone.number}@{phone.domain}>;tag=[pid]far[call_number]
[last_To:]
Call-ID: [call_id]
CSeq: 1 ACK
Max-Forwards: 70
Content-Length: 0

]]></send>
  {_play(phone)}
  {_answer_reinvites(phone, reinvites)}"""
    if play_dtmf:
        body += f"""
  <pause milliseconds="500"/>
  <nop><action><exec play_dtmf="{play_dtmf}"/></action></nop>"""
    bye_cseq = 2
    if far_holds:
        body += _far_reinvite(phone, 2, "sendonly", "recvonly")
        body += _far_reinvite(phone, 3, "sendrecv", "sendrecv")
        bye_cseq = 4
    if far_refreshes:
        body += _far_refresh(phone, bye_cseq)
        bye_cseq += 1
    for digit in dtmf:
        body += f"""
  <send retrans="500"><![CDATA[
INFO [next_url] SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
[routes]
From: "Customer" <sip:{phone.number}@{phone.domain}>;tag=[pid]far[call_number]
[last_To:]
Call-ID: [call_id]
CSeq: {bye_cseq} INFO
Max-Forwards: 70
Content-Type: application/dtmf-relay
Content-Length: [len]

Signal={digit}
Duration=160
]]></send>
  <recv response="200"/>"""
        bye_cseq += 1
    if transferee:
        body += _accept_attended_refer(phone, bye_cseq)
        bye_cseq += 2
    if hangup == "far":
        body += f"""
  <pause milliseconds="{talk_ms}"/>
  <send retrans="500"><![CDATA[
BYE [next_url] SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
[routes]
From: "Customer" <sip:{phone.number}@{phone.domain}>;tag=[pid]far[call_number]
[last_To:]
Call-ID: [call_id]
CSeq: {bye_cseq} BYE
Max-Forwards: 70
Content-Length: 0

]]></send>
  <recv response="200"/>"""
    else:
        body += _wait_bye()
    return _scenario(f"caller-{outcome}-{hangup}", body)


def _accept_attended_refer(phone: FarPhone, cseq: int) -> str:
    head = f"""
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
[routes]
From: "Customer" <sip:{phone.number}@{phone.domain}>;tag=[pid]far[call_number]
To: [$agent_to]
Call-ID: [call_id]
Max-Forwards: 70
Contact: <sip:{phone.number}@[local_ip]:[local_port]>
Event: refer
Content-Type: message/sipfrag;version=2.0"""
    return f"""
  <recv request="REFER">
    <action><ereg regexp="sip:[^&gt;]*" search_in="hdr" header="Refer-To:" check_it="true"
                  assign_to="referto"/>
      <log message="refer-to [$referto]"/></action>
  </recv>
  <send><![CDATA[
SIP/2.0 202 Accepted
[last_Via:]
[last_From:]
[last_To:]
[last_Call-ID:]
[last_CSeq:]
Content-Length: 0

]]></send>
  <send retrans="500"><![CDATA[
NOTIFY [next_url] SIP/2.0{head}
CSeq: {cseq} NOTIFY
Subscription-State: active;expires=60
Content-Length: [len]

SIP/2.0 100 Trying
]]></send>
  <recv response="200"/>
  <recv request="MESSAGE"/>
  <send retrans="500"><![CDATA[
NOTIFY [next_url] SIP/2.0{head}
CSeq: {cseq + 1} NOTIFY
Subscription-State: terminated;reason=noresource
Content-Length: [len]

SIP/2.0 200 OK
]]></send>
  <recv response="200"/>"""


def transferred_call(phone: FarPhone, target: str, replaces: str, *,
                     talk_ms: int = 4000) -> str:
    """The transferee's new call: INVITE ``target`` with ``Replaces`` (the value from
    the agent's Refer-To, unescaped), talk, hang up."""
    return _scenario("transferred", f"""
  <send retrans="500"><![CDATA[
INVITE sip:{target}@{phone.domain} SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=z9hG4bK[pid]xfer[call_number]
From: "Customer" <sip:{phone.number}@{phone.domain}>;tag=[pid]xfer[call_number]
To: <sip:{target}@{phone.domain}>
Call-ID: [call_id]
CSeq: 1 INVITE
Contact: <sip:{phone.number}@[local_ip]:[local_port]>
Replaces: {replaces}
Max-Forwards: 70
Content-Type: application/sdp
Content-Length: [len]

{_sdp(phone)}]]></send>
  <recv response="100" optional="true"/>
  <recv response="180" optional="true"/>
  <recv response="200" rrs="true"><action><log message="replacing call answered"/></action>
  </recv>
  <send><![CDATA[
ACK [next_url] SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
[routes]
From: "Customer" <sip:{phone.number}@{phone.domain}>;tag=[pid]xfer[call_number]
[last_To:]
Call-ID: [call_id]
CSeq: 1 ACK
Max-Forwards: 70
Content-Length: 0

]]></send>
  {_play(phone)}
  <pause milliseconds="{talk_ms}"/>
  <send retrans="500"><![CDATA[
BYE [next_url] SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
[routes]
From: "Customer" <sip:{phone.number}@{phone.domain}>;tag=[pid]xfer[call_number]
[last_To:]
Call-ID: [call_id]
CSeq: 2 BYE
Max-Forwards: 70
Content-Length: 0

]]></send>
  <recv response="200"/>""")


def callee(phone: FarPhone, *, ring_ms: int = 300, reinvites: int = 0, dtmf: str = "",
           refer_to: str | None = None, outcome: str = "answered",
           rtp_events: int | None = None, dialled: str | None = None) -> str:
    """sipp answers the agent's call. ``dtmf``: the digits the agent will send by
    INFO, checked one by one. ``refer_to``: expect a REFER to this user, accept it,
    report success by NOTIFY and hang up (the transfer completed). ``outcome``:
    answered | busy. ``rtp_events``: answer with telephone-event at this payload type.
    ``dialled``: the INVITE's request line must be for this user (else sipp fails)."""
    remember = ('<ereg regexp=".*" search_in="hdr" header="From:" assign_to="agent"/>'
                ) if refer_to else (
        '<ereg regexp="[^ ]+" search_in="hdr" header="Replaces:" check_it="false"'
        ' assign_to="replaces"/><log message="invite replaces=[$replaces]."/>')
    if dialled is not None:
        user = re.escape(dialled)
        remember += (f'<ereg regexp="^INVITE sip:{user}@" search_in="msg" check_it="true"'
                     ' assign_to="dialled"/><log message="invite for [$dialled]"/>')
    remember = f"<action>{remember}</action>"
    body = f"""
  <recv request="INVITE" rrs="true">{remember}</recv>
  <send><![CDATA[
SIP/2.0 100 Trying
[last_Via:]
[last_From:]
[last_To:]
[last_Call-ID:]
[last_CSeq:]
Content-Length: 0

]]></send>"""
    if outcome == "busy":
        body += """
  <send><![CDATA[
SIP/2.0 486 Busy Here
[last_Via:]
[last_From:]
[last_To:];tag=[pid]far[call_number]
[last_Call-ID:]
[last_CSeq:]
Content-Length: 0

]]></send>
  <recv request="ACK"/>"""
        return _scenario("callee-busy", body)
    body += f"""
  <send><![CDATA[
SIP/2.0 180 Ringing
[last_Via:]
[last_From:]
[last_To:];tag=[pid]far[call_number]
[last_Call-ID:]
[last_CSeq:]
[last_Record-Route:]
Contact: <sip:{phone.number}@[local_ip]:[local_port]>
Content-Length: 0

]]></send>
  <pause milliseconds="{ring_ms}"/>
  <send retrans="500"><![CDATA[
SIP/2.0 200 OK
[last_Via:]
[last_From:]
[last_To:];tag=[pid]far[call_number]
[last_Call-ID:]
[last_CSeq:]
[last_Record-Route:]
Contact: <sip:{phone.number}@[local_ip]:[local_port]>
Content-Type: application/sdp
Content-Length: [len]

{_sdp(phone, events=rtp_events)}]]></send>
  <recv request="ACK"/>
  {_play(phone)}
  {_answer_reinvites(phone, reinvites)}"""
    for index, digit in enumerate(dtmf):
        escaped = "\\" + digit if digit in "*#" else digit
        body += f"""
  <recv request="INFO">
    <action><ereg regexp="Signal= *{escaped}" search_in="body" check_it="true"
                  assign_to="digit{index}"/>
      <log message="dtmf [$digit{index}]"/></action>
  </recv>
  <send><![CDATA[
SIP/2.0 200 OK
[last_Via:]
[last_From:]
[last_To:]
[last_Call-ID:]
[last_CSeq:]
Content-Length: 0

]]></send>"""
    if refer_to is None:
        body += _wait_bye()
        return _scenario("callee", body)
    notify_head = f"""
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
[routes]
From: <sip:{phone.number}@{phone.domain}>;tag=[pid]far[call_number]
To: [$agent]
Call-ID: [call_id]
Max-Forwards: 70
Contact: <sip:{phone.number}@[local_ip]:[local_port]>"""
    body += f"""
  <recv request="REFER">
    <action><ereg regexp="sip:{refer_to}@" search_in="hdr" header="Refer-To:"
                  check_it="true" assign_to="target"/>
      <log message="refer to [$target]"/></action>
  </recv>
  <send><![CDATA[
SIP/2.0 202 Accepted
[last_Via:]
[last_From:]
[last_To:]
[last_Call-ID:]
[last_CSeq:]
Content-Length: 0

]]></send>
  <send retrans="500"><![CDATA[
NOTIFY [next_url] SIP/2.0{notify_head}
CSeq: 101 NOTIFY
Event: refer
Subscription-State: active;expires=60
Content-Type: message/sipfrag;version=2.0
Content-Length: [len]

SIP/2.0 100 Trying
]]></send>
  <recv response="200"/>
  <send retrans="500"><![CDATA[
NOTIFY [next_url] SIP/2.0{notify_head}
CSeq: 102 NOTIFY
Event: refer
Subscription-State: terminated;reason=noresource
Content-Type: message/sipfrag;version=2.0
Content-Length: [len]

SIP/2.0 200 OK
]]></send>
  <recv response="200"/>
  <send retrans="500"><![CDATA[
BYE [next_url] SIP/2.0{notify_head}
CSeq: 103 BYE
Content-Length: 0

]]></send>
  <recv response="200"/>"""
    return _scenario("callee-refer", body)


def options(phone: FarPhone, agent: str) -> str:
    """sipp asks the agent's phone (through the PBX) what it supports."""
    return _scenario("options", f"""
  <send retrans="500"><![CDATA[
OPTIONS sip:{agent}@{phone.domain} SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
From: <sip:{phone.number}@{phone.domain}>;tag=[pid]far[call_number]
To: <sip:{agent}@{phone.domain}>
Call-ID: [call_id]
CSeq: 1 OPTIONS
Max-Forwards: 70
Content-Length: 0

]]></send>
  <recv response="200">
    <action><ereg regexp="INVITE.*REFER" search_in="hdr" header="Allow:" check_it="true"
                  assign_to="allow"/>
      <log message="allow [$allow]"/></action>
  </recv>""")
