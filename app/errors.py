"""Domain errors. Each carries a sentence a person can read; routes map the family in one place."""


class DomainError(Exception):
    """A rule of the meeting refused an act. Nothing was changed."""

    status_code = 400
    code = "refused"
    problems: tuple[str, ...] = ()
    """Each problem of a malformed input, when there are several to tell."""

    def __init__(self, message: str, reason: str | None = None, **params: str | int) -> None:
        super().__init__(message)
        self.message = message
        self.reason = reason
        """For a refusal a screen can meet in the room: a stable name (`floor_not_open`) under
        which the screens keep the sentence in their six languages, filled with `params`."""
        self.params = params


class NotFound(DomainError):
    status_code = 404
    code = "not_found"


class Conflict(DomainError):
    """The act is well formed but the meeting is not in a state that allows it."""

    status_code = 409
    code = "conflict"


class Invalid(DomainError):
    status_code = 422
    code = "invalid"


class TooLarge(DomainError):
    status_code = 413
    code = "too_large"


class UnsupportedMediaType(DomainError):
    status_code = 415
    code = "unsupported_media_type"


class Unauthorized(DomainError):
    status_code = 401
    code = "unauthorized"


class Forbidden(DomainError):
    status_code = 403
    code = "forbidden"


class TooManyRequests(DomainError):
    status_code = 429
    code = "rate_limited"


class Unavailable(DomainError):
    status_code = 503
    code = "unavailable"


STORE_UNREACHABLE = "the meeting store cannot be reached; try again"


class StoreUnreachable(Unavailable):
    """Redis did not answer: the act was not stored (the screens say it in their language)."""

    def __init__(self) -> None:
        super().__init__(STORE_UNREACHABLE, "store_unavailable")
