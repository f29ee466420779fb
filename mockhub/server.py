"""The HTTP server: werkzeug's threaded WSGI server, one thread per connection.

Chosen over waitress (about twice the throughput) because the fault injector must be able to
reset or silently close a client's connection, and only werkzeug hands the app the socket
(`environ["werkzeug.socket"]`). See bench/server_choice.py and the README.
"""

from __future__ import annotations

import logging
import socket
import struct
import threading
from io import BufferedIOBase
from typing import Any

from flask import Flask
from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server

from mockhub.faults import ConnectionFault

log = logging.getLogger("mockhub.http")


class RequestHandler(WSGIRequestHandler):
    """Request lines go to the `mockhub.http` logger at INFO, so the default level is silent."""

    def log_request(self, code: Any = "-", size: Any = "-") -> None:
        if log.isEnabledFor(logging.INFO):
            log.info('%s "%s" %s', self.address_string(), self.requestline, code)

    def log_error(self, format: str, *args: Any) -> None:
        log.debug(format, *args)

    def log_message(self, format: str, *args: Any) -> None:
        log.debug(format, *args)

    def connection_dropped(self, error: BaseException, environ: Any = None) -> None:
        """werkzeug calls this for any ConnectionError out of the app, before writing a byte;
        an injected ConnectionFault is carried out here, on the socket."""
        self.close_connection = True  # never read another request from this connection
        if isinstance(error, ConnectionFault):
            kill_connection(self.connection, self.rfile, error.kind)


def kill_connection(sock: socket.socket, rfile: BufferedIOBase, kind: str) -> None:
    """`connection_reset`: RST (SO_LINGER 0) → the client gets ECONNRESET.
    `empty_response`: FIN with no bytes → the client sees the connection closed, no response.

    The handler's later flush/close calls and socketserver's shutdown_request tolerate a closed
    socket (OSError is swallowed there), so nothing is written to it or logged afterwards.
    """
    try:
        _drain(sock)  # unread bytes would turn a clean close into a reset
        if kind == "connection_reset":
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        else:
            sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass  # the client is already gone
    rfile.close()  # drop the makefile reference, or close() would leave the descriptor open
    sock.close()


def _drain(sock: socket.socket) -> None:
    while True:
        try:
            if not sock.recv(65536, socket.MSG_DONTWAIT):
                return
        except (BlockingIOError, InterruptedError):
            return


def create_server(app: Flask, host: str = "127.0.0.1", port: int = 0) -> BaseWSGIServer:
    """Bind now (port 0 picks a free port: read it from `server.server_port`)."""
    server = make_server(host, port, app, threaded=True, request_handler=RequestHandler)
    server.daemon_threads = True  # a hanging client never blocks shutdown
    return server


class ServerThread(threading.Thread):
    """A server answering in a background thread; `stop()` frees the port."""

    def __init__(self, app: Flask, host: str = "127.0.0.1", port: int = 0) -> None:
        super().__init__(name=f"mockhub-{host}:{port}", daemon=True)
        self.server = create_server(app, host, port)

    @property
    def port(self) -> int:
        return int(self.server.server_port)

    def run(self) -> None:
        self.server.serve_forever(poll_interval=0.05)

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.join(timeout=5)
