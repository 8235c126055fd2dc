"""Hand generated pages to MkDocs: one configuration per site, built through its public API.

This is the only module that imports MkDocs, so a move to another static
site engine touches one file.
"""

from __future__ import annotations

import html
import json
import logging
import re
import secrets
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .render.bytecode import COMPILED
from .render.environment import TEMPLATES
from .render.i18n import N_, translate
from .render.markdown import BODY_END, BODY_START
from .render.pages import Page

ASSETS = TEMPLATES / "assets"
SEARCH_INDEX = Path("search") / "search_index.json"
HOOKS = Path(__file__).resolve().parent / "site_hooks.py"
_BODY = re.compile(f"{BODY_START}([^{BODY_START}{BODY_END}]*){BODY_END}")
_STRAY = re.compile(f"[{BODY_START}{BODY_END}]")


def bodies_file(docs_dir: Path) -> Path:
    """Where the rendered bodies of a site's pages wait for MkDocs (beside its docs, outside them)."""
    return docs_dir.parent / f"{docs_dir.name}.bodies.json"


def set_bodies_aside(markdown: str, token: str, bodies: dict[str, str]) -> str:
    """The page with each rendered body replaced by a plain word, the bodies kept in ``bodies``.

    MkDocs reads the page as Markdown; a body is HTML already made and sanitised,
    so it goes in after MkDocs' Markdown pass (site_hooks.py), untouched.
    """
    def aside(match: re.Match[str]) -> str:
        key = f"{token}{len(bodies)}x"
        bodies[key] = match.group(1)
        return key

    return _STRAY.sub("\ufffd", _BODY.sub(aside, markdown))


@dataclass(frozen=True)
class SiteSpec:
    """Everything needed to build one MkDocs site in a worker process."""

    key: str
    name: str
    base_config: Path
    docs_dir: Path
    site_dir: Path
    nav: list[Any]
    language: str = "en"
    alternates: list[dict[str, str]] = field(default_factory=list)
    # With ``published``, the last build's output: it is staged in site_dir and MkDocs builds again only the
    # pages whose source is newer (reuse.py); ``inner`` are the folders of sites nested in it, left out
    published: Path | None = None
    inner: list[Path] = field(default_factory=list)

    @property
    def keep_pages(self) -> bool:
        return self.published is not None


def write_docs(pages: list[Page], docs_dir: Path) -> None:
    """Write the generated Markdown pages and the shared assets into ``docs_dir``.

    The page title goes into front-matter HTML-escaped: MkDocs themes print
    titles unescaped (nav, header, ``<title>``), and a title is user content.
    """
    token = "generatorbody" + secrets.token_hex(8)  # a word no page holds
    bodies: dict[str, dict[str, str]] = {}
    for page in pages:
        path = docs_dir / page.path
        path.parent.mkdir(parents=True, exist_ok=True)
        meta = {"title": html.escape(page.title), **page.meta}
        front = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False)
        own: dict[str, str] = {}
        markdown = set_bodies_aside(page.markdown, token, own)
        if own:
            bodies[page.path] = own
        path.write_text(f"---\n{front}---\n\n{markdown}", encoding="utf-8")
        for name, data in page.files.items():
            (docs_dir / name).parent.mkdir(parents=True, exist_ok=True)
            (docs_dir / name).write_bytes(data)
    bodies_file(docs_dir).write_text(json.dumps({"token": token, "pages": bodies}), encoding="utf-8")
    shutil.copytree(ASSETS, docs_dir / "assets", dirs_exist_ok=True)


def make_nav(pages: list[Page]) -> list[Any]:
    """Return MkDocs ``nav`` from the pages' sections, keeping page order."""
    nav: list[Any] = []
    for page in pages:
        if not page.nav:
            continue
        level = nav
        for section in page.section:
            for item in level:
                if isinstance(item, dict) and html.escape(section) in item:
                    level = item[section]
                    break
            else:
                new: list[Any] = []
                level.append({html.escape(section): new})
                level = new
        level.append(page.path)  # the title comes from the page's own (escaped) front-matter
    return nav


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


# The colour-scheme toggle's labels in our mkdocs.yml: words of the generator, so in the catalogue
PALETTE_WORDS = (N_("Switch to dark mode"), N_("Switch to light mode"))


def _palette_in(base_config: Path, language: str) -> list[Any] | None:
    """The base configuration's colour schemes with the toggles' labels in ``language`` (None: leave as it is)."""
    if language == "en":
        return None
    try:
        palette = (yaml.safe_load(base_config.read_text(encoding="utf-8")) or {}).get("theme", {}).get("palette")
    except (OSError, yaml.YAMLError, AttributeError):
        return None
    if not isinstance(palette, list):
        return None
    translated = []
    for scheme in palette:
        if isinstance(scheme, dict) and isinstance(scheme.get("toggle"), dict) and scheme["toggle"].get("name") in PALETTE_WORDS:
            scheme = {**scheme, "toggle": {**scheme["toggle"], "name": translate(scheme["toggle"]["name"], language)}}
        translated.append(scheme)
    return translated


THEME_BYTECODE = COMPILED  # the theme's templates, compiled once (render/bytecode.py)


def build_site(spec: SiteSpec) -> list[str]:
    """Build one site with MkDocs; return its warnings."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import ConfigurationError

    config_file = spec.docs_dir.parent / f"mkdocs-{spec.key}.yml"
    config = {
        "INHERIT": str(spec.base_config.resolve()),
        "site_name": html.escape(spec.name),
        "docs_dir": str(spec.docs_dir.resolve()),
        "site_dir": str(spec.site_dir.resolve()),
        "nav": spec.nav,
        "hooks": [str(HOOKS)],
        # Material's own interface words follow the site's language; our partials override Material's
        "theme": {"language": spec.language, "custom_dir": str((TEMPLATES / "theme").resolve())},
    }
    if spec.alternates:
        config["extra"] = {"alternate": spec.alternates}
    palette = _palette_in(spec.base_config, spec.language)
    if palette is not None:
        config["theme"]["palette"] = palette
    config_file.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    logger = logging.getLogger("mkdocs")
    handler = _Collect()
    logger.addHandler(handler)
    previous = logger.level
    logger.setLevel(logging.WARNING)
    try:
        try:
            mkdocs_config = load_config(config_file=str(config_file))
        except (ConfigurationError, yaml.YAMLError) as error:  # a project's own mkdocs.yml that MkDocs refuses
            from .errors import SettingsError

            # a plain message: it crosses from a worker process to the parent
            raise SettingsError(f"{spec.base_config}: MkDocs cannot use this configuration: {error}") from None
        if spec.published is not None:
            _stage_published(mkdocs_config, spec.published, spec.site_dir, spec.inner)
        build(mkdocs_config, dirty=spec.keep_pages)
    finally:
        logger.removeHandler(handler)
        logger.setLevel(previous)
    # MkDocs warns that a dirty build may leave navigation stale; ours runs only when it cannot (reuse.py)
    return [m for m in handler.messages if not (spec.keep_pages and m.startswith(_DIRTY_WARNING))]


_DIRTY_WARNING = "A 'dirty' build is being performed"

# The plugins whose writes we know: each writes only files no documentation file is built into (the search
# index and its offline copy), so a kept page's output is written by no one
_KNOWN_PLUGINS = {"search", "material/search", "offline", "material/offline", str(HOOKS)}


def _stage_published(config: Any, published: Path, site_dir: Path, inner: list[Path]) -> None:
    """Stage the published site for a dirty build: the output of each file MkDocs itself finds unmodified
    (its source older than its output) linked, every other file copied, so no write of this build can reach
    the published site. With a plugin we do not know (a project's own configuration), everything is copied."""
    from mkdocs.structure.files import get_files

    from .reuse import stage_site, own_copy

    if not set(config.plugins) <= _KNOWN_PLUGINS:
        stage_site(published, site_dir, inner)
        return
    files = get_files(config)
    files.add_files_from_theme(config.theme.get_env(), config)
    # written whatever their time: the theme's own templates (sitemap, 404 page) and a project's extra templates
    always = {*config.theme.static_templates, *config.extra_templates}
    candidates = [file for file in files
                  if file.abs_src_path is not None and file.src_uri not in always and file.dest_uri not in always]
    stage_site(published, site_dir, inner, {file.dest_uri for file in candidates})
    for file in candidates:  # MkDocs' own test decides: what it would write is a private copy
        target = Path(file.abs_dest_path)
        if target.is_file() and target.stat().st_nlink > 1 and file.is_modified():
            own_copy(target)
