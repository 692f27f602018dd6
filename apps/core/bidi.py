"""Text-direction control characters (Unicode "bidi" formatting, e.g. U+202E RIGHT-TO-LEFT
OVERRIDE): invisible, they reverse how the rest of a line reads in the PDF, the text export and
the page. No name or label a customer types needs one, so input that has one is refused.
Pure Python: the policy engine's input check uses it too."""

BIDI_CONTROLS = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)
BIDI_MESSAGE = "Must not contain text-direction control characters (such as U+202E)."


def has_bidi_control(value: str) -> bool:
    return any(character in BIDI_CONTROLS for character in value)
