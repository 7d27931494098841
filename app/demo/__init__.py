"""The demo meeting: the seed's two-day thematic session, with the whole UN membership."""

from functools import cache
from importlib.resources import files

from app.meetings.model import Meeting
from app.programme import load_programme


@cache
def demo_meeting() -> Meeting:
    """The meeting of `programme.yaml` (id "demo"). Cached: it is immutable, and loading
    it builds 195 delegations."""
    text = files(__package__).joinpath("programme.yaml").read_text(encoding="utf-8")
    return load_programme(text)
