"""Languages of the markets: gettext catalogs, translation providers, Babel formatting."""


def N_(message: str) -> str:
    """Mark a string for extraction; it is translated where it is shown."""
    return message
