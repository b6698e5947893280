"""The far phone for the SIP tests: sipp scenarios, a PCMU tone file, and a
recorder for the audio that reaches the far phone.

sipp sends its tone with ``rtp_stream`` (a μ-law WAV made by sox) from its own
RTP port, but it cannot record. Its SDP therefore names the port of an
``RtpRecorder`` (a plain UDP socket at the far phone's address) as where it
wants to receive; the PBX sends the agent's audio there, and the recording is
written as a WAV file that sox analyses.
"""

from __future__ import annotations

import contextlib
import re
import socket
import struct
import subprocess
import threading
import time
import wave
from dataclasses import dataclass
from pathlib import Path

import numpy as np

__all__ = ["RtpEvent", "RtpRecorder", "Sipp", "make_tone_file", "sox_band_rms", "sox_frequency",
           "ulaw_decode"]


def make_tone_file(path: Path, frequency_hz: float, seconds: float,
                   silence_first_s: float = 0.0) -> Path:
    """A μ-law 8 kHz mono WAV holding a sine tone (what sipp streams as PCMU),
    optionally after some silence."""
    subprocess.run(["sox", "-n", "-r", "8000", "-c", "1", "-e", "u-law", str(path), "synth",
                    str(seconds), "sine", str(frequency_hz), "vol", "0.5",
                    "pad", str(silence_first_s), "0"], check=True,
                   capture_output=True, timeout=30)
    return path


def sox_frequency(path: Path) -> tuple[float, float]:
    """sox's rough frequency and RMS amplitude of a WAV file."""
    result = subprocess.run(["sox", str(path), "-n", "stat"], capture_output=True, text=True,
                            timeout=30)
    text = result.stderr
    freq = re.search(r"Rough\s+frequency:\s+(-?\d+)", text)
    rms = re.search(r"RMS\s+amplitude:\s+([0-9.]+)", text)
    if freq is None or rms is None:
        raise RuntimeError(f"sox could not analyse {path}: {text[-500:]}")
    return float(freq.group(1)), float(rms.group(1))


def sox_band_rms(path: Path, low_hz: float, high_hz: float) -> float:
    """sox's RMS amplitude (0..1) of a WAV file within one frequency band: with
    several tones mixed, each band shows whether its tone is there."""
    result = subprocess.run(["sox", str(path), "-n", "sinc", f"{low_hz:g}-{high_hz:g}", "stat"],
                            capture_output=True, text=True, timeout=30)
    found = re.search(r"RMS\s+amplitude:\s+([0-9.]+)", result.stderr)
    if found is None:
        raise RuntimeError(f"sox could not analyse {path}: {result.stderr[-500:]}")
    return float(found.group(1))


def _ulaw_table() -> np.ndarray:
    values = np.arange(256, dtype=np.int32)
    u = ~values & 0xFF
    sign = u & 0x80
    exponent = (u >> 4) & 0x07
    mantissa = u & 0x0F
    magnitude = ((mantissa << 3) + 0x84) << exponent
    sample = magnitude - 0x84
    return np.where(sign != 0, -sample, sample).astype(np.int16)


_ULAW = _ulaw_table()


def ulaw_decode(data: bytes) -> np.ndarray:
    return _ULAW[np.frombuffer(data, dtype=np.uint8)]


class RtpRecorder:
    """Receives RTP on one UDP port; keeps PCMU payloads in arrival order."""

    def __init__(self, host: str, port: int = 0) -> None:
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self._sock.bind((host, port))
        self._sock.settimeout(0.2)
        self.port = self._sock.getsockname()[1]
        self._payloads: list[bytes] = []
        self._arrivals: list[float] = []  # time.monotonic() of each PCMU payload
        self.packets = 0
        self.other_payload_types: set[int] = set()
        self.audio_ssrcs: set[int] = set()
        self.events: list[RtpEvent] = []  # 4-byte payloads of other types, in arrival order
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="rtp-recorder", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                data, _ = self._sock.recvfrom(2048)
            except TimeoutError:
                continue
            except OSError:
                return
            if len(data) < 12 or data[0] >> 6 != 2:
                continue
            payload_type = data[1] & 0x7F
            csrc = data[0] & 0x0F
            offset = 12 + 4 * csrc
            if data[0] & 0x10 and len(data) >= offset + 4:
                offset += 4 + 4 * struct.unpack("!H", data[offset + 2:offset + 4])[0]
            with self._lock:
                self.packets += 1
                if payload_type == 0:
                    self._payloads.append(data[offset:])
                    self._arrivals.append(time.monotonic())
                    self.audio_ssrcs.add(struct.unpack("!I", data[8:12])[0])
                else:
                    self.other_payload_types.add(payload_type)
                    if len(data) - offset == 4:
                        seq, ts, ssrc = struct.unpack("!HII", data[2:12])
                        code, flags, duration = struct.unpack("!BBH", data[offset:offset + 4])
                        self.events.append(RtpEvent(ssrc, seq, ts, bool(data[1] & 0x80),
                                                    payload_type, code, bool(flags & 0x80),
                                                    duration))

    @property
    def thread_id(self) -> int:
        """The receiving thread's native id (benchmarks leave its CPU out)."""
        assert self._thread.native_id is not None
        return self._thread.native_id

    def samples(self) -> np.ndarray:
        with self._lock:
            data = b"".join(self._payloads)
        return ulaw_decode(data)

    def clear(self) -> None:
        with self._lock:
            self._payloads.clear()
            self._arrivals.clear()

    def first_loud_after(self, since: float, threshold: float = 1000.0) -> float | None:
        """When the first packet louder than ``threshold`` (RMS) arrived after ``since``."""
        with self._lock:
            packets = list(zip(self._arrivals, self._payloads, strict=True))
        for arrived, payload in packets:
            if arrived >= since:
                samples = ulaw_decode(payload).astype(np.float64)
                if samples.size and float(np.sqrt(np.mean(samples ** 2))) > threshold:
                    return arrived
        return None

    def write_wav(self, path: Path) -> Path:
        with wave.open(str(path), "wb") as wav:
            wav.setnchannels(1)
            wav.setsampwidth(2)
            wav.setframerate(8000)
            wav.writeframes(self.samples().tobytes())
        return path

    def close(self) -> None:
        self._stop.set()
        self._thread.join(2)
        self._sock.close()


@dataclass(frozen=True)
class RtpEvent:
    """One RFC 4733 telephone-event packet as it arrived."""

    ssrc: int
    sequence: int
    timestamp: int
    marker: bool
    payload_type: int
    code: int
    end: bool
    duration: int


@dataclass
class Sipp:
    """One sipp process running one scenario (a call) at ``host:port``."""

    workdir: Path
    host: str
    port: int
    media_port: int = 6000
    process: subprocess.Popen[bytes] | None = None

    def start(self, name: str, scenario: str, *, remote: str | None = None,
              service: str | None = None, timeout_s: int = 60, calls: int = 1) -> None:
        path = self.workdir / f"{name}.xml"
        path.write_text(scenario)
        command = ["sipp", "-sf", str(path), "-i", self.host, "-p", str(self.port),
                   "-m", str(calls), "-l", str(calls), "-nostdin", "-trace_err", "-trace_msg",
                   "-timeout", f"{timeout_s}s", "-timeout_error",
                   "-mi", self.host, "-mp", str(self.media_port),
                   "-trace_logs", "-log_file", str(self.workdir / f"{name}.log"),
                   "-message_file", str(self.workdir / f"{name}.msg.log"),
                   "-error_file", str(self.workdir / f"{name}.err.log")]
        if service:
            command += ["-s", service]
        if remote:
            command.append(remote)
        self.process = subprocess.Popen(command, cwd=self.workdir, stdout=subprocess.PIPE,
                                        stderr=subprocess.STDOUT)

    def wait(self, timeout: float = 60) -> int:
        assert self.process is not None
        try:
            return self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(5)
            raise

    def messages(self, name: str) -> str:
        path = self.workdir / f"{name}.msg.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def logged(self, name: str) -> str:
        """What the scenario's <log> actions wrote."""
        path = self.workdir / f"{name}.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def errors(self, name: str) -> str:
        path = self.workdir / f"{name}.err.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(5)
            if self.process.poll() is None:
                self.process.kill()
                self.process.wait(5)
