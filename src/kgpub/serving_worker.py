"""gunicorn's threaded worker with a time limit on every socket read and write of a client.

Why: gunicorn's ``gthread`` worker reads a request's headers on a blocking socket with no time
limit. A client that sends half a request line and then nothing holds one of the worker's threads
until it hangs up; measured on kgpub serve (2 workers × 4 threads), about 30 such connections,
opened by one loop on loopback, made the server answer nobody, for as long as they stayed open.

Here the client socket of each connection is replaced, once, by one whose "blocking" mode carries
``client_io_timeout``: a read or write that waits longer raises ``TimeoutError`` inside gunicorn's
own request handling, which gives up on that connection and frees the thread. Such a connection
is then closed at once: gunicorn's graceful close would wait up to 2 s for the client to hang up,
on its main loop, so a crowd of slow clients would stall every other connection. The time it takes the
app to compute an answer is no socket operation and is not limited by this (``query_timeout``
bounds queries). A client that drips one byte just under the limit still holds a thread for
longer: a reverse proxy in front remains the real defence (SECURITY.md).
"""

from __future__ import annotations

import socket
from typing import Any

from gunicorn.workers.gthread import ThreadWorker


class TimedSocket(socket.socket):
    """A socket whose blocking mode is a bounded wait (``setblocking(True)`` sets the timeout)."""

    limit: float = 10.0
    expired: bool = False  # a read or write ran out of time: the client is too slow

    def recv(self, *args: Any) -> bytes:
        try:
            return super().recv(*args)
        except TimeoutError:
            self.expired = True
            raise

    def sendall(self, *args: Any) -> None:
        try:
            super().sendall(*args)
        except TimeoutError:
            self.expired = True
            raise

    def setblocking(self, flag: bool) -> None:
        if flag:
            self.settimeout(self.limit)
        else:
            super().setblocking(False)

    @classmethod
    def adopt(cls, sock: socket.socket, limit: float) -> TimedSocket:
        """The same connection (the same file descriptor) as a TimedSocket; ``sock`` is detached."""
        timed = cls(sock.family, sock.type, sock.proto, fileno=sock.detach())
        timed.limit = limit
        timed.setblocking(False)  # gunicorn's poller expects non-blocking; handle() switches back
        return timed


class BoundedThreadWorker(ThreadWorker):
    """``gthread`` whose client sockets time out after :attr:`io_timeout` seconds per operation.
    ``kgpub.serving.serve`` sets :attr:`io_timeout` before gunicorn forks its workers."""

    io_timeout: float = 10.0

    def handle(self, conn: Any) -> Any:
        if not self.cfg.is_ssl and not isinstance(conn.sock, TimedSocket):
            conn.sock = TimedSocket.adopt(conn.sock, self.io_timeout)
        keep = super().handle(conn)
        if not keep and getattr(conn.sock, "expired", False):
            conn.sock.close()  # no graceful drain for a client that stopped talking (see above)
        return keep
