"""Preview on localhost: a built site as it is, or a content folder rebuilt as it is edited.

``generator serve site`` serves a built folder. ``generator serve content``
builds the content, serves the result, watches the content folder (and the
register and a project ``mkdocs.yml``) with watchfiles, rebuilds after each
change, and makes every open page reload itself when a build finishes. When a
build fails, every page shows its problems instead of a stale page, until the
next build succeeds. This is a preview for the person editing, not a
production server: it listens on localhost unless told otherwise.
"""

from __future__ import annotations

import errno
import functools
import html
import http.server
import json
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import UserError

STATE = "/__generator/state"
SCRIPT = "/__generator/reload.js"
# Asks for the build state every 0.7 s; a new build reloads the page (the error page too).
RELOAD_JS = """(function () {
  var seen = null;
  function tick() {
    fetch("%s", {cache: "no-store"}).then(function (r) { return r.json(); }).then(function (state) {
      if (seen === null) { seen = state.version; }
      else if (state.version !== seen) { location.reload(); return; }
      setTimeout(tick, 700);
    }).catch(function () { setTimeout(tick, 1500); });
  }
  tick();
})();
""" % STATE


class PortError(Exception):
    """The server cannot listen where it was asked to (the port is taken, or not this user's to use)."""


@dataclass
class Preview:
    """What the server knows of the builds: how many have finished, and the last one's problems."""

    version: int = 0
    problems: list[str] = field(default_factory=list)
    building: bool = False
    lock: threading.Lock = field(default_factory=threading.Lock)

    def finished(self, problems: list[str]) -> None:
        with self.lock:
            self.problems = problems
            self.version += 1
            self.building = False

    def snapshot(self) -> dict[str, Any]:
        with self.lock:
            return {"version": self.version, "problems": list(self.problems), "building": self.building}


class _Handler(http.server.SimpleHTTPRequestHandler):
    preview: Preview | None = None

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 (stdlib's name)
        pass  # one line per request would bury the build's own messages

    def do_GET(self) -> None:  # noqa: N802 (stdlib's name)
        path = self.path.split("?", 1)[0].split("#", 1)[0]
        if self.preview is not None and path == STATE:
            return self._send(json.dumps(self.preview.snapshot()).encode(), "application/json")
        if self.preview is not None and path == SCRIPT:
            return self._send(RELOAD_JS.encode(), "text/javascript")
        if self.preview is not None and (path.endswith("/") or path.endswith(".html")):
            state = self.preview.snapshot()
            if state["problems"]:
                return self._send(_error_page(state["problems"]), "text/html; charset=utf-8")
            file = Path(self.translate_path(path))
            file = file / "index.html" if file.is_dir() else file
            if file.is_file():
                page = file.read_text(encoding="utf-8", errors="replace")
                tag = f'<script src="{SCRIPT}"></script>'
                page = page.replace("</body>", tag + "</body>", 1) if "</body>" in page else page + tag
                return self._send(page.encode("utf-8"), "text/html; charset=utf-8")
        super().do_GET()

    def _send(self, body: bytes, kind: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)


def _error_page(problems: list[str]) -> bytes:
    items = "\n".join(f"<li><code>{html.escape(p)}</code></li>" for p in problems)
    count = f"{len(problems)} problem{'s' if len(problems) != 1 else ''}"
    return (f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Build failed: {count}</title>'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            '<style>body{font:16px/1.5 system-ui,sans-serif;margin:2rem;max-width:60rem}code{white-space:pre-wrap}'
            'li{margin:.4rem 0}</style></head><body>'
            f'<h1>The last build failed: {count}</h1>'
            '<p>Nothing was published. Fix the content; this page reloads when the next build finishes.</p>'
            f'<ul>{items}</ul><script src="{SCRIPT}"></script></body></html>').encode("utf-8")


def _server(folder: Path, host: str, port: int, preview: Preview | None) -> http.server.ThreadingHTTPServer:
    handler = functools.partial(type("Handler", (_Handler,), {"preview": preview}), directory=str(folder))
    try:
        return http.server.ThreadingHTTPServer((host, port), handler)
    except OSError as error:
        if error.errno == errno.EADDRINUSE:
            raise PortError(f"port {port} on {host} is already in use; stop what uses it or choose another "
                            "with --port") from None
        if error.errno == errno.EACCES:
            raise PortError(f"port {port} on {host} may not be used by this user; choose one above 1024 "
                            "with --port") from None
        raise PortError(f"cannot listen on {host}:{port}: {error.strerror}; choose another --host or --port") from None


def serve(folder: Path, host: str = "127.0.0.1", port: int = 8000) -> int:
    """Serve a built site folder as it is."""
    if not (folder / "index.html").is_file():
        raise UserError(f"{folder}/index.html not found; run 'make site' (or 'python -m generator build') first")
    with _server(folder, host, port, None) as server:
        print(f"Serving {folder}/ on http://{host}:{port}/ (Ctrl+C to stop)")
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
    return 0


def _build_once(content: Path, out: Path, options: dict[str, Any], preview: Preview) -> None:
    from .build import build
    from .errors import ContentError, OutputError, SettingsError, os_error_message

    with preview.lock:
        preview.building = True
    try:
        build(content, out=out, **options)
    except ContentError as error:
        preview.finished([str(p) for p in error.problems])
        for problem in error.problems:
            print(problem)
        return
    except (OutputError, SettingsError, UserError) as error:
        preview.finished([str(error)])
        print(f"error: {error}")
        return
    except OSError as error:
        preview.finished([os_error_message(error)])
        print(f"error: {os_error_message(error)}")
        return
    preview.finished([])


def watched(content: Path) -> list[Path]:
    """What a build reads besides the tool: the content folder, the register's folder, a project mkdocs.yml."""
    from .fingerprint import _register

    paths = [content]
    register = _register(content)
    if register.parent.is_dir() and register.parent.resolve() != content.resolve():
        paths.append(register.parent)
    mkdocs = content.resolve().parent / "mkdocs.yml"
    if mkdocs.is_file():
        paths.append(mkdocs)
    return paths


def serve_content(content: Path, out: Path, host: str = "127.0.0.1", port: int = 8000, la: str | None = None,
                  audience: str = "internal", stop: threading.Event | None = None) -> int:
    """Build ``content`` into ``out``, serve it, and rebuild whenever the content changes."""
    import watchfiles

    if not content.is_dir():
        raise UserError(f"{content}: content folder not found")
    if threading.current_thread() is threading.main_thread():
        import signal

        # the banner promises Ctrl+C: a parent that ignored it (a test runner's worker, a job started in
        # the background) would otherwise leave it ignored here, and the server could not be stopped
        signal.signal(signal.SIGINT, signal.default_int_handler)
    preview = Preview()
    server = _server(out, host, port, preview)  # bound before building: a port clash is said at once
    options = {"la": la, "audience": audience, "quiet": False}
    _build_once(content, out, options, preview)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    print(f"Serving {out}/ on http://{host}:{port}/, rebuilt when {content}/ changes (Ctrl+C to stop)")
    stop = stop or threading.Event()
    try:
        for changes in watchfiles.watch(*watched(content), stop_event=stop, debounce=400, step=100,
                                        raise_interrupt=True):
            names = sorted({Path(p).name for _, p in changes})
            print(f"changed: {', '.join(names[:5])}{' …' if len(names) > 5 else ''}; rebuilding")
            _build_once(content, out, options, preview)
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
        server.server_close()
    return 0
