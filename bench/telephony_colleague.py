"""The colleague of the telephony suite's widget conference, in a process of its
own so that the measuring process holds only the consulting agent: signs in as
``alex`` (offers of new conversations declined), answers every call that rings,
plays a tone. Prints ``ready <agent id>`` once signed in; ends when stdin closes.

    python -m bench.telephony_colleague --hub URL [--tone HZ]
"""

from __future__ import annotations

import argparse
import asyncio
import sys

from core.call.call_manager import CallState
from core.call.media_thread import MediaThread
from testbed.call_agent import CallAgent


async def _serve(hub: str, tone_hz: float) -> None:
    thread = MediaThread()
    thread.start()
    try:
        alex = await CallAgent.logged_in(hub, thread, "alex", tone_hz=tone_hz,
                                         accept_offers=False)
        assert alex.probe.welcome is not None
        print(f"ready {alex.probe.welcome.agent.id}", flush=True)
        stdin_closed = asyncio.ensure_future(asyncio.to_thread(sys.stdin.read))
        answered: set[str] = set()
        while not stdin_closed.done():
            for call in list(alex.rung):
                if call.call_id not in answered and call.state == CallState.RINGING_IN:
                    answered.add(call.call_id)
                    await alex.manager.answer(call.call_id)
            await asyncio.wait({stdin_closed}, timeout=0.05)
        await alex.close()
    finally:
        thread.stop()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="telephony_colleague", description=__doc__)
    parser.add_argument("--hub", required=True, help="hub base URL")
    parser.add_argument("--tone", type=float, default=660.0, help="tone to send, in Hz")
    args = parser.parse_args(argv)
    asyncio.run(_serve(args.hub, args.tone))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
