"""Routing: classify conversations into queues, score them, offer them to agents.

Qt-free and mostly pure: ``config``, ``classify``, ``priority``, ``selector`` and
``sla`` hold no I/O; ``router`` keeps the in-memory indexes one decision reads;
``offers`` runs the offer timers; ``hub_routing`` ties them to the store and peers.
"""
