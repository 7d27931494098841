"""HTTP concerns that wrap every answer, whatever route made it, and pure ASGI middleware
that guards requests before FastAPI reads them."""
