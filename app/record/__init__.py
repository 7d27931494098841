"""The record of the discussion, for the summary panel: who spoke, when, for how long."""
