"""Quote marks: which marks pair up as quotations, paragraph by paragraph.

Straight, curly, low-9 and doubled ('' ``) marks; single marks only when they pair like quotes
rather than apostrophes.  A quote that runs over several paragraphs follows the newspaper
convention - no closing mark at the end of a paragraph, a fresh opening mark at the start of the
next - and is returned as one pair per paragraph, each flagged ``open_end``.
"""

from __future__ import annotations

from dataclasses import dataclass

_OPENERS_CTX = set(" \t([{—–-/\u00a0") | {""}


@dataclass(frozen=True)
class QuotePair:
    """A matched pair of quote marks: ``start`` is the first character of the opening mark,
    ``end`` the last character of the closing mark (inclusive); marks are 1 or 2 ('') wide."""

    start: int
    end: int
    depth: int
    single: bool
    open_width: int = 1
    close_width: int = 1
    open_end: bool = False  # a paragraph of a multi-paragraph quote: no closing mark (width 0)


def find_quote_pairs(text: str) -> list[QuotePair]:
    """All matched quote-mark pairs of ``text``, paired paragraph by paragraph.

    Unclosed openers are dropped at the end of their paragraph; a closer with no opener is
    ignored; apostrophes (letter on both sides, or a trailing ’ with no single quote open) are
    not quote marks.  ``depth`` 0 marks the outermost pairs.
    """
    pairs: list[QuotePair] = []
    lines = text.split("\n")
    starts = [0]
    for line in lines[:-1]:
        starts.append(starts[-1] + len(line) + 1)
    for k, (line, pos) in enumerate(zip(lines, starts)):
        found, unclosed = _pairs_in_line(text, pos, pos + len(line))
        pairs.extend(found)
        if unclosed is not None and _next_opens(lines, k):
            opener, width = unclosed
            last = pos + len(line.rstrip()) - 1
            if last > opener + width:
                pairs.append(QuotePair(opener, last, 0, False, width, 0, open_end=True))
    return sorted(pairs, key=lambda p: p.start)


def _next_opens(lines: list[str], k: int) -> bool:
    """Whether the next non-empty paragraph after line ``k`` starts with an opening double mark."""
    for line in lines[k + 1:]:
        if line.strip():
            return line.lstrip()[:1] in "“„\"" and line.lstrip()[1:2].strip() != ""
    return False


def _pairs_in_line(text: str, start: int, end: int) -> tuple[list[QuotePair], tuple[int, int] | None]:
    """Pairs of one paragraph, and the outermost double opener left unclosed (position, width)."""
    out: list[QuotePair] = []
    stack: list[tuple[str, int, int]] = []  # ("d" | "s", position, width)
    skip_next = False
    for i in range(start, end):
        c = text[i]
        if skip_next:
            skip_next = False
            continue
        if c not in "\"“”„‘’'`":
            continue
        w = 1
        if c in "'`" and i + 1 < end and text[i + 1] == c:
            c, w, skip_next = ('"', 2, True)  # '' and `` used as double quotes
        elif c == "`":
            continue
        prev = text[i - 1] if i > start else ""
        nxt = text[i + w] if i + w < end else ""
        open_ctx = prev in _OPENERS_CTX or prev in "\"“‘'"
        close_ctx = nxt == "" or not nxt.isalnum()
        kind = "s" if c in "‘’'" else "d"
        if c in "“„":
            action = "open"
        elif c == "”":
            action = "close"
        elif c == '"':
            if open_ctx and nxt and not nxt.isspace():
                action = "open"
            elif _has(stack, "d"):
                action = "close"
            else:
                action = "open" if nxt and not nxt.isspace() else "skip"
        else:  # single marks: only when they pair up like quotes
            if prev.isalnum() and nxt.isalnum():
                action = "skip"  # apostrophe: aren’t, O'Neil
            elif c != "’" and open_ctx and nxt.isalnum():
                action = "open"
            elif c != "‘" and prev and not prev.isspace() and close_ctx and stack and stack[-1][0] == "s":
                action = "close"
            else:
                action = "skip"
        if action == "open":
            stack.append((kind, i, w))
        elif action == "close" and _has(stack, kind):
            while stack:
                k, p, pw = stack.pop()
                if k == kind:
                    out.append(QuotePair(p, i + w - 1, len(stack), kind == "s", pw, w))
                    break
    outer = stack[0] if stack and stack[0][0] == "d" and not out_covers(out, stack[0][1]) else None
    return out, (outer[1], outer[2]) if outer else None


def out_covers(pairs: list[QuotePair], pos: int) -> bool:
    return any(p.start < pos <= p.end for p in pairs)


def _has(stack: list[tuple[str, int, int]], kind: str) -> bool:
    return any(k == kind for k, _, _ in stack)

