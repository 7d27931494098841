"""The pure core's vocabulary: what a meeting is (model.py) and what can be done in it
(acts.py). No Redis, no asyncio, no clock, no pydantic."""
