"""A one-node OpenStack Swift with its S3 API (s3api and tempauth), from Debian's packages, for the S3 store's tests.

Configs and rings go into a folder of its own, storage is a plain directory (mount_check off) belonging to the
`swift` user, and the account, container, object and proxy servers listen on free ports until stopped.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

ACCESS_KEY, SECRET_KEY = "test:tester", "testing"  # tempauth's user test:tester, password testing
SERVERS = ("account", "container", "object")
PROGRAMS = ("swift-ring-builder", "swift-proxy-server", "swift-object-server")
PACKAGES = "swift swift-proxy swift-account swift-container swift-object python3-swift"

PROXY_PIPELINE = "catch_errors gatekeeper healthcheck proxy-logging cache listing_formats s3api tempauth copy slo " \
    "dlo proxy-logging proxy-server"


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def missing_programs() -> list[str]:
    """Swift's programs not installed here (scripts/system-packages installs them)."""
    return [program for program in PROGRAMS if shutil.which(program) is None]


@dataclass
class Swift:
    """A running one-node Swift: its S3 endpoint, credentials and folder."""

    folder: Path
    bind_ip: str = "127.0.0.1"
    ports: dict[str, int] = field(default_factory=dict)
    processes: list[subprocess.Popen[bytes]] = field(default_factory=list)

    @property
    def endpoint(self) -> str:
        return f"http://{'127.0.0.1' if self.bind_ip == '0.0.0.0' else self.bind_ip}:{self.ports['proxy']}"

    def endpoint_at(self, address: str) -> str:
        """The S3 endpoint as seen from another address of this machine (the proxy listens on all of them)."""
        return f"http://{address}:{self.ports['proxy']}"

    @property
    def environment(self) -> dict[str, str]:
        """What boto3 reads to reach this server."""
        return {"AWS_ACCESS_KEY_ID": ACCESS_KEY, "AWS_SECRET_ACCESS_KEY": SECRET_KEY,
                "AWS_DEFAULT_REGION": "us-east-1", "AWS_ENDPOINT_URL_S3": self.endpoint}

    def log_tail(self, lines: int = 40) -> str:
        """The end of each server's log, to explain a failure."""
        return "\n".join(f"--- {log.name}\n" + "\n".join(log.read_text(errors="replace").splitlines()[-lines:])
                         for log in sorted(self.folder.glob("*.log")))


def run_as(user: str) -> tuple[str, int, int]:
    """The user the servers drop to: `swift` when started as root, else whoever runs the tests."""
    entry = pwd.getpwnam(user) if os.geteuid() == 0 else pwd.getpwuid(os.geteuid())
    return entry.pw_name, entry.pw_uid, entry.pw_gid


def write_configs(swift: Swift, user: str) -> None:
    """swift.conf and the four servers' configs, all pointing at this folder."""
    folder = swift.folder
    (folder / "swift.conf").write_text(
        "[swift-hash]\nswift_hash_path_suffix = labdocs-tests\nswift_hash_path_prefix = labdocs\n\n"
        "[storage-policy:0]\nname = Policy-0\ndefault = yes\n\n[swift-constraints]\n")
    common = (f"[DEFAULT]\nbind_ip = 127.0.0.1\nworkers = 0\nuser = {user}\nswift_dir = {folder}\n"
              f"devices = {folder / 'node'}\nmount_check = false\nlog_level = WARNING\n"
              f"recon_cache_path = {folder / 'cache'}\n")
    for server in SERVERS:
        (folder / f"{server}-server.conf").write_text(
            f"{common}bind_port = {swift.ports[server]}\n\n[pipeline:main]\npipeline = {server}-server\n\n"
            f"[app:{server}-server]\nuse = egg:swift#{server}\n")
    (folder / "proxy-server.conf").write_text(
        f"[DEFAULT]\nbind_ip = {swift.bind_ip}\nbind_port = {swift.ports['proxy']}\nworkers = 0\nuser = {user}\n"
        f"swift_dir = {folder}\nlog_level = WARNING\n\n"
        f"[pipeline:main]\npipeline = {PROXY_PIPELINE}\n\n"
        "[app:proxy-server]\nuse = egg:swift#proxy\naccount_autocreate = true\nallow_account_management = true\n\n"
        # No memcached: the cache middleware still hands tempauth its client, which finds nothing cached and
        # checks each S3 signature against the key below.
        f"[filter:cache]\nuse = egg:swift#memcache\nmemcache_servers = 127.0.0.1:{free_port()}\n\n"
        "[filter:s3api]\nuse = egg:swift#s3api\nlocation = us-east-1\n\n"
        f"[filter:tempauth]\nuse = egg:swift#tempauth\nuser_test_tester = {SECRET_KEY} .admin\n\n"
        + "".join(f"[filter:{name}]\nuse = egg:swift#{name.replace('-', '_')}\n\n"
                  for name in ("catch_errors", "gatekeeper", "healthcheck", "proxy-logging", "listing_formats",
                               "copy", "slo", "dlo")))


def build_rings(swift: Swift) -> None:
    """One device per ring on this node: part power 6, one replica."""
    for server in SERVERS:
        builder = str(swift.folder / f"{server}.builder")
        for args in (["create", "6", "1", "1"], ["add", f"r1z1-127.0.0.1:{swift.ports[server]}/d1", "100"],
                     ["rebalance"]):
            done = subprocess.run(["swift-ring-builder", builder, *args], capture_output=True, text=True, timeout=60)
            if done.returncode not in (0, 1):  # 1 is a warning (e.g. nothing to rebalance)
                raise RuntimeError(f"swift-ring-builder {' '.join(args)}: {done.stdout}{done.stderr}")


def start_servers(swift: Swift) -> None:
    for server in (*SERVERS, "proxy"):
        log = (swift.folder / f"{server}.log").open("wb")
        swift.processes.append(subprocess.Popen(
            [f"swift-{server}-server", str(swift.folder / f"{server}-server.conf"), "--verbose"],
            stdout=log, stderr=subprocess.STDOUT, start_new_session=True))


def await_ready(swift: Swift, timeout: float = 60) -> None:
    """Until the proxy's healthcheck and each storage server answer; an exited server fails at once."""
    deadline = time.monotonic() + timeout
    urls = [f"http://127.0.0.1:{swift.ports[server]}/recon/version" for server in SERVERS]
    urls.append(f"{swift.endpoint}/healthcheck")
    while time.monotonic() < deadline:
        exited = [p.args[0] for p in swift.processes if p.poll() is not None]  # type: ignore[index]
        if exited:
            raise RuntimeError(f"Swift server(s) exited: {exited}\n{swift.log_tail()}")
        if all(answers(url) for url in urls):
            return
        time.sleep(0.2)
    raise RuntimeError(f"Swift did not answer within {timeout:g} s\n{swift.log_tail()}")


def answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return bool(response.status < 500)
    except urllib.error.HTTPError as exc:
        return exc.code < 500  # a storage server without recon answers 400 or 404: it is up
    except OSError:
        return False


def stop_servers(swift: Swift) -> None:
    for process in swift.processes:
        if process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, 15)
    for process in swift.processes:
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, 9)
            process.wait()


@contextmanager
def running_swift(bind_ip: str = "127.0.0.1") -> Iterator[Swift]:
    """Start a one-node Swift in a new folder; stop it and remove the folder afterwards."""
    if missing := missing_programs():
        raise RuntimeError(f"Swift is not installed ({', '.join(missing)} missing): run scripts/system-packages, "
                           f"which installs {PACKAGES}")
    folder = Path(tempfile.mkdtemp(prefix="labdocs-swift-", dir="/tmp"))
    swift = Swift(folder, bind_ip, {server: free_port() for server in (*SERVERS, "proxy")})
    user, uid, gid = run_as("swift")
    try:
        (folder / "node" / "d1").mkdir(parents=True)
        (folder / "cache").mkdir()
        write_configs(swift, user)
        build_rings(swift)
        if os.geteuid() == 0:
            for path in (folder, *folder.rglob("*")):
                os.chown(path, uid, gid)
        start_servers(swift)
        await_ready(swift)
        yield swift
    finally:
        stop_servers(swift)
        shutil.rmtree(folder, ignore_errors=True)
