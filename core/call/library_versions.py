"""The versions of third-party libraries whose private parts we reach into.

Each ``compat_<library>`` module names the versions it was written and tested for
and calls ``require`` before it touches anything private: another version fails
loudly here, naming the library and its version, instead of misbehaving mid-call.
"""

from __future__ import annotations

import re
from importlib import metadata

__all__ = ["UnsupportedLibraryVersion", "installed_version", "require"]


class UnsupportedLibraryVersion(RuntimeError):  # noqa: N818 (it is an error, said in full)
    """A library's version is outside the range our compatibility code was written for."""

    def __init__(self, library: str, version: str, supported: str) -> None:
        super().__init__(
            f"{library} {version} is not supported: the code that reaches into its "
            f"internals was written for {library} {supported}")
        self.library = library
        self.version = version
        self.supported = supported


def installed_version(library: str) -> str:
    return metadata.version(library)


def release(version: str) -> tuple[int, ...]:
    """``"1.16.0"`` → ``(1, 16, 0)``; pre-release and local suffixes are ignored."""
    match = re.match(r"\d+(?:\.\d+)*", version.strip())
    if match is None:
        return ()
    return tuple(int(part) for part in match.group(0).split("."))


def require(library: str, version: str, at_least: tuple[int, ...],
            below: tuple[int, ...]) -> None:
    """Raise ``UnsupportedLibraryVersion`` unless ``at_least <= version < below``."""
    found = release(version)
    if not found or not at_least <= found < below:
        supported = f">={'.'.join(map(str, at_least))},<{'.'.join(map(str, below))}"
        raise UnsupportedLibraryVersion(library, version, supported)
