"""Calling a URL a user gave (a webhook) without letting it reach labdocs' own network (server-side request forgery).

https only; every address the name resolves to must be a public one (no loopback, private, link-local, shared,
multicast, reserved or cloud metadata address); the connection goes to the address that was checked (so a name
cannot resolve differently a moment later), and redirects are never followed. An operator may allow-list hosts
or networks (WEBHOOK_ALLOW), which may then also be plain http: the tests reach a receiver on loopback that way.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

Address = ipaddress.IPv4Address | ipaddress.IPv6Address


class Refused(ValueError):
    """The URL may not be called; the message says why in words."""


@dataclass(frozen=True)
class Target:
    """A checked URL: where to connect (the address checked) and what to ask for."""

    scheme: str
    host: str
    port: int
    path: str
    address: str


def allowed(address: Address, host: str, allow: Iterable[str]) -> bool:
    """Whether the operator's allow-list names this host or a network holding this address."""
    for entry in allow:
        if entry == host:
            return True
        try:
            if address in ipaddress.ip_network(entry, strict=False):
                return True
        except ValueError:
            continue
    return False


def is_public(address: Address) -> bool:
    """An address on the public internet: not loopback, private, link-local (metadata), shared or reserved."""
    mapped = address.ipv4_mapped if isinstance(address, ipaddress.IPv6Address) else None
    return (mapped or address).is_global and not (mapped or address).is_multicast


def resolve(host: str, port: int) -> list[Address]:
    """Every address the host name resolves to (an address given as such is itself)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise Refused(f"The host name {host!r} does not resolve.") from exc
    return [ipaddress.ip_address(str(info[4][0]).split("%")[0]) for info in infos]


def check_url(url: str, allow: Iterable[str] = ()) -> Target:
    """The URL as a Target if it may be called; Refused, saying why, if not."""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower()
    if parts.scheme not in ("https", "http") or not host:
        raise Refused("Give a full https:// address.")
    if parts.username or parts.password:
        raise Refused("Leave user names and passwords out of the address: the calls are signed instead.")
    port = parts.port or (443 if parts.scheme == "https" else 80)
    addresses = resolve(host, port)
    allow = tuple(allow)
    listed = all(allowed(address, host, allow) for address in addresses)
    if parts.scheme == "http" and not listed:
        raise Refused("Use https: labdocs calls plain http only on addresses its operator allows.")
    for address in addresses:
        if not listed and not is_public(address):
            raise Refused(f"{host} resolves to {address}, which is not a public address: labdocs does not call "
                          "its own network.")
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return Target(parts.scheme, host, port, path, str(addresses[0]))


class PinnedHTTPSConnection(http.client.HTTPSConnection):
    """HTTPS to the address that was checked, with the host name for SNI and the certificate check."""

    def __init__(self, target: Target, timeout: float) -> None:
        super().__init__(target.host, target.port, timeout=timeout, context=ssl.create_default_context())
        self.target = target

    def connect(self) -> None:
        raw = socket.create_connection((self.target.address, self.target.port), self.timeout)
        self.sock = self._context.wrap_socket(raw, server_hostname=self.target.host)  # type: ignore[attr-defined]


def post(target: Target, body: bytes, headers: dict[str, str], timeout: float = 10) -> int:
    """POST the body; the status code (a redirect is returned as it is, never followed)."""
    connection: http.client.HTTPConnection
    if target.scheme == "https":
        connection = PinnedHTTPSConnection(target, timeout)
    else:
        connection = http.client.HTTPConnection(target.address, target.port, timeout=timeout)
    try:
        connection.request("POST", target.path, body=body, headers={"Host": target.host, **headers})
        response = connection.getresponse()
        response.read(64 * 1024)  # the receiver's answer is not needed; read a little so the socket closes cleanly
        return response.status
    finally:
        connection.close()
