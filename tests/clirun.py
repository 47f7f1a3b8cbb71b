"""The real command line, two ways: in this process (fast) or in a subprocess (as a user would).

:func:`run_cli` calls ``overhorizon.cli.main`` here, as if it were a fresh process: for the
duration of the call the environment is exactly the one a subprocess would get, the working
folder is ``cwd``, standard input, output and error are byte streams of their own, warnings
follow Python's default filters and go to that standard error, and the root logger has only
the handler Python would fall back on (messages of WARNING and above, to standard error).
Everything is put back afterwards, so no call sees what an earlier one changed. The spaCy
pipeline, loaded once per process, is shared by every call: that is what makes it fast.

:func:`run_cli_process` runs ``python -m overhorizon`` in a subprocess; a few smoke tests keep
it, so that the real entry point, exit statuses and streams of a process stay covered.
"""

from __future__ import annotations

import io
import logging
import os
import subprocess
import sys
import traceback
import warnings
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path


@dataclass
class CliResult:
    code: int
    stdout: str
    stderr: str


def cli_env(env: dict[str, str] | None = None) -> dict[str, str]:
    """The environment of a CLI run: this one without OVERHORIZON_* (but the session's
    gazetteer), at 200 columns and without colour, then ``env`` on top."""
    full_env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("OVERHORIZON_") or k == "OVERHORIZON_GAZETTEER"
    }
    full_env.update({"COLUMNS": "200", "NO_COLOR": "1"})
    full_env.update(env or {})
    return full_env


def run_cli_process(
    *args: str,
    cwd: Path | None = None,
    stdin: bytes | None = None,
    env: dict[str, str] | None = None,
    timeout: float = 300,
) -> CliResult:
    """Run ``overhorizon`` in a subprocess, as a user would."""
    proc = subprocess.run(
        [sys.executable, "-m", "overhorizon", *args],
        cwd=cwd,
        input=stdin if stdin is not None else b"",
        capture_output=True,
        env=cli_env(env),
        timeout=timeout,
    )
    return CliResult(
        proc.returncode,
        proc.stdout.decode("utf-8", "replace"),
        proc.stderr.decode("utf-8", "replace"),
    )


#: Python's own warning filters when started without -W or PYTHONWARNINGS (see the warnings
#: module documentation), last applied first: what a subprocess would use.
_PYTHON_WARNING_FILTERS: list[tuple[str, type[Warning], str]] = [
    ("ignore", ResourceWarning, ""),
    ("ignore", ImportWarning, ""),
    ("ignore", PendingDeprecationWarning, ""),
    ("ignore", DeprecationWarning, ""),
    ("default", DeprecationWarning, "__main__"),
]


class _Streams:
    """Standard input, output and error of one run, over bytes, as a process has them."""

    def __init__(self, stdin: bytes) -> None:
        self.out = io.BytesIO()
        self.err = io.BytesIO()
        self.stdin = io.TextIOWrapper(io.BytesIO(stdin), encoding="utf-8")
        self.stdout = io.TextIOWrapper(self.out, encoding="utf-8", write_through=True)
        self.stderr = io.TextIOWrapper(
            self.err, encoding="utf-8", errors="backslashreplace", write_through=True
        )

    def text(self) -> tuple[str, str]:
        for stream in (self.stdout, self.stderr):
            with suppress(ValueError):  # closed by the command: what it wrote is in the buffer
                stream.flush()
        return (
            self.out.getvalue().decode("utf-8", "replace"),
            self.err.getvalue().decode("utf-8", "replace"),
        )


@contextmanager
def _as_a_fresh_process(env: dict[str, str], cwd: Path | None, streams: _Streams) -> Iterator[None]:
    saved_env = os.environ.copy()
    saved_cwd = os.getcwd()
    saved_streams = (sys.stdin, sys.stdout, sys.stderr)
    root = logging.getLogger()
    saved_handlers, saved_level = root.handlers[:], root.level
    # the handler Python falls back on when nothing configured logging (logging.lastResort)
    fallback = logging.StreamHandler(streams.stderr)
    fallback.setLevel(logging.WARNING)
    try:
        os.environ.clear()
        os.environ.update(env)
        if cwd is not None:
            os.chdir(cwd)
        sys.stdin, sys.stdout, sys.stderr = streams.stdin, streams.stdout, streams.stderr
        root.handlers = [fallback]
        root.setLevel(logging.WARNING)
        with warnings.catch_warnings():
            warnings.resetwarnings()
            for action, category, module in _PYTHON_WARNING_FILTERS:
                warnings.filterwarnings(action, category=category, module=module)  # type: ignore[call-overload]
            yield
    finally:
        root.handlers = saved_handlers
        root.setLevel(saved_level)
        sys.stdin, sys.stdout, sys.stderr = saved_streams
        os.chdir(saved_cwd)
        os.environ.clear()
        os.environ.update(saved_env)


def run_cli(
    *args: str,
    cwd: Path | None = None,
    stdin: bytes | None = None,
    env: dict[str, str] | None = None,
    timeout: float = 300,
) -> CliResult:
    """Run ``overhorizon ARGS`` in this process as if it were a fresh one (see the module
    docstring): exit status, standard output and standard error. ``timeout`` is accepted for
    the callers of :func:`run_cli_process` and not enforced here."""
    from overhorizon.cli import main

    streams = _Streams(stdin if stdin is not None else b"")
    code = 0
    with _as_a_fresh_process(cli_env(env), cwd, streams):
        try:
            main(list(args))
        except SystemExit as exc:
            if exc.code is None:
                code = 0
            elif isinstance(exc.code, int):
                code = exc.code
            else:  # sys.exit("message"): Python prints it and exits with 1
                print(exc.code, file=sys.stderr)
                code = 1
        except Exception:  # noqa: BLE001 (what the interpreter does with an uncaught one)
            traceback.print_exc(file=sys.stderr)
            code = 1
    out, err = streams.text()
    return CliResult(code, out, err)
