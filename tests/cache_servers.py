"""Servers of the shared-cache tests, each on its own free port of 127.0.0.1 and stopped by its PID.

An sccache server runs in the foreground of the process we start
(``SCCACHE_START_SERVER=1 SCCACHE_NO_DAEMON=1``, sccache's own way to run it
undetached), so its PID is the one we hold.  Redis is Debian's ``redis-server``,
spoken to in RESP over a plain socket (no client library).
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import time
from pathlib import Path
from typing import Mapping, Optional

import pytest


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _listening(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


def _stop(proc: subprocess.Popen, timeout: float = 10) -> None:
    """End *proc* (started in its own session) and whatever it left in its process group."""
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=timeout)
    try:
        os.killpg(proc.pid, signal.SIGKILL)  # its group, whose id is its PID
    except (ProcessLookupError, PermissionError):
        pass


def clean_cache_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """No SCCACHE_* setting of the user's (a remote cache, a port, a config file), launcher or compiler reaches a test."""
    for name in list(os.environ):
        if name.startswith("SCCACHE_"):
            monkeypatch.delenv(name)
    for name in ("NINJAGEN_LAUNCHER", "CC", "CXX", "CFLAGS", "CPPFLAGS", "LDSHARED", "LDCXXSHARED"):
        monkeypatch.delenv(name, raising=False)


class SccacheServer:
    """One sccache server: its own port, cache folder, log and settings (``SCCACHE_*`` given as *settings*)."""

    def __init__(self, sccache: str, folder: Path, **settings: str) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        config = folder / "sccache.conf"
        config.write_text("")  # not the user's ~/.config/sccache/config
        self.sccache = sccache
        self.port = free_port()
        self.folder = folder
        self.log = folder / "server.log"
        #: what a client (ninja's compiles, --show-stats) needs to reach this server
        self.env = {"SCCACHE_SERVER_PORT": str(self.port), "SCCACHE_DIR": str(folder / "cache"),
                    "SCCACHE_IDLE_TIMEOUT": "0", "SCCACHE_CONF": str(config), **settings}
        base = {k: v for k, v in os.environ.items() if not k.startswith("SCCACHE_")}
        with open(self.log, "w") as log:
            self.proc = subprocess.Popen(
                [sccache], env={**base, **self.env, "SCCACHE_START_SERVER": "1", "SCCACHE_NO_DAEMON": "1"},
                stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + 20
        while not _listening(self.port):
            if self.proc.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise AssertionError(f"sccache server on port {self.port} did not start:\n{self.log.read_text()}")
            time.sleep(0.05)

    def use(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """Make this server the one that compiles (and ``--show-stats``) in this process and its children reach."""
        clean_cache_env(monkeypatch)
        for name, value in self.env.items():
            monkeypatch.setenv(name, value)

    def stats(self) -> dict:
        """``sccache --show-stats --stats-format=json`` of this server."""
        base = {k: v for k, v in os.environ.items() if not k.startswith("SCCACHE_")}
        proc = subprocess.run([self.sccache, "--show-stats", "--stats-format=json"], env={**base, **self.env},
                              capture_output=True, text=True, timeout=30)
        assert proc.returncode == 0, proc.stdout + proc.stderr
        return json.loads(proc.stdout)

    def stop(self) -> None:
        """``sccache --stop-server`` on its port (whichever server answers there), then its PID if still alive."""
        if self.proc.poll() is None:
            base = {k: v for k, v in os.environ.items() if not k.startswith("SCCACHE_")}
            try:
                subprocess.run([self.sccache, "--stop-server"], env={**base, **self.env}, capture_output=True,
                               timeout=20)
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                pass
        _stop(self.proc)


def hits(stats: Mapping) -> int:
    return sum(stats["stats"]["cache_hits"]["counts"].values())


def misses(stats: Mapping) -> int:
    return sum(stats["stats"]["cache_misses"]["counts"].values())


class RedisServer:
    """Debian's redis-server on 127.0.0.1 at a free port, keeping nothing on disk."""

    def __init__(self, redis_server: str, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        self.log = folder / "redis.log"
        with open(self.log, "w") as log:
            self.proc = subprocess.Popen(
                [redis_server, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                 "--dir", str(folder)],
                stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + 20
        while True:
            if self.proc.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise AssertionError(f"redis-server on port {self.port} did not answer PING:\n{self.log.read_text()}")
            try:
                if self.command("PING") == "PONG":
                    break
            except OSError:
                pass
            time.sleep(0.05)

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}"

    def command(self, *words: str) -> Optional[object]:
        """Send one command in RESP; its reply: a simple string or integer (errors raise)."""
        request = f"*{len(words)}\r\n" + "".join(f"${len(w.encode())}\r\n{w}\r\n" for w in words)
        with socket.create_connection(("127.0.0.1", self.port), timeout=5) as s:
            s.sendall(request.encode())
            reply = b""
            while not reply.endswith(b"\r\n"):
                chunk = s.recv(4096)
                if not chunk:
                    raise OSError("redis closed the connection")
                reply += chunk
        kind, text = reply[:1], reply[1:-2].decode()
        if kind == b"+":
            return text
        if kind == b":":
            return int(text)
        raise AssertionError(f"redis answered {reply!r} to {words}")

    def dbsize(self) -> int:
        size = self.command("DBSIZE")
        assert isinstance(size, int)
        return size

    def stop(self) -> None:
        _stop(self.proc)  # SIGTERM: redis-server shuts down (nothing to save)
