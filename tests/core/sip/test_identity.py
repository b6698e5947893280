"""The caller's number for the screen pop, from the headers a PBX may set."""

from __future__ import annotations

import pytest

from core.sip.identity import caller_number
from tests.core.sip.far_end import remote_request


@pytest.mark.parametrize(("extra", "from_user", "expected"), [
    ([], "+8613800138000", "+8613800138000"),
    ([("P-Asserted-Identity", "<tel:+86-10-8888-0000>")], "trunk", "+861088880000"),
    ([("P-Asserted-Identity", '"Li" <sip:010 8888 0000@pbx.test>')], "x", "01088880000"),
    ([("Remote-Party-ID", "<sip:13800138000@pbx.test>;party=calling")], "x", "13800138000"),
    ([], "anonymous", ""),
    ([], "alice", ""),
    ([("Privacy", "id"), ("P-Asserted-Identity", "<tel:+8613800138000>")], "x",
     "+8613800138000"),
    ([("Privacy", "id")], "+8613800138000", ""),
])
def test_caller_number_for_the_screen_pop(extra: list[tuple[str, str]], from_user: str,
                                          expected: str) -> None:
    request = remote_request("INVITE", call_id="n", from_tag="t", to_tag=None, cseq=1,
                             branch="z9hG4bKn", extra=extra)
    request.set_header("From", f"<sip:{from_user}@pbx.test>;tag=t")
    assert caller_number(request) == expected
