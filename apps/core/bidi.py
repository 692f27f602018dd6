"""Text-direction control characters (Unicode "bidi" formatting, e.g. U+202E RIGHT-TO-LEFT
OVERRIDE): invisible, they reverse how the rest of a line reads in the PDF, the text export and
the page. No name or label a customer types needs one, so they are taken out of every text a
customer gives before it is stored (`apps.customers.services`, through its one text check; text
stored before that was cleaned by migration customers 0012), and out of every PDF and text export
as well. Pure Python: the API's input check uses it too."""

BIDI_CONTROLS = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)
_REMOVE = dict.fromkeys(map(ord, BIDI_CONTROLS))


def has_bidi_control(value: str) -> bool:
    return any(character in BIDI_CONTROLS for character in value)


def strip_bidi(value: str) -> str:
    """ "Acme \u202etd.L" → "Acme td.L": the letters as typed, in the order typed."""
    return value.translate(_REMOVE)
