"""Which permission each agent frame and each HTTP endpoint needs, in one table.

Every frame an agent's desktop may send (core.protocol.agent.ClientFrame) and
every route of the hub's app is declared here; the gate (hub.access.gate) refuses
what is not declared, and tests/hub/access/test_permission_table.py fails when a
frame or a route is missing. A new command is one line:

    myfeature.DoThing: needs(P.SOMETHING, audit=A.THING_DONE),

``audit`` names the audit-log action written for it: for a command, in its unit
of work once it applied (a duplicate writes nothing); for a read, when it is let in.
"""

from __future__ import annotations

from dataclasses import dataclass

from core.protocol import agent as ap
from core.protocol import assist as asp
from core.protocol import call as cl
from core.protocol import coaching as cop
from core.protocol import email as ep
from core.protocol import followups as fp
from core.protocol import knowledge as kp
from core.protocol import outreach as orp
from core.protocol import profile as pp
from core.protocol import quality as qp
from core.protocol import reports as rpt
from core.protocol import routing as rp
from core.protocol import sip_calls as sp
from core.protocol import supervision as sup
from hub.access.audit_log import AuditAction as A
from hub.access.permissions import Permission as P  # noqa: N817


@dataclass(frozen=True)
class Rule:
    """``permission`` None: any signed-in person (ping, typing's own echo)."""

    permission: P | None
    audit: A | None = None


def needs(permission: P | None, audit: A | None = None) -> Rule:
    return Rule(permission, audit)


SIGNED_IN = Rule(None)

FRAME_RULES: dict[type, Rule] = {
    ap.Hello: SIGNED_IN,  # a second hello is answered "already said hello"
    ap.Ping: SIGNED_IN,
    ap.SendMessage: needs(P.CHAT),
    ap.CloseConversation: needs(P.CHAT),
    ap.Typing: needs(P.CHAT),
    ap.Delivered: needs(P.CHAT),
    ap.SetPresence: needs(P.PRESENCE),
    ap.RecordVisit: needs(P.STORE_VISITS, audit=A.VISIT_RECORDED),
    ap.FetchCustomers: needs(P.CUSTOMERS_READ),
    pp.FetchCustomer: needs(P.CUSTOMERS_READ),
    pp.FetchTimeline: needs(P.CUSTOMERS_READ),
    pp.SearchCustomers: needs(P.CUSTOMERS_READ),
    pp.FetchTranscript: needs(P.TRANSCRIPTS, audit=A.TRANSCRIPT_VIEWED),
    # Its audit row (field_revealed) is written with the read, once the customer is
    # found in view (hub.profile.profile_store.reveal_attribute).
    pp.RevealField: needs(P.CUSTOMERS_SENSITIVE),
    pp.UpdateCustomer: needs(P.CUSTOMERS_EDIT, audit=A.PROFILE_EDITED),
    pp.AddNote: needs(P.CUSTOMERS_EDIT, audit=A.NOTE_ADDED),
    pp.EditNote: needs(P.CUSTOMERS_EDIT, audit=A.NOTE_EDITED),
    pp.AddIdentity: needs(P.CUSTOMERS_EDIT, audit=A.IDENTITY_ADDED),
    pp.RemoveIdentity: needs(P.CUSTOMERS_EDIT, audit=A.IDENTITY_REMOVED),
    pp.MergeCustomers: needs(P.CUSTOMERS_MERGE, audit=A.MERGED),
    pp.UnmergeCustomers: needs(P.CUSTOMERS_MERGE, audit=A.UNMERGED),
    ep.SendEmail: needs(P.EMAIL_SEND, audit=A.EMAIL_SENT),
    ep.FetchEmails: needs(P.EMAIL_READ),
    cl.AnswerCall: needs(P.CALLS),
    cl.DeclineCall: needs(P.CALLS),
    cl.HangupCall: needs(P.CALLS),
    cl.HoldCall: needs(P.CALLS),
    cl.ResumeCall: needs(P.CALLS),
    cl.SendDtmf: needs(P.CALLS),
    cl.StartCall: needs(P.CALLS),
    cl.SetCallRecording: needs(P.CALLS),  # on-demand start/stop of one's own call
    # SIP calls the desktop reports: always the reporting agent's own call
    sp.SipCallStarted: needs(P.CALLS),
    sp.SipCallAnswered: needs(P.CALLS),
    sp.SipCallEnded: needs(P.CALLS),
    cl.WrapUpCall: needs(P.CALLS),
    cl.ReportQuality: needs(P.CALLS),
    cl.TransferCall: needs(P.TRANSFER, audit=A.CALL_TRANSFERRED),
    cl.AnswerListen: needs(P.CALLS),  # the listened-to agent's engine answers
    cl.StopListening: needs(P.CALLS),  # either side ends the listening leg
    cl.ListenToCall: needs(P.MONITORING, audit=A.CALL_LISTENED),
    # Consulting a colleague on a widget call; the colleague's side needs calls.
    cl.ConsultCall: needs(P.TRANSFER),
    cl.CompleteConsult: needs(P.TRANSFER, audit=A.CALL_TRANSFERRED),
    cl.AnswerConsult: needs(P.CALLS),
    cl.EndConsult: needs(P.CALLS),
    cl.SetListenMode: needs(P.COACHING),
    rp.AcceptOffer: needs(P.OFFERS),
    rp.DeclineOffer: needs(P.OFFERS),
    rp.Transfer: needs(P.TRANSFER, audit=A.TRANSFERRED),
    rp.PickConversation: needs(P.PICK, audit=A.PICKED),
    rp.SetAgentOptions: needs(P.PRESENCE),
    asp.SaveQuickReply: needs(P.ASSIST),
    asp.DeleteQuickReply: needs(P.ASSIST),
    asp.SuggestionFeedback: needs(P.ASSIST),
    asp.ListSuggestionFeedback: needs(P.REPORTS),
    kp.KbSearch: needs(P.KB_READ),
    kp.KbFetch: needs(P.KB_READ),
    kp.KbList: needs(P.KB_READ),
    kp.KbVersions: needs(P.KB_READ),
    kp.KbSave: needs(P.KB_EDIT),
    kp.KbPublish: needs(P.KB_EDIT, audit=A.KB_PUBLISHED),
    cop.MonitorConversation: needs(P.MONITORING, audit=A.MONITORED),
    cop.StopMonitoring: needs(P.MONITORING, audit=A.MONITOR_STOPPED),
    cop.FetchLiveConversations: needs(P.MONITORING),
    cop.Whisper: needs(P.COACHING, audit=A.WHISPERED),
    cop.BargeIn: needs(P.COACHING, audit=A.BARGED_IN),
    cop.BargeMessage: needs(P.COACHING),
    cop.Reassign: needs(P.COACHING, audit=A.REASSIGNED),
    cop.SetAgentState: needs(P.COACHING, audit=A.AGENT_STATE_SET),
    sup.WatchFigures: needs(P.MONITORING),
    sup.UnwatchFigures: needs(P.MONITORING),
    sup.DrillDown: needs(P.MONITORING),
    qp.QaListScores: needs(P.QA_OWN),
    qp.QaFetchScore: needs(P.QA_OWN),
    qp.QaAggregates: needs(P.QA_OWN),
    qp.QaReviewQueue: needs(P.QA_REVIEW),
    qp.QaReview: needs(P.QA_REVIEW, audit=A.QA_REVIEWED),
    qp.QaAppeal: needs(P.QA_OWN),
    rpt.ReportHistory: needs(P.REPORTS),
    rpt.ListWeeklyReports: needs(P.REPORTS),
    rpt.MakeWeeklyReport: needs(P.EXPORTS, audit=A.REPORT_MADE),
    fp.CreateFollowUp: needs(P.FOLLOWUPS),
    fp.UpdateFollowUp: needs(P.FOLLOWUPS),
    orp.ReachOut: needs(P.OUTREACH, audit=A.REACHED_OUT),
}


@dataclass(frozen=True)
class HttpRule:
    """``public``: no token (the page, the widget, login, health, the rating page,
    the websockets, which authenticate their hello); otherwise a valid bearer token
    and, unless None, ``permission``."""

    public: bool = False
    permission: P | None = None
    audit: A | None = None
    also: P | None = None  # a second permission the answer's content needs



PUBLIC = HttpRule(public=True)
TOKEN = HttpRule()


def token(permission: P, also: P | None = None, audit: A | None = None) -> HttpRule:
    return HttpRule(permission=permission, audit=audit, also=also)


# (method, route path) -> rule. WEBSOCKET is the method of a websocket route;
# ``/static`` covers the mount's files.
HTTP_RULES: dict[tuple[str, str], HttpRule] = {
    ("GET", "/"): PUBLIC,
    ("GET", "/healthz"): PUBLIC,
    ("GET", "/readyz"): PUBLIC,
    ("GET", "/metrics"): PUBLIC,  # its own guard: this machine, or the metrics token
    ("POST", "/api/login"): PUBLIC,
    ("POST", "/api/logout"): TOKEN,
    ("GET", "/api/digest"): TOKEN,
    ("GET", "/api/widget/topics"): PUBLIC,
    ("GET", "/api/email/attachments/{id}"): token(P.EMAIL_READ,
                                                  audit=A.ATTACHMENT_DOWNLOADED),
    # The raw mail holds the sender's address in full.
    ("GET", "/api/email/raw/{message_id}"): token(P.EMAIL_READ, P.CUSTOMERS_CONTACT,
                                                  audit=A.RAW_MAIL_DOWNLOADED),
    ("POST", "/api/email/uploads"): token(P.EMAIL_SEND),
    # Recordings: who may fetch which one is the recordings' own rule (the agent of the
    # call, a supervisor of their team, an admin), each attempt kept in
    # recording_access; a fetch served is also a row of the chained audit log.
    ("PUT", "/api/calls/{call_id}/recording"): token(P.CALLS),
    ("GET", "/api/calls/{call_id}/recording"): token(P.CALLS, audit=A.RECORDING_FETCHED),
    ("GET", "/api/recordings"): token(P.CALLS),
    ("GET", "/api/reports/weekly/{week}/{name}"): token(P.EXPORTS,
                                                        audit=A.REPORT_DOWNLOADED),
    ("GET", "/rate/{token}"): PUBLIC,  # the signed link is the credential
    ("POST", "/rate/{token}"): PUBLIC,
    ("WEBSOCKET", "/agent"): PUBLIC,  # the hello's token; then every frame per FRAME_RULES
    ("WEBSOCKET", "/customer"): PUBLIC,
    ("GET", "/static"): PUBLIC,
}
