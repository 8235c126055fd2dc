"""Serve a built site folder on localhost (a preview, not a production server)."""

from __future__ import annotations

import functools
import http.server
from pathlib import Path

from .errors import UserError


def serve(folder: Path, host: str = "127.0.0.1", port: int = 8000) -> int:
    if not (folder / "index.html").is_file():
        raise UserError(f"{folder}/index.html not found; run 'make site' (or 'python -m generator build') first")
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(folder))
    with http.server.ThreadingHTTPServer((host, port), handler) as server:
        print(f"Serving {folder}/ on http://{host}:{port}/ (Ctrl+C to stop)")
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
    return 0
