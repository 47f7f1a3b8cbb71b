"""Every setting, declared once: name, type, help, valid range; defaults in ``defaults.toml``.

Resolution, later layers win: shipped defaults -> user file -> environment (``OVERHORIZON_<NAME>``)
-> explicit overrides (CLI flags). The result is one validated, frozen :class:`Settings` passed
down the call chain; nothing reads the environment after that.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, fields
from datetime import timedelta
from importlib import resources
from pathlib import Path
from typing import Any

from overhorizon.reasons import ConfigError

ENV_PREFIX = "OVERHORIZON_"
USER_FILE = "overhorizon.toml"

_DURATION = re.compile(r"\s*(\d+(?:\.\d+)?)\s*([smhdw])\s*", re.IGNORECASE)
DURATION_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}
"""Seconds in each unit of a duration: seconds, minutes, hours, days, weeks."""


def parse_duration(text: str) -> timedelta:
    """The span that ``90s``, ``15m``, ``1.5h``, ``24h``, ``7d`` or ``2w`` stands for: a number
    above zero and one unit. The one grammar of durations (``watch_every``, ``watch --every``,
    ``digest --since``); ValueError naming the text otherwise."""
    found = _DURATION.fullmatch(text)
    if not found or float(found.group(1)) <= 0:
        raise ValueError(f"{text!r} is not a duration such as 90s, 15m, 24h, 7d or 2w")
    return timedelta(seconds=float(found.group(1)) * DURATION_UNITS[found.group(2).lower()])


@dataclass(frozen=True, slots=True)
class Setting:
    """Declaration of one setting: its type, meaning and valid range."""

    name: str
    type: type
    help: str
    minimum: float | None = None
    maximum: float | None = None
    duration: bool = False  # a str that must parse with parse_duration


DECLARED: tuple[Setting, ...] = (
    Setting("db", str, "Database: a file path or a SQLAlchemy URL."),
    Setting(
        "max_document_bytes",
        int,
        "Largest single document (file, page, JSONL line, WARC record), in bytes.",
        1,
    ),
    Setting(
        "max_container_bytes",
        int,
        "Largest feed or JSON file read whole, in bytes.",
        1,
    ),
    Setting(
        "near_duplicate_threshold",
        float,
        "Jaccard similarity (0-1) above which two articles are near-duplicates.",
        0.05,
        1.0,
    ),
    Setting("minhash_num_perm", int, "MinHash permutations.", 16, 1024),
    Setting("shingle_words", int, "Words per shingle for near-duplicate detection.", 1, 20),
    Setting(
        "html_fallback",
        bool,
        "Also run trafilatura's fallback extractors on HTML: slower, sometimes more complete.",
    ),
    Setting(
        "workers",
        int,
        "Processes that extract and prepare documents in parallel: 0 = one per core, 1 = none.",
        0,
        64,
    ),
    Setting("batch_size", int, "Articles written per transaction.", 1, 100_000),
    Setting(
        "language_min_chars",
        int,
        "Fewest letters a text needs before its language is detected.",
        0,
    ),
    Setting("include_hidden", bool, "Read files and directories whose names start with a dot."),
    Setting("nlp_batch_size", int, "Documents per batch through the spaCy pipeline.", 1, 10_000),
    Setting(
        "nlp_processes", int, "Processes for the spaCy pipeline: 1 = this process only.", 1, 64
    ),
    Setting(
        "encoder_threads",
        int,
        "Threads of the sentence encoder (onnxruntime, per process): 0 = onnxruntime's choice.",
        0,
        64,
    ),
    Setting("encoder_batch_size", int, "Sentences per batch through the encoder.", 1, 4096),
    Setting(
        "gazetteer",
        str,
        "Gazetteer SQLite file; empty: built on first use in the user's cache directory.",
    ),
    Setting(
        "api_token",
        str,
        "Bearer token for writing through the API (POST /api/articles) and for serving on an "
        "address other than loopback; empty: the API is read-only and serves 127.0.0.1 only.",
    ),
    Setting(
        "sources_file",
        str,
        "Source registry (TOML) that watch polls and fusion reads for ownership; empty: none.",
    ),
    Setting("rules_file", str, "Watch rules (TOML) that raise alerts; empty: store rules only."),
    Setting("user_agent", str, "User-Agent of every fetch; names the project and a contact."),
    Setting("fetch_timeout", float, "Seconds before a fetch (connect or read) gives up.", 0.1, 600),
    Setting("fetch_retries", int, "Retries, with backoff, after a timeout, 429 or 5xx.", 0, 10),
    Setting("host_interval", float, "Fewest seconds between two requests to one host.", 0, 3600),
    Setting(
        "allow_private_addresses",
        bool,
        "Let watch fetch private, loopback and link-local addresses (off: refused, SSRF guard).",
    ),
    Setting(
        "watch_every", str, "How often overhorizon watch polls, e.g. 15m, 1h, 90s.", duration=True
    ),
    Setting("base_url", str, "Public address of the dashboard, for links in alerts and feeds."),
    Setting("webhook_secret", str, "HMAC-SHA256 key that signs every webhook; empty: unsigned."),
    Setting("smtp_host", str, "SMTP server for alert e-mail; empty: no e-mail."),
    Setting("smtp_port", int, "SMTP port.", 1, 65535),
    Setting("smtp_starttls", bool, "Upgrade the SMTP connection with STARTTLS."),
    Setting("smtp_user", str, "SMTP login; empty: none."),
    Setting("smtp_password", str, "SMTP password; set it in the environment."),
    Setting("smtp_from", str, "Sender address of alert e-mail."),
)


@dataclass(frozen=True, slots=True)
class Settings:
    """The resolved settings of one process or one test."""

    db: str
    max_document_bytes: int
    max_container_bytes: int
    near_duplicate_threshold: float
    minhash_num_perm: int
    shingle_words: int
    html_fallback: bool
    workers: int
    batch_size: int
    language_min_chars: int
    include_hidden: bool
    nlp_batch_size: int
    nlp_processes: int
    encoder_threads: int
    encoder_batch_size: int
    gazetteer: str
    api_token: str
    sources_file: str
    rules_file: str
    user_agent: str
    fetch_timeout: float
    fetch_retries: int
    host_interval: float
    allow_private_addresses: bool
    watch_every: str
    base_url: str
    webhook_secret: str
    smtp_host: str
    smtp_port: int
    smtp_starttls: bool
    smtp_user: str
    smtp_password: str
    smtp_from: str

    def replace(self, **changes: Any) -> Settings:
        """Return a copy with ``changes`` applied and validated."""
        data = {f.name: getattr(self, f.name) for f in fields(self)}
        data.update(changes)
        return _validated(data, "override")


def shipped_defaults() -> dict[str, Any]:
    """Return the values of ``defaults.toml``."""
    text = resources.files("overhorizon").joinpath("defaults.toml").read_text("utf-8")
    return tomllib.loads(text)


def environment_value(name: str, env: Mapping[str, str] | None = None) -> str:
    """The environment's ``OVERHORIZON_<NAME>`` for the setting ``name`` (empty when unset),
    for a module that needs one setting before it has a :class:`Settings` (the gazetteer's
    default path)."""
    env = os.environ if env is None else env
    return env.get(ENV_PREFIX + name.upper(), "")


def cache_dir(env: Mapping[str, str] | None = None) -> Path:
    """Where overhorizon caches what it builds (the gazetteer): ``$XDG_CACHE_HOME/overhorizon``,
    ``~/.cache/overhorizon`` when XDG_CACHE_HOME is unset or empty."""
    env = os.environ if env is None else env
    base = env.get("XDG_CACHE_HOME")
    return (Path(base) if base else Path.home() / ".cache") / "overhorizon"


def load_settings(
    config_file: str | os.PathLike[str] | None = None,
    env: Mapping[str, str] | None = None,
    overrides: Mapping[str, Any] | None = None,
    cwd: Path | None = None,
) -> Settings:
    """Resolve settings from all layers; raise ConfigError on an unknown name or a bad value."""
    env = os.environ if env is None else env
    data: dict[str, Any] = shipped_defaults()
    path: Path | None = None
    if config_file is not None:
        path = Path(config_file)
    elif env.get(ENV_PREFIX + "CONFIG"):
        path = Path(env[ENV_PREFIX + "CONFIG"])
    elif (cand := (cwd or Path.cwd()) / USER_FILE).is_file():
        path = cand
    if path is not None:
        data.update(_read_user_file(path))
    by_name = {s.name: s for s in DECLARED}
    for name, setting in by_name.items():
        raw = env.get(ENV_PREFIX + name.upper())
        if raw is not None and raw != "":
            data[name] = _coerce(setting, raw, f"environment {ENV_PREFIX}{name.upper()}")
    for name, value in (overrides or {}).items():
        if value is not None:
            data[name] = value
    return _validated(data, "settings")


def _read_user_file(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text("utf-8"))
    except FileNotFoundError:
        raise ConfigError("bad_setting", f"config file {path} does not exist") from None
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError("bad_setting", f"config file {path} cannot be read ({exc})") from None


def _coerce(setting: Setting, raw: str, where: str) -> Any:
    try:
        if setting.type is bool:
            low = raw.strip().lower()
            if low in {"1", "true", "yes", "on"}:
                return True
            if low in {"0", "false", "no", "off"}:
                return False
            raise ValueError(raw)
        return setting.type(raw.replace("_", "") if setting.type is not str else raw)
    except ValueError:
        raise ConfigError(
            "bad_setting", f"{where}={raw!r} is not a valid {setting.type.__name__}"
        ) from None


def _validated(data: Mapping[str, Any], where: str) -> Settings:
    by_name = {s.name: s for s in DECLARED}
    unknown = sorted(set(data) - set(by_name))
    if unknown:
        raise ConfigError("bad_setting", f"unknown setting {unknown[0]!r} in {where}")
    out: dict[str, Any] = {}
    for name, setting in by_name.items():
        if name not in data:
            raise ConfigError("bad_setting", f"setting {name!r} has no value")
        value = data[name]
        if setting.type is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if not isinstance(value, setting.type) or (setting.type is int and isinstance(value, bool)):
            raise ConfigError(
                "bad_setting", f"setting {name}={value!r} is not a {setting.type.__name__}"
            )
        if setting.duration:
            try:
                parse_duration(str(value))
            except ValueError as exc:
                raise ConfigError("bad_setting", f"setting {name}: {exc}") from None
        number = float(value) if isinstance(value, (int, float)) else 0.0
        if setting.minimum is not None and number < setting.minimum:
            raise ConfigError(
                "bad_setting", f"setting {name}={value!r} is below the minimum {setting.minimum}"
            )
        if setting.maximum is not None and number > setting.maximum:
            raise ConfigError(
                "bad_setting", f"setting {name}={value!r} is above the maximum {setting.maximum}"
            )
        out[name] = value
    return Settings(**out)
