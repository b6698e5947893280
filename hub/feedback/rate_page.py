"""The small pages behind an emailed rating link: ``GET /rate/<token>?score=N``
shows the choice preselected with "solved?" and a comment box, and stores nothing
(mail scanners open links); ``POST`` stores the rating. Refusals get a clear page
and a status: 403 forged, 410 expired, 409 already used. Chinese when the browser
prefers it, else English.
"""

from __future__ import annotations

import html
from urllib.parse import parse_qs

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from hub.feedback.rating_links import LinkError, LinkRefusal
from hub.feedback.rating_store import MAX_COMMENT_CHARS, FeedbackError, FeedbackRefusal
from hub.feedback.service import FeedbackService

MAX_BODY = 16 * 1024
_CSP = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'"

_TEXT = {
    "en": {
        "title": "How did we do?", "score": "Your rating (1 = poor, 5 = excellent)",
        "solved": "Was your problem solved?", "yes": "Yes", "no": "No",
        "comment": "What went wrong? (optional)", "send": "Send rating",
        "thanks": "Thank you — your rating was saved.",
        "forged": "This rating link is not valid.",
        "malformed": "This rating link is not valid.",
        "expired": "This rating link has expired.",
        "used": "This conversation has already been rated. Thank you!",
        "bad": "Please choose a rating from 1 to 5.",
        "gone": "This conversation cannot be rated.",
        "open": "This conversation is still open: you can rate it once it is closed.",
    },
    "zh": {
        "title": "您对本次服务满意吗？", "score": "评分（1 = 很差，5 = 很好）",
        "solved": "您的问题解决了吗？", "yes": "已解决", "no": "未解决",
        "comment": "哪里做得不好？（可选）", "send": "提交评价",
        "thanks": "谢谢！您的评价已保存。",
        "forged": "此评价链接无效。",
        "malformed": "此评价链接无效。",
        "expired": "此评价链接已过期。",
        "used": "此会话已评价过，谢谢！",
        "bad": "请选择 1 到 5 分。",
        "gone": "此会话无法评价。",
        "open": "此会话尚未结束，结束后即可评价。",
    },
}

_REFUSAL_STATUS = {LinkRefusal.FORGED: 403, LinkRefusal.MALFORMED: 403, LinkRefusal.EXPIRED: 410}


def _lang(request: Request) -> str:
    first = request.headers.get("accept-language", "").split(",")[0].strip().lower()
    return "zh" if first.startswith("zh") else "en"


def _page(lang: str, state: str, body: str, status: int = 200) -> HTMLResponse:
    text = _TEXT[lang]
    doc = (
        f'<!doctype html><html lang="{"zh-CN" if lang == "zh" else "en"}"><head>'
        '<meta charset="utf-8"><meta name="viewport" content="width=device-width">'
        f"<title>{html.escape(text['title'])}</title>"
        "<style>body{font:16px system-ui,sans-serif;max-width:34em;margin:2em auto;"
        "padding:0 1em}fieldset{border:0;padding:0;margin:1em 0}label{margin-right:1em}"
        "textarea{width:100%;box-sizing:border-box}</style></head>"
        f'<body data-state="{state}"><main>{body}</main></body></html>'
    )
    return HTMLResponse(doc, status_code=status, headers={
        "Content-Security-Policy": _CSP, "Cache-Control": "no-store",
        "Referrer-Policy": "no-referrer"})


def _message(lang: str, state: str, key: str, status: int) -> HTMLResponse:
    return _page(lang, state, f'<p role="status">{html.escape(_TEXT[lang][key])}</p>', status)


def _form(lang: str, token: str, score: int | None, error: str | None = None) -> str:
    text = _TEXT[lang]
    e = html.escape
    radios = "".join(
        f'<label><input type="radio" name="score" value="{n}"'
        f'{" checked" if n == score else ""} required> {n}</label>' for n in range(1, 6))
    alert = f'<p role="alert">{e(text[error])}</p>' if error else ""
    return (
        f"<h1>{e(text['title'])}</h1>{alert}"
        f'<form method="post" action="/rate/{e(token)}">'
        f"<fieldset><legend>{e(text['score'])}</legend>{radios}</fieldset>"
        f"<fieldset><legend>{e(text['solved'])}</legend>"
        f'<label><input type="radio" name="solved" value="yes"> {e(text["yes"])}</label>'
        f'<label><input type="radio" name="solved" value="no"> {e(text["no"])}</label>'
        "</fieldset>"
        f'<p><label for="comment">{e(text["comment"])}</label><br>'
        f'<textarea id="comment" name="comment" rows="4" maxlength="{MAX_COMMENT_CHARS}">'
        "</textarea></p>"
        f'<button type="submit">{e(text["send"])}</button></form>'
    )


def _score(value: str | None) -> int | None:
    if value is None or not value.isdigit() or len(value) > 2:
        return None
    n = int(value)
    return n if 1 <= n <= 5 else None


class RatePage:
    def __init__(self, feedback: FeedbackService) -> None:
        self.feedback = feedback

    def routes(self) -> list[Route]:
        return [Route("/rate/{token}", self.show, methods=["GET"]),
                Route("/rate/{token}", self.submit, methods=["POST"])]

    def _refused(self, lang: str, exc: Exception) -> HTMLResponse:
        if isinstance(exc, LinkError):
            return _message(lang, exc.refusal.value, exc.refusal.value,
                            _REFUSAL_STATUS[exc.refusal])
        assert isinstance(exc, FeedbackError)
        if exc.refusal is FeedbackRefusal.ALREADY_RATED:
            return _message(lang, "used", "used", 409)
        if exc.refusal is FeedbackRefusal.NOT_CLOSED:
            return _message(lang, "open", "open", 409)
        return _message(lang, "gone", "gone", 404)

    async def show(self, request: Request) -> Response:
        lang, token = _lang(request), request.path_params["token"]
        try:
            self.feedback.check_link(token)
        except (LinkError, FeedbackError) as exc:
            return self._refused(lang, exc)
        return _page(lang, "form", _form(lang, token, _score(request.query_params.get("score"))))

    async def submit(self, request: Request) -> Response:
        lang, token = _lang(request), request.path_params["token"]
        body = b""
        async for chunk in request.stream():
            body += chunk
            if len(body) > MAX_BODY:
                return _message(lang, "bad", "bad", 413)
        fields = parse_qs(body.decode("utf-8", "replace"), max_num_fields=10)
        score = _score((fields.get("score") or [""])[0])
        solved = {"yes": True, "no": False}.get((fields.get("solved") or [""])[0])
        comment = (fields.get("comment") or [""])[0][:MAX_COMMENT_CHARS]
        if score is None:
            try:
                self.feedback.check_link(token)
            except (LinkError, FeedbackError) as exc:
                return self._refused(lang, exc)
            return _page(lang, "form", _form(lang, token, None, "bad"), 400)
        try:
            self.feedback.rate_by_link(token, score, solved, comment or None)
        except (LinkError, FeedbackError) as exc:
            return self._refused(lang, exc)
        return _message(lang, "thanks", "thanks", 200)
