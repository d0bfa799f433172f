"""The render server's client side: the worker API's models (shared with the server),
an HTTP client with timeouts on every call, and a circuit breaker that sends jobs to
the local workers while the server is unreachable, slow or failing.

Needs httpx (loaded only when a server is used), never the `server` extra.
"""

__all__: list[str] = []
