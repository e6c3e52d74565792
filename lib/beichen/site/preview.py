"""Serve a built site on 127.0.0.1 for a while (browser tests, `make lighthouse`): nothing leaves the machine.

Text files (pages, styles, scripts, JSON, SVG) go out gzip-compressed to a client that accepts it, as
any static host sends them (GitHub Pages, nginx's gzip_static, a CDN): measured uncompressed, the pages
would weigh three times what a reader downloads (Lighthouse's "enable text compression").
"""
from __future__ import annotations

import contextlib
import functools
import gzip
import http.server
import io
import threading
from pathlib import Path
from typing import Iterator

#: File types sent compressed.
COMPRESSED = (".html", ".css", ".js", ".json", ".svg", ".txt", ".csv", ".xml")


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    compress = True

    def log_message(self, *args):  # no request log on the console
        pass

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if (not self.compress or "gzip" not in self.headers.get("Accept-Encoding", "")
                or path.suffix.lower() not in COMPRESSED or not path.is_file()):
            return super().send_head()
        body = _gzipped(str(path), path.stat().st_mtime_ns)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Vary", "Accept-Encoding")
        self.end_headers()
        return io.BytesIO(body)


_GZIPPED: dict[tuple[str, int], bytes] = {}


def _gzipped(path: str, mtime_ns: int) -> bytes:
    """The file's bytes compressed, kept while the file is unchanged (its time is part of the key)."""
    key = (path, mtime_ns)
    if key not in _GZIPPED:
        with open(path, "rb") as handle:
            _GZIPPED[key] = gzip.compress(handle.read(), compresslevel=6, mtime=0)
    return _GZIPPED[key]


@contextlib.contextmanager
def serve(directory: Path, compress: bool = True) -> Iterator[str]:
    """Serve ``directory`` on 127.0.0.1:<random port>; yields the base URL. ``compress``: text files
    gzip-compressed for clients that accept it."""
    handler = functools.partial(type("_Handler", (_QuietHandler,), {"compress": compress}),
                                directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
