"""The code that reaches into aiortc's and sounddevice's private parts: it refuses
versions it was not written for, loudly, and its reaches work on the installed ones."""

from __future__ import annotations

from typing import Any

import pytest

from core.call import compat_aiortc, compat_sounddevice, jitter_buffer
from core.call.library_versions import UnsupportedLibraryVersion, release, require


def test_release_numbers_ignore_suffixes() -> None:
    assert release("1.16.0") == (1, 16, 0)
    assert release("0.5.6rc1") == (0, 5, 6)
    assert release("1.16.0+local") == (1, 16, 0)
    assert release("not a version") == ()


@pytest.mark.parametrize("version", ["1.2", "1.2.0", "1.2.9", "1.9.1rc2"])
def test_a_version_in_range_is_accepted(version: str) -> None:
    require("lib", version, (1, 2), (1, 10))


@pytest.mark.parametrize("version", ["1.1.9", "1.10", "1.10.0", "2.0", "", "dev"])
def test_a_version_out_of_range_names_the_library_and_the_version(version: str) -> None:
    with pytest.raises(UnsupportedLibraryVersion) as raised:
        require("lib", version, (1, 2), (1, 10))
    error = raised.value
    assert (error.library, error.version, error.supported) == ("lib", version, ">=1.2,<1.10")
    assert str(error).startswith(f"lib {version} is not supported")


def test_the_installed_versions_are_the_supported_ones() -> None:
    compat_aiortc.check()
    compat_sounddevice.check()


@pytest.mark.parametrize(("compat", "library", "versions"), [
    (compat_aiortc, "aiortc", ["1.15.2", "1.17.0", "2.0.0"]),
    (compat_sounddevice, "sounddevice", ["0.4.7", "0.6.0", "1.0"]),
])
def test_other_versions_are_refused(compat: Any, library: str, versions: list[str]) -> None:
    for version in versions:
        with pytest.raises(UnsupportedLibraryVersion, match=f"^{library} {version} "):
            compat.check(version)


def test_the_pins_in_pyproject_are_the_checked_ranges() -> None:
    import tomllib
    from pathlib import Path

    pyproject = Path(__file__).resolve().parents[3] / "pyproject.toml"
    dependencies = tomllib.loads(pyproject.read_text())["project"]["dependencies"]
    for compat, library in ((compat_aiortc, "aiortc"), (compat_sounddevice, "sounddevice")):
        at_least = ".".join(map(str, compat.AT_LEAST))
        below = ".".join(map(str, compat.BELOW))
        assert f"{library}>={at_least},<{below}" in dependencies


async def test_the_jitter_buffer_goes_into_a_real_receiver() -> None:
    from aiortc import RTCPeerConnection

    pc = RTCPeerConnection()
    try:
        receiver = pc.addTransceiver("audio").receiver
        buffer = jitter_buffer.install(receiver)
        assert receiver._RTCRtpReceiver__jitter_buffer is buffer
    finally:
        await pc.close()


def test_a_receiver_without_the_buffer_is_refused() -> None:
    with pytest.raises(RuntimeError, match="jitter buffer elsewhere"):
        compat_aiortc.replace_jitter_buffer(object(), jitter_buffer.LowDelayJitterBuffer())


def test_the_buffer_reads_the_payload_the_receiver_left_on_the_packet() -> None:
    from aiortc.rtp import RtpPacket

    packet = RtpPacket(payload_type=111, sequence_number=1, timestamp=960)
    assert compat_aiortc.packet_payload(packet) == b""  # nothing depayloaded yet
    packet._data = b"opus"  # type: ignore[attr-defined]  # as RTCRtpReceiver does
    assert compat_aiortc.packet_payload(packet) == b"opus"


async def test_the_ice_send_of_a_real_transport_is_wrapped() -> None:
    from aiortc import RTCPeerConnection

    pc = RTCPeerConnection()
    try:
        ice = pc.addTransceiver("audio").sender.transport.transport
        original = ice._send
        seen: list[object] = []

        async def replacement(data: bytes) -> None:
            return None

        def wrap(send: Any) -> Any:
            seen.append(send)
            return replacement

        compat_aiortc.wrap_ice_send(ice, wrap)
        assert seen == [original] and ice._send is replacement
    finally:
        await pc.close()


def test_portaudio_is_reinitialised_through_the_private_calls() -> None:
    calls: list[str] = []

    class FakeSounddevice:
        def _terminate(self) -> None:
            calls.append("terminate")

        def _initialize(self) -> None:
            calls.append("initialize")

    compat_sounddevice.reinitialise(FakeSounddevice())
    assert calls == ["terminate", "initialize"]


def test_the_installed_sounddevice_has_the_private_calls() -> None:
    try:
        import sounddevice  # type: ignore[import-untyped]
    except OSError:  # no libportaudio2 on this machine
        pytest.skip("PortAudio is not installed")
    assert callable(sounddevice._terminate) and callable(sounddevice._initialize)


def test_the_audio_level_is_aiortcs_computed_with_numpy() -> None:
    import av
    import numpy as np

    compat_aiortc.fast_audio_level()
    from aiortc import rtp

    assert rtp.compute_audio_level_dbov is compat_aiortc.audio_level_dbov
    original = compat_aiortc.replaced_audio_level
    assert original is not None and original is not compat_aiortc.audio_level_dbov
    rng = np.random.default_rng(7)
    levels = set()
    for i in range(400):
        scale = 10 ** rng.uniform(-6.5, 0) * 32767
        samples = (rng.standard_normal(960) * scale).clip(-32768, 32767).astype(np.int16)
        if i == 0:
            samples[:] = 0
        elif i == 1:
            samples[:] = -32768
        frame = av.AudioFrame.from_ndarray(samples.reshape(1, -1), format="s16", layout="mono")
        frame.sample_rate = 48_000
        assert compat_aiortc.audio_level_dbov(frame) == original(frame), i
        levels.add(original(frame))
    assert {-127, 0} <= levels and len(levels) > 50  # silence, full scale and between


async def test_a_real_sender_encodes_in_place() -> None:
    import asyncio

    from aiortc import RTCPeerConnection

    pc = RTCPeerConnection()
    try:
        sender = pc.addTransceiver("audio").sender
        compat_aiortc.encode_in_place(sender)
        compat_aiortc.encode_in_place(sender)  # twice is once
        loop = sender._RTCRtpSender__loop
        assert loop is not asyncio.get_running_loop()
        assert loop.time is not None  # everything else is the real loop's
        done = loop.run_in_executor(None, lambda a, b: a + b, 2, 3)
        assert done.done() and await done == 5

        def broken() -> None:
            raise ValueError("encoder failed")

        failed = loop.run_in_executor(None, broken)
        with pytest.raises(ValueError, match="encoder failed"):
            await failed
    finally:
        await pc.close()


def test_a_sender_without_its_loop_is_refused() -> None:
    with pytest.raises(RuntimeError, match="sender's loop elsewhere"):
        compat_aiortc.encode_in_place(object())


async def test_a_real_receiver_decodes_in_place_and_ends_through_its_thread() -> None:
    import asyncio
    import threading

    from aiortc import RTCPeerConnection
    from aiortc.jitterbuffer import JitterFrame
    from aiortc.rtcrtpparameters import RTCRtpCodecParameters

    pc = RTCPeerConnection()
    try:
        receiver = pc.addTransceiver("audio").receiver
        assert compat_aiortc.decode_in_place(receiver)
        assert compat_aiortc.decode_in_place(receiver)  # twice is once
        queue = receiver._RTCRtpReceiver__decoder_queue
        from aiortc.rtcrtpreceiver import RemoteStreamTrack

        receiver._track = RemoteStreamTrack("audio")  # what receive() makes
        pcmu = RTCRtpCodecParameters(mimeType="audio/PCMU", clockRate=8000, payloadType=0)
        queue.put((pcmu, JitterFrame(data=b"\xff" * 160, timestamp=0)))
        frame = receiver._track._queue.get_nowait()  # decoded at once, on this thread
        assert (frame.samples, frame.sample_rate) == (160, 8000)

        # aiortc's decoder thread waits on the queue until the receiver stops.
        got: list[object] = []
        thread = threading.Thread(target=lambda: got.append(queue.get()))
        thread.start()
        await asyncio.sleep(0)
        assert thread.is_alive()
        queue.put(None)
        thread.join(5)
        assert not thread.is_alive() and got == [None]
    finally:
        await pc.close()


async def test_a_receiver_already_decoding_in_its_thread_is_left_alone() -> None:
    from aiortc import RTCPeerConnection

    pc = RTCPeerConnection()
    try:
        receiver = pc.addTransceiver("audio").receiver
        original = receiver._RTCRtpReceiver__decoder_queue
        receiver._RTCRtpReceiver__decoder_thread = object()  # as if receive() had run
        assert not compat_aiortc.decode_in_place(receiver)
        assert receiver._RTCRtpReceiver__decoder_queue is original
        receiver._RTCRtpReceiver__decoder_thread = None
    finally:
        await pc.close()
    with pytest.raises(RuntimeError, match="decodes elsewhere"):
        compat_aiortc.decode_in_place(object())
