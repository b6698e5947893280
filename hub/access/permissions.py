"""What a signed-in person may do: permissions, and the built-in roles that hold them.

A role is a set of permissions. The built-in roles are defined here; an operator
adds custom roles from a TOML file (hub.access.roles_file) and they are kept in
the database (hub.access.role_store), so every hub process on one database
agrees. docs/security.md lists the table.
"""

from __future__ import annotations

import enum


class Permission(enum.StrEnum):
    CHAT = "chat"  # reply to, close and type in one's own conversations
    PRESENCE = "presence"  # one's own presence and routing options
    OFFERS = "offers"  # accept or decline offered conversations
    TRANSFER = "transfer"  # transfer conversations and calls
    PICK = "pick"  # pick a waiting conversation from a queue by hand
    CALLS = "calls"  # answer, place, hold and hang up calls
    CUSTOMERS_READ = "customers.read"  # profiles, timelines, search (customers in view)
    CUSTOMERS_EDIT = "customers.edit"  # fields, contact points, notes
    CUSTOMERS_MERGE = "customers.merge"  # merge and undo merges
    CUSTOMERS_ALL = "customers.all"  # every customer in view, not only served queues'
    # Fields (hub.access.field_access): contact points in full, and edits of them;
    # attributes marked sensitive revealed one at a time (audited) and edited.
    CUSTOMERS_CONTACT = "customers.contact"
    CUSTOMERS_SENSITIVE = "customers.sensitive"
    TRANSCRIPTS = "transcripts"  # whole transcripts (sensitive: audited)
    STORE_VISITS = "store.visits"  # record walk-in visits
    EMAIL_READ = "email.read"  # mail threads, attachments, raw mail
    EMAIL_SEND = "email.send"  # send mail, upload attachments
    ASSIST = "assist"  # one's own quick replies, verdicts on suggestions
    KB_READ = "kb.read"  # search and read the knowledge base
    KB_EDIT = "kb.edit"  # write and publish articles, read drafts
    FOLLOWUPS = "followups"  # one's own follow-ups
    FOLLOWUPS_ALL = "followups.all"  # anyone's follow-ups
    QA_OWN = "qa.own"  # one's own quality scores, appeals
    QA_REVIEW = "qa.review"  # everyone's scores, the review queue, reviews
    MONITORING = "monitoring"  # live figures, live conversations, listening in
    COACHING = "coaching"  # whisper, barge in, reassign, set an agent's state
    REPORTS = "reports"  # report history, weekly reports, suggestion verdicts
    EXPORTS = "exports"  # make and download report files
    SETTINGS = "settings"  # center-wide settings: team quick replies
    ROLES = "roles"  # give people roles, define roles
    AUDIT = "audit"  # read the audit log
    OUTREACH = "outreach"  # reach out to a customer first (widget or mail)


P = Permission

_AGENT = frozenset({
    P.CHAT, P.PRESENCE, P.OFFERS, P.TRANSFER, P.CALLS, P.CUSTOMERS_READ,
    P.CUSTOMERS_EDIT, P.CUSTOMERS_MERGE, P.CUSTOMERS_CONTACT, P.TRANSCRIPTS,
    P.STORE_VISITS, P.EMAIL_READ, P.EMAIL_SEND, P.ASSIST, P.KB_READ, P.FOLLOWUPS, P.QA_OWN,
    P.OUTREACH,
})
_SUPERVISOR = _AGENT | {
    P.PICK, P.CUSTOMERS_ALL, P.CUSTOMERS_SENSITIVE, P.KB_EDIT, P.FOLLOWUPS_ALL,
    P.QA_REVIEW, P.MONITORING, P.COACHING, P.REPORTS, P.EXPORTS, P.SETTINGS,
}

# Role name -> permissions. ``picker`` is an agent who may also pick by hand.
BUILTIN_ROLES: dict[str, frozenset[Permission]] = {
    "agent": _AGENT,
    "picker": _AGENT | {P.PICK},
    "supervisor": frozenset(_SUPERVISOR),
    "admin": frozenset(Permission),
}
