"""Stopping with the calls in flight answered.

On SIGTERM uvicorn stops accepting, waits `timeout_graceful_shutdown` for the calls in flight,
then cancels whatever still runs: a stream's body is cut bare and its record would say the
client left. Just before that moment the gateway ends each call still running itself, with an
error its client can read (an SSE error event and `[DONE]` on a stream) and a record that says
the server ended it.
"""

from __future__ import annotations

import asyncio
import signal
import threading
from collections.abc import Callable
from types import FrameType

from proxy.http.call_watch import LiveCalls
from proxy.wire.call_end import SERVER_SHUTDOWN

__all__ = ["GracefulStop", "on_stop_signal"]

# Time left, after the gateway ends its calls, for the last bytes and records to go out before
# uvicorn's own deadline; at most half the grace period.
_MARGIN_S = 1.0


class GracefulStop:
    def __init__(self, grace_s: float, calls: LiveCalls) -> None:
        self.grace_s = grace_s
        self._calls = calls
        self._timer: asyncio.TimerHandle | None = None

    def begin(self) -> None:
        """The server was told to stop; the grace period runs from now."""
        if self._timer is None:
            cut_after = self.grace_s - min(_MARGIN_S, self.grace_s / 2)
            self._timer = asyncio.get_running_loop().call_later(cut_after, self.end_all)

    def end_all(self) -> None:
        self._calls.end_all(SERVER_SHUTDOWN)

    def cancel(self) -> None:
        if self._timer is not None:
            self._timer.cancel()


Handler = Callable[[int, FrameType | None], object]


def on_stop_signal(callback: Callable[[], None]) -> Callable[[], None]:
    """Run `callback` on this loop when SIGTERM or SIGINT arrives, then the handler that was
    there (uvicorn's, which starts its graceful shutdown); returns the undo.

    uvicorn tells an application nothing until its graceful wait is over (the lifespan's
    shutdown comes after it), and with several workers the application cannot reach the server
    object, so the gateway listens to the same signals. Only the main thread can.
    """
    if threading.current_thread() is not threading.main_thread():
        return lambda: None
    loop = asyncio.get_running_loop()
    kept: dict[signal.Signals, Handler] = {}
    for sig in (signal.SIGTERM, signal.SIGINT):
        before = signal.getsignal(sig)
        if not callable(before):
            continue  # nothing stops gracefully on this signal here

        def relay(signum: int, frame: FrameType | None, before: Handler = before) -> None:
            loop.call_soon_threadsafe(callback)
            before(signum, frame)

        kept[sig] = before
        signal.signal(sig, relay)

    def undo() -> None:
        for sig, before in kept.items():
            signal.signal(sig, before)

    return undo
