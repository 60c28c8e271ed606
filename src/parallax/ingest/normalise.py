"""Bytes to clean text: size and binary checks, encoding detection, mojibake repair.

Every reader goes through :func:`decode` so that all formats refuse bad input the same way.
"""

from __future__ import annotations

import re
import unicodedata

import ftfy
from charset_normalizer import from_bytes

from .. import errors
from ..options import DEFAULT, Options

_BOMS = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffd]")
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_BLANKS = re.compile(r"\n\s*\n+")


def check_size(path: str, size: int, options: Options = DEFAULT) -> None:
    if size == 0:
        raise errors.InputError(path, errors.EMPTY)
    if size > options.max_file_bytes:
        raise errors.InputError(path, errors.TOO_LARGE.format(size=size, limit=options.max_file_bytes))


# Legacy encodings most often met on the web, preferred when the detector ties between several.
_PREFERRED = ("cp1252", "iso8859_1", "iso8859_15", "cp1251", "shift_jis", "gb2312")


def guess_encoding(data: bytes) -> str | None:
    """The most plausible encoding of non-UTF-8 bytes; ties go to the common web encodings."""
    results = list(from_bytes(data))
    if not results:
        return None
    best = results[0]
    tied = [r.encoding for r in results if r.chaos == best.chaos and r.coherence == best.coherence]
    for enc in _PREFERRED:
        if enc in tied:
            return enc
    return best.encoding


def _utf16_without_bom(data: bytes, path: str) -> str | None:
    """UTF-16 text saved without a byte-order mark, or None when the bytes do not look like it.

    Text in a Latin or other alphabetic script has a NUL in the high byte of most characters
    (spaces and digits at least), always on the same side of each 16-bit unit: odd offsets for
    little-endian, even for big-endian.  Binary data has its NULs on both sides.  Bytes with that
    pattern that still do not decode (lone surrogates) are refused as an unknown encoding rather
    than called binary."""
    sample = data[:65536]
    half = len(sample) // 2
    if half < 4:
        return None
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    if odd >= 0.2 * half and even <= 0.1 * odd:
        enc = "utf-16-le"
    elif even >= 0.2 * half and odd <= 0.1 * even:
        enc = "utf-16-be"
    else:
        return None
    try:
        return data[:len(data) - len(data) % 2].decode(enc)
    except UnicodeDecodeError:
        raise errors.InputError(path, errors.UNDECODABLE) from None


def decode(data: bytes, path: str, options: Options = DEFAULT) -> str:
    """Decode bytes of unknown encoding to text, or raise :class:`InputError`."""
    check_size(path, len(data), options)
    text = None
    for bom, enc in _BOMS:
        if data.startswith(bom):
            text = data.decode(enc, errors="replace")
            break
    if text is None:
        if b"\x00" in data[:65536]:
            text = _utf16_without_bom(data, path)
            if text is None:
                raise errors.InputError(path, errors.BINARY)
    if text is None:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            encoding = guess_encoding(data[:1_000_000])
            if encoding is None:
                raise errors.InputError(path, errors.UNDECODABLE) from None
            text = data.decode(encoding, errors="replace")
    sample = text[:65536]
    if sample and len(_CONTROL.findall(sample)) / len(sample) > options.max_binary_ratio:
        raise errors.InputError(path, errors.BINARY)
    return text


def clean_text(text: str) -> str:
    """Repair mojibake, normalise Unicode and whitespace; keep paragraph breaks as newlines.

    Paragraphs end up separated by a single ``\\n`` (blank lines collapsed), so sentence splitting
    can treat every newline as a hard boundary.
    """
    text = ftfy.fix_text(text, normalization="NFC", uncurl_quotes=False)
    text = _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    text = text.replace("\u200b", "").replace("\ufeff", "")
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    text = "\n".join(lines)
    text = _BLANKS.sub("\n", text).strip()
    return unicodedata.normalize("NFC", text)


def require_text(text: str, path: str, options: Options = DEFAULT) -> str:
    if len(text.strip()) < options.min_text_chars:
        raise errors.InputError(path, errors.NO_TEXT)
    if len(text) > options.max_article_chars:  # bounds per-article analysis time and memory
        raise errors.InputError(path, errors.TOO_LONG.format(chars=len(text), limit=options.max_article_chars))
    return text
