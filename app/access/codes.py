"""Access codes a person can read aloud and type on a tablet: no 0/O, 1/I/L, no lower case."""

from __future__ import annotations

import hashlib
import secrets

ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
LENGTH = 8


def new_code() -> str:
    """Eight symbols from a 31-symbol alphabet: about 40 bits, shown as XXXX-XXXX."""
    raw = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    return f"{raw[:4]}-{raw[4:]}"


def normalize(typed: str) -> str | None:
    """What a person typed, as a stored code; None if it cannot be one.
    Spaces, dashes and case are forgiven; so are O for 0 and I or L for 1, which the
    alphabet does not use, by refusing them rather than guessing."""
    cleaned = "".join(ch for ch in typed.upper() if ch not in " -")
    if len(cleaned) != LENGTH or any(ch not in ALPHABET for ch in cleaned):
        return None
    return f"{cleaned[:4]}-{cleaned[4:]}"


def digest(secret: str) -> str:
    """Codes and session tokens are stored by their hash, never as typed."""
    return hashlib.sha256(secret.encode()).hexdigest()


def new_session_token() -> str:
    return secrets.token_urlsafe(32)
