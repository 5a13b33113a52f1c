"""Sets each character of emphasised text in a span of its own, on which the print edition draws its 着重号 dot.

WeasyPrint has no ``text-emphasis``. The PDF draws the dot as the background of a span around one
character (``span.em-dot``), so that no character is added to the text a reader copies. As
``text-emphasis`` does and GB/T 15834 asks, a letter or digit gets a dot and a punctuation mark, a
symbol or a space does not; the digits of a tate-chu-yoko stand in one cell and share one dot.
"""

from __future__ import annotations

import re
import unicodedata

from exporter.text.script import is_wide

#: The class of the span around one emphasised character (docs/themes.md lists it).
EMPHASIS_CLASSES: dict[str, str] = {
    "em-dot": "one character of `em` text in the print edition, which draws its 着重号 dot (the web and EPUB "
    "use `text-emphasis`)",
    "em-dot-narrow": "…a narrow one (a Latin letter or digit), whose dot is centred on its own width",
}

# A tate-chu-yoko as text_html writes it (one cell, one dot), a tag, an entity, or one character.
_TOKEN = re.compile(
    r'<span class="tcy tcy0">[^<]*</span>'
    r'|<span class="tcy"><span class="tcy1">[^<]*</span><span class="tcy2">[^<]*</span></span>'
    r"|<[^>]*>|&[#\w]+;|.",
    re.DOTALL,
)


def takes_dot(ch: str) -> bool:
    """Whether an emphasised character gets a dot: letters and digits do, marks, symbols and spaces do not."""
    return unicodedata.category(ch)[0] in "LN"


def dotted(html: str) -> str:
    """HTML of emphasised text with each letter, digit and tate-chu-yoko in ``span.em-dot``.

    A tate-chu-yoko fills one cell, as a full-width character does; a narrow letter or digit is also
    ``em-dot-narrow``.
    """
    out: list[str] = []
    for match in _TOKEN.finditer(html):
        token = match.group(0)
        if token.startswith('<span class="tcy') or (len(token) == 1 and takes_dot(token) and is_wide(token)):
            out.append(f'<span class="em-dot">{token}</span>')
        elif len(token) == 1 and takes_dot(token):
            out.append(f'<span class="em-dot em-dot-narrow">{token}</span>')
        else:
            out.append(token)
    return "".join(out)
