"""Two-channel call recordings with known words, for transcript tests and the bench.

espeak-ng (Debian's ``espeak-ng``) speaks each turn; Chinese is handed to its
``cmn-latn-pinyin`` voice as tone-numbered pinyin (pypinyin), because Debian's
small Mandarin dictionary reads many characters as English letters and digits.
The turns are laid one after another with pauses between them, the customer's on
channel 1 and the agent's on channel 2 (the other channel quiet meanwhile, with a
little noise as a line has), and written with PyAV as Ogg/Opus or WAV.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import wave
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import av
import numpy as np
import numpy.typing as npt

RATE = 16_000
PAUSE_S = 0.9
LEAD_S = 0.6


@dataclass(frozen=True)
class Turn:
    speaker: str  # "customer" (channel 1) or "agent" (channel 2)
    language: str  # "zh" or "en"
    text: str


@dataclass(frozen=True)
class SpokenTurn:
    turn: Turn
    start_s: float
    end_s: float


# Known calls: the words each side says.
CALL_ZH = (
    Turn("customer", "zh", "你好，我上周订了一件蓝色的外套，到现在还没有收到。"),
    Turn("agent", "zh", "您好，请告诉我您的订单号，我马上帮您查询。"),
    Turn("customer", "zh", "订单号是三八六二，我想申请退款。"),
    Turn("agent", "zh", "好的，退款会在三个工作日内退回您的银行卡。"),
)
CALL_EN = (
    Turn("customer", "en", "Hello, I ordered a blue jacket last week and it has not arrived yet."),
    Turn("agent", "en", "I am sorry to hear that. Could you give me your order number please?"),
    Turn("customer", "en", "The order number is three eight six two. I would like a refund."),
    Turn("agent", "en",
         "Of course. The refund will reach your bank card within three working days."),
)
CALL_MIXED = (
    Turn("customer", "zh", "你好，我的快递一直没有送到，能帮我看一下吗？"),
    Turn("agent", "en", "Hello, I can check your parcel for you right now."),
    Turn("customer", "zh", "谢谢，我的手机号码是一三八零零一三八零零零。"),
    Turn("agent", "en", "Thank you. Your parcel will be delivered tomorrow morning."),
)
CALLS = {"zh": CALL_ZH, "en": CALL_EN, "mixed": CALL_MIXED}


def espeak_available() -> bool:
    return shutil.which("espeak-ng") is not None


def _espeak_input(turn: Turn) -> tuple[str, str]:
    if turn.language == "en":
        return "en-us", turn.text
    from pypinyin import Style, lazy_pinyin

    marks = {"，": ",", "。": ".", "？": "?", "！": "!", "、": ",", "：": ":", "；": ";"}
    words = [marks.get(w, w) for w in lazy_pinyin(turn.text, style=Style.TONE3)]
    return "cmn-latn-pinyin", " ".join(words)


def speak(turn: Turn) -> npt.NDArray[np.float32]:
    """The turn as 16 kHz float32 samples."""
    voice, text = _espeak_input(turn)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "turn.wav"
        subprocess.run(["espeak-ng", "-v", voice, "-s", "150", "-w", str(out), text],
                       check=True, capture_output=True, timeout=60)
        with wave.open(str(out)) as w:
            rate, frames = w.getframerate(), w.readframes(w.getnframes())
    samples = np.frombuffer(frames, dtype="<i2").astype(np.float32) / 32768.0
    return _resample(samples, rate, RATE)


def _resample(samples: npt.NDArray[np.float32], rate: int, to: int) -> npt.NDArray[np.float32]:
    if rate == to:
        return samples
    positions = np.arange(int(len(samples) * to / rate)) * (rate / to)
    return np.interp(positions, np.arange(len(samples)), samples).astype(np.float32)


def make_call(path: Path, turns: Sequence[Turn], noise_db: float = -60.0,
              seed: int = 7) -> list[SpokenTurn]:
    """Write the call to ``path`` (.ogg: Opus; .wav: PCM); returns where each turn is."""
    placed: list[tuple[Turn, npt.NDArray[np.float32], int]] = []
    at = int(LEAD_S * RATE)
    for turn in turns:
        samples = speak(turn)
        placed.append((turn, samples, at))
        at += len(samples) + int(PAUSE_S * RATE)
    rng = np.random.default_rng(seed)
    level = 10 ** (noise_db / 20)
    channels = (rng.standard_normal((2, at)) * level).astype(np.float32)
    spoken = []
    for turn, samples, start in placed:
        row = 0 if turn.speaker == "customer" else 1
        channels[row, start:start + len(samples)] += samples * 0.8
        spoken.append(SpokenTurn(turn, start / RATE, (start + len(samples)) / RATE))
    write_stereo(path, channels)
    return spoken


def write_stereo(path: Path, channels: npt.NDArray[np.float32], rate: int = RATE) -> None:
    """Two rows of float samples into an Ogg/Opus (48 kHz) or 16-bit WAV file."""
    pcm = (np.clip(channels, -1, 1) * 32767).astype(np.int16)
    opus = path.suffix == ".ogg"
    with av.open(str(path), "w") as out:
        stream = out.add_stream("libopus" if opus else "pcm_s16le",
                                rate=48_000 if opus else rate, layout="stereo")
        frame_len = 960
        for i in range(0, pcm.shape[1], frame_len):
            part = np.ascontiguousarray(pcm[:, i:i + frame_len].T.reshape(1, -1))
            frame = av.AudioFrame.from_ndarray(part, format="s16", layout="stereo")
            frame.sample_rate = rate
            frame.pts = i
            for packet in stream.encode(frame):
                out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)


def reference_text(turns: Sequence[Turn], speaker: str, language: str) -> str:
    return " ".join(t.text for t in turns if t.speaker == speaker and t.language == language)
