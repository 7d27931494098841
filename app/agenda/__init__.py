"""The agenda against the clock (timetable.py). Pure."""
