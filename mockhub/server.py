"""The HTTP server: werkzeug's threaded WSGI server, one thread per connection.

Chosen over waitress (about twice the throughput) because the fault injector must be able to
reset or silently close a client's connection, and only werkzeug hands the app the socket
(`environ["werkzeug.socket"]`). See bench/server_choice.py and the README.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from flask import Flask
from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server

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
