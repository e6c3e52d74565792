"""How the 核查报告 sets text: data as MyST inline text, quotations (nested as GB/T 15834
wants), bullet lists, and an analyst's decision's reason."""
from __future__ import annotations

from beichen.render.escape import myst


# Text from data as MyST inline text: the report's one MyST escaper, so a line break in a reason is a
# space, not the end of a list item or the start of a code block.
_esc = myst


def _quoted(text: str) -> str:
    """A quotation in “”, except a remark in brackets such as “（原文无）”."""
    text = str(text)
    return _esc(text) if text.startswith("（") and text.endswith("）") else f"“{_esc(text)}”"


_OPEN, _CLOSE = "“‘", "”’"


def nest_quotes(text: str) -> str:
    """Quotation marks nested as GB/T 15834 wants them: a quotation inside a quotation in ‘’,
    one inside that in “” again (“原报告“小巨人”企业” → “原报告‘小巨人’企业”). Line by line (a
    paragraph, list item or table row of the page is one line); a line whose marks do not pair up
    (an excerpt cut inside a quotation) is left as it is, since its nesting cannot be known."""
    return "\n".join(_nest_line(line) for line in text.split("\n"))


def _nest_line(line: str) -> str:
    if not any(ch in line for ch in _OPEN):
        return line
    out, depth = [], 0
    for ch in line:
        if ch in _OPEN:
            out.append(_OPEN[depth % 2])
            depth += 1
        elif ch in _CLOSE:
            if depth == 0:
                return line
            depth -= 1
            out.append(_CLOSE[depth % 2])
        else:
            out.append(ch)
    return "".join(out) if depth == 0 else line


def _bullets(items: list[str]) -> str:
    return "\n".join(f"- {_esc(i)}" for i in items)


def _reason(r) -> str:
    """Why the analyst decided so; a decision carried from an earlier edition gives its reason as
    written for that edition (its “本版” is that edition)."""
    if not r.carried:
        return f"理由：{_esc(r.reason)}"
    return f"理由（{r.edition}年版所记）：{_esc(r.reason.replace('本版', f'{r.edition}年版'))}"
