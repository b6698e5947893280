"""XSS and tracking corpus for the email HTML sanitiser and renderer.

``{base}`` stands for a local HTTP server that records every request: a safe
renderer makes none of them.
"""

from __future__ import annotations

CORPUS: list[str] = [
    '<script>fetch("{base}/script")</script>hello',
    '<SCRIPT SRC="{base}/script-src.js"></SCRIPT>',
    '<img src="{base}/img-plain.png" alt="logo">',
    '<img src=x onerror="fetch(\'{base}/onerror\')">',
    '<IMG SRC="javascript:alert(\'XSS\');">',
    '<img src="jav&#x09;ascript:alert(1)">',
    '<a href="javascript:fetch(\'{base}/js-link\')">click me</a>',
    '<a href="JaVaScRiPt:alert(1)">mixed case</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">data link</a>',
    '<a href="vbscript:msgbox(1)">vb</a>',
    '<body onload="fetch(\'{base}/onload\')">body</body>',
    '<svg onload="fetch(\'{base}/svg\')"><circle r="1"/></svg>',
    '<iframe src="{base}/iframe"></iframe>',
    '<object data="{base}/object"></object><embed src="{base}/embed">',
    '<form action="{base}/form"><input name="pw" type="password"><button>Go</button></form>',
    '<link rel="stylesheet" href="{base}/style.css">',
    '<style>@import url("{base}/import.css"); body {{ background: url({base}/bg) }}</style>',
    '<div style="background-image: url(\'{base}/css-bg.png\')">bg</div>',
    '<table background="{base}/table-bg.png"><tr><td background="{base}/td">x</td></tr></table>',
    '<meta http-equiv="refresh" content="0;url={base}/refresh">',
    '<base href="{base}/base/"><img src="relative.png">',
    '<video src="{base}/video" poster="{base}/poster"></video><audio src="{base}/audio">',
    '<img srcset="{base}/srcset.png 2x" src="cid:logo@x">',
    '<input type="image" src="{base}/input-image">',
    '<div style="width: expression(alert(1))">ie</div>',
    '<math><mtext><table><mglyph><style><img src="{base}/mxss" onerror=alert(1)>',
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    '<!--<img src="{base}/comment">--><p>after comment</p>',
    '<a href="https://bank.example.com" onmouseover="fetch(\'{base}/hover\')">bank</a>',
    '<p style="display:none">hidden phishing text</p>',
]

# Markers that must not survive sanitising (case-insensitive).
FORBIDDEN = [
    "<script", "onerror", "onload", "onmouseover", "javascript:", "vbscript:", "<iframe",
    "<object", "<embed", "<form", "<input", "<link", "<meta", "<base", "<svg", "<video",
    "<audio", "<style", "expression(", "url(", "data:text", "background=", "srcset",
    "display:none", "display: none",
]
