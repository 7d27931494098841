"""HTTP concerns that wrap every answer, whatever route made it."""
