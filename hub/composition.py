"""The hub's composition root: the one place its parts are built and wired.

Store, fan-out, routing, profiles, calls and email are made here and handed to
each other through their constructors; no part reaches into another to attach
itself. A hub with PostgreSQL or a cross-process bus changes what is built here.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from pathlib import Path

from core.protocol import call as cl
from core.protocol.models import Channel
from hub.access.gate import AccessControl
from hub.assist.escalation_service import EscalationService
from hub.assist.kb_service import KbService
from hub.assist.kb_store import KnowledgeBaseStore, Language
from hub.assist.knowledge_base import KnowledgeBase
from hub.assist.quick_replies import QuickReplies
from hub.assist.suggestions import (
    ArticleHit,
    ArticleSearch,
    ArticleSource,
    QuickReplySource,
    SuggestionService,
    SuggestionSource,
)
from hub.calls.call_forwarding import CallForwarding
from hub.calls.recordings import CallRecordings, default_recordings_dir
from hub.calls.relay import CallRelay
from hub.calls.sip_calls import SipCallReports
from hub.calls.transcripts.engine import Transcriber
from hub.calls.transcripts.service import TranscriptionService
from hub.calls.transcripts.transcript_store import TranscriptStore, quality_transcripts
from hub.config import HubConfig
from hub.email.channel import EmailChannel
from hub.email.config import EmailConfig
from hub.feedback.config import link_secret
from hub.feedback.email_footer import with_rating_links
from hub.feedback.rating_links import RatingLinks
from hub.feedback.rating_store import FeedbackStore
from hub.feedback.service import FeedbackService
from hub.followups import config as followups_config
from hub.followups.followup_mail import FollowUpMailer
from hub.followups.followup_store import FollowUpStore
from hub.followups.left_messages import LeftMessages
from hub.followups.reminders import Reminders
from hub.followups.service import FollowUpService
from hub.outreach import config as outreach_config
from hub.outreach.outreach_store import OutreachStore
from hub.outreach.service import OutreachService
from hub.profile.service import ProfileService
from hub.routing import config as routing_config
from hub.routing.actions import RoutingActions
from hub.routing.cluster import ClusterAbsence, ClusterRouting
from hub.routing.cluster_store import ClusterStore
from hub.routing.config import RoutingSettings
from hub.routing.engine import RoutingEngine
from hub.routing.offers import Clock, LoopClock
from hub.selfservice.bot import SelfServiceBot
from hub.service import HubService
from hub.store.bus import StreamFanOut
from hub.store.customer_links import CustomerLinks
from hub.store.relay_frames import RelayFrames
from hub.store.store import Store
from hub.supervision import metrics
from hub.supervision import thresholds as supervision_thresholds
from hub.supervision.call_listening import CallListening
from hub.supervision.coaching import CoachingService
from hub.supervision.coaching_store import CoachingStore
from hub.supervision.contact_log import ContactLog
from hub.supervision.feed import SupervisionFeed
from hub.supervision.quality import rules as quality_rules
from hub.supervision.quality.scoring import scorer_for
from hub.supervision.quality.service import QualityService
from hub.supervision.reports import settings as reports_settings
from hub.supervision.reports.report_service import ReportService
from hub.supervision.reports.scheduler import Mailer, ReportScheduler, default_out_dir
from hub.supervision.reports.weekly_runs import WeeklyRuns
from hub.supervision.reports.wiring import StoredQualityScores, WallboardServiceLevels
from hub.transport.fanout import SocketFanOut
from hub.transport.peers import PeerRegistry
from hub.unit_of_work import UnitOfWork


@dataclass
class HubParts:
    store: Store
    fanout: SocketFanOut
    routing: RoutingEngine
    routing_actions: RoutingActions
    profiles: ProfileService
    calls: CallRelay
    email: EmailChannel
    service: HubService
    assist: EscalationService
    knowledge: KbService
    feedback: FeedbackService
    supervision: SupervisionFeed
    quality: QualityService
    transcripts: TranscriptionService | None = None
    reports: ReportScheduler | None = None
    followup_mailer: FollowUpMailer | None = None
    # Call recordings uploaded by desktops; ``recordings.on_recording_stored`` is the
    # list of callbacks (call id, file, channels) run after one is stored: where
    # transcription attaches.
    recordings: CallRecordings | None = None


def compose(
    store: Store,
    config: HubConfig | None = None,
    clock: Clock | None = None,
    email: EmailConfig | None = None,
    kb_search: ArticleSearch | None = None,
    cluster_token: str | None = None,
) -> HubParts:
    """Every part of one hub over ``store``; ``email`` overrides ``config.email``;
    ``kb_search`` is the knowledge base's retrieval, suggesting articles;
    ``cluster_token`` (PostgreSQL) names this process among several that route
    together (hub.routing.cluster)."""
    config = config or HubConfig(db="")
    agents, customers = PeerRegistry(), PeerRegistry()
    # On PostgreSQL other hub processes may write an agent's stream (hub.store.bus).
    fanout = (
        StreamFanOut(agents, customers, store, RelayFrames(store.db))
        if store.engine.dialect.name == "postgresql"
        else SocketFanOut(agents, customers)
    )
    profiles = ProfileService(store, fanout)
    settings = routing_config.load(config.routing_config)
    if config.call_ring_timeout_s is not None:  # a call rings as long as its voice offer
        settings.offer_timeout_s[Channel.VOICE] = config.call_ring_timeout_s
    clock = clock or LoopClock()
    # One unit of work per command, inbound frame and timer. A unit that fails leaves
    # nothing in the store; the router in memory is rebuilt from it (``on_failure``,
    # set once the router exists).
    unit = UnitOfWork(store.db, fanout)
    routing = RoutingEngine(store, settings, clock, fanout, unit.run)
    routing_actions = RoutingActions(routing, fanout)
    # Contacts and presence changes, for the supervisor's figures and the reports.
    contact_log = ContactLog(store.db)
    routing.contact_watchers.append(contact_log)
    supervision = SupervisionFeed(
        store, routing, contact_log,
        supervision_thresholds.load(config.supervision_thresholds,
                                    [q.id for q in settings.queues]),
        fanout, agents,
    )
    supervision.start()
    calls = CallRelay(
        store, fanout, agents, customers, routing, routing_actions,
        [cl.Disposition(code, label) for code, label in config.call_dispositions],
        settings.offer_timeout_s.get(Channel.VOICE, 20.0),
        config.call_ice_servers,
        config.call_queue_timeout_s,
        unit.run,
    )
    # The relay rings a desktop for each voice offer the router makes.
    routing.watchers.append(calls)
    # A conversation that became an agent's says whether its customer is online.
    fanout.listeners.append(calls.online.published)
    unit.on_failure = routing.reload
    channel = EmailChannel(store, fanout, profiles, routing.route, email or config.email,
                           unit=unit.run, holder=cluster_token)
    knowledge = KbService(
        KnowledgeBase(KnowledgeBaseStore(store.engine, store.settings, store.db)), fanout
    )
    quick_replies = QuickReplies(store, fanout)
    sources: list[SuggestionSource] = [
        QuickReplySource(quick_replies),
        ArticleSource(kb_search or article_search(knowledge.knowledge)),
    ]
    suggestions = SuggestionService(
        store, fanout, unit, sources,
        # the question's embedding starts when the message arrives (see prefetch)
        prefetch=None if kb_search else knowledge.knowledge.prefetch)
    # What a customer wrote, once it has gone out to the agent, gets suggestions.
    fanout.listeners.append(suggestions.published)
    assist = EscalationService(store, fanout, routing, config.assist_rules)
    fb = config.feedback
    feedback = FeedbackService(
        FeedbackStore(store.engine, fb.nps_period_s),
        RatingLinks(link_secret(fb, config.db), fb.link_ttl_s), fb.public_url,
    )
    if fb.email_links:
        channel.rating_footer = partial(with_rating_links, feedback.link)
    kb = knowledge.knowledge
    bot = SelfServiceBot(
        store, fanout, unit.run, settings.bot, kb_search or article_search(kb),
        lambda text: assist.classifier().classify(text),
        lambda article_id: _article_body(kb, article_id),
        lambda conversation_id, inbound: routing.route(conversation_id, inbound),
    ) if settings.bot.topics or settings.bot.no_topic else None
    coaching_store = CoachingStore(store.engine, store.settings, store.db)
    coaching = CoachingService(coaching_store, fanout, routing, routing_actions, unit.run)
    # SIP calls the desktops report (the PBX carries them).
    sip_calls = SipCallReports(store, fanout, routing, profiles, calls.records,
                               lambda queue_id: _recording_policy(settings, queue_id)[0])
    # Supervisors listen to widget calls and to answered SIP calls alike; a leg ends
    # with its call (the relay tells of widget calls, the reports of SIP calls).
    listening = CallListening(coaching_store, fanout, lambda: calls.calls,
                              sip_calls.connected_in)
    calls.listening = listening
    sip_calls.call_did_end.append(listening.call_left_agent)
    # Supervisors monitoring a conversation get copies of its agent's events.
    fanout.publishing.append(coaching.publishing)
    # Every closed conversation is scored (hub/supervision/quality); a close wakes it.
    # Calls' transcripts (hub/calls/transcripts) are their text for the rules.
    scorer = scorer_for(store.db, settings, quality_rules.load(config.quality_rules),
                        transcripts=quality_transcripts(store.db))
    fanout.listeners.append(scorer.published)
    quality = QualityService(store.db, scorer)
    # Follow-ups and messages left with nobody available (hub/followups).
    mail = email or config.email
    fu_store = FollowUpStore(store.engine, store.settings, store.db)
    fu_settings = followups_config.load(config.routing_config)
    mailer = FollowUpMailer(
        fu_store, mail, fu_store.left_text, clock.now_ms, fu_settings.mail_attempts,
        settings.hours.timezone,
    ) if mail is not None and mail.smtp is not None else None
    followups = FollowUpService(
        fu_store, store, fanout, customers, fu_settings,
        Reminders(fu_store, fanout, clock, unit.run), clock.now_ms,
        mailer.wake if mailer is not None else None,
    )
    # Whoever takes the conversation of a message left owns its follow-up.
    routing.contact_watchers.append(followups)
    left = LeftMessages(fu_store, store, fanout, routing, routing_actions, followups,
                        clock.now_ms)
    service = HubService(
        store, fanout, unit, agents, customers, routing, routing_actions, profiles, calls,
        channel, config, quick_replies, suggestions, assist, knowledge, feedback, bot,
        coaching=coaching, supervision=supervision, quality=quality,
        followups=followups, left_messages=left,
        access=AccessControl(store.db, lambda: store.settings.attributes),
        sip_calls=sip_calls,
    )
    if cluster_token is not None:
        cluster_store = ClusterStore(store.db)
        if isinstance(fanout, StreamFanOut) and fanout.relay is not None:
            # A call's agent commands reach the process holding the call.
            token = cluster_token
            service.call_forwarding = CallForwarding(
                calls, fanout, fanout.relay,
                lambda: bool(cluster_store.live_processes() - {token}))
            # The router may be another process than the one holding a call.
            routing.watchers.append(service.call_forwarding)
        routing.cluster = ClusterRouting(routing, cluster_store, cluster_token)
        if isinstance(fanout, StreamFanOut):
            # Which process holds which customer's widget (a follow-up's notice
            # goes to the widget when it is open on any process).
            links = CustomerLinks(store.db, cluster_token, customers,
                                  cluster_store.live_processes)
            fanout.links = links
            customers.first_added.append(links.joined)
            customers.last_removed.append(links.left)
        routing.cluster.local_agents = agents.owners
        service.absence = ClusterAbsence(
            routing.cluster, config.away_grace_s, config.release_after_s,
            service._absence_grace, service._absence_release, service._auto_away)
    # Historical reports for supervisors, on the wallboard's metric code; the weekly
    # report and retention on a schedule (hub/supervision/reports/reports.toml).
    levels = WallboardServiceLevels(store.db, metrics.Standards(settings))
    scheduler = ReportScheduler(
        store.engine, reports_settings.load(config.reports_config), default_out_dir(config.db),
        levels, StoredQualityScores(store.engine),
        Mailer(mail) if mail is not None and mail.smtp is not None else None)
    # The weekly reports made so far, and a week made on a supervisor's request.
    service.reports = ReportService(
        store.engine, levels, WeeklyRuns(store.engine, scheduler.out_dir, scheduler.write_week))
    # A customer's mail is classified like a chat message (sentiment, escalation).
    channel.inbound.received = service.email_received
    # Proactive outreach: the widget's page reports and agents' reach-outs (hub/outreach).
    service.outreach = OutreachService(
        outreach_config.load(config.outreach_config),
        OutreachStore(store.engine, store.settings, store.db), store, fanout, customers,
        routing, channel, unit.run, clock.now_ms)
    # Call recordings: stored per the queue's policy; retention removes their files too.
    recordings_dir = (Path(config.recordings_dir) if config.recordings_dir
                      else default_recordings_dir(config.db))
    recordings = CallRecordings(store.engine, recordings_dir,
                                partial(_recording_policy, settings))
    scheduler.recordings_dir = recordings_dir
    # Recorded calls are transcribed on worker threads, as each recording is stored.
    transcripts = TranscriptionService(
        TranscriptStore(store), Transcriber(), fanout, config.transcript_workers,
    ) if config.transcript_workers > 0 else None
    if transcripts is not None:
        queue = transcripts

        def transcribe(call_id: str, path: Path, _channels: int) -> None:
            queue.submit(call_id, path)

        recordings.on_recording_stored.append(transcribe)
    return HubParts(store, fanout, routing, routing_actions, profiles, calls, channel, service,
                    assist, knowledge, feedback, supervision, quality, transcripts, scheduler,
                    mailer, recordings)


def _recording_policy(settings: RoutingSettings, queue_id: str | None
                      ) -> tuple[cl.RecordingPolicy, int]:
    """A queue's recording policy and retention days (none for an unknown queue)."""
    queue = settings.queue(queue_id) if queue_id else None
    if queue is None:
        return cl.NO_RECORDING, 0
    return queue.recording, queue.recording_retention_days


def article_search(knowledge: KnowledgeBase) -> ArticleSearch:
    """The knowledge base's retrieval as a suggestion source's search (published
    articles only; the question's language, when known, helps segmentation)."""

    def search(text: str, language: str | None, limit: int) -> list[ArticleHit]:
        lang = Language(language) if language in {"zh", "en"} else None
        return [ArticleHit(id=h.id, title=h.title, answer=h.answer, score=h.score,
                           matched=tuple(h.matched))
                for h in knowledge.suggest(text, lang, limit)]

    return search


def _article_body(knowledge: KnowledgeBase, article_id: str) -> str | None:
    article = knowledge.store.article(article_id)
    return article.body if article is not None else None
