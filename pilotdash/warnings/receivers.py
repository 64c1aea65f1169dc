"""Which webhook addresses the dashboard may send to, checked when someone subscribes and again at
every delivery (a name's addresses can change between the two).

Whoever may subscribe chooses the address, and the server makes the request: without these checks
a subscription is a way to make the server POST to itself, the cloud's metadata service or any
machine inside the network. So an address must be `https://`, to the host of its robot service
(企业微信 qyapi.weixin.qq.com, 钉钉 oapi.dingtalk.com, 飞书 open.feishu.cn / Lark
open.larksuite.com) or a host an administrator lists, and every address its name resolves to must
be public. Deliveries connect to the address that was checked (`connection`), never resolve again.

Configuration, `[pilotdash.notify]` in the same file as the rest of the notices' settings:
`webhook_hosts` (further receivers, https, public addresses) and `webhook_internal_hosts`
(receivers inside the network: their private or loopback addresses and `http://` are allowed;
link-local addresses, where the metadata service answers, never).
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from .. import config
from ..errors import Problem

ROBOT_HOSTS = {
    "wecom": ("qyapi.weixin.qq.com",),
    "dingtalk": ("oapi.dingtalk.com",),
    "feishu": ("open.feishu.cn", "open.larksuite.com"),
}
# Not public, whatever `is_global` says of them in a given Python version.
_NEVER = tuple(ipaddress.ip_network(n) for n in (
    "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12",
    "192.0.0.0/24", "192.168.0.0/16", "198.18.0.0/15", "224.0.0.0/4", "240.0.0.0/4",
    "::/128", "::1/128", "fc00::/7", "fe80::/10", "ff00::/8", "64:ff9b::/96", "100::/64",
))
# Not even for a listed internal host: the metadata service (169.254.169.254), multicast, "any".
_NEVER_INTERNAL = tuple(ipaddress.ip_network(n) for n in (
    "0.0.0.0/8", "169.254.0.0/16", "224.0.0.0/4", "240.0.0.0/4", "::/128", "fe80::/10", "ff00::/8",
))


@dataclass(frozen=True)
class Receivers:
    hosts: frozenset[str] = frozenset()
    internal_hosts: frozenset[str] = frozenset()

    def allows(self, kind: str | None, host: str) -> bool:
        return host in ROBOT_HOSTS.get(kind or "", ()) or host in self.hosts or host in self.internal_hosts


def configured(path: Path | str | None = None) -> Receivers:
    """The administrator's list, from `[pilotdash.notify]` of the notices' configuration file."""
    section = config.section("pilotdash", path).get("notify", {}) or {}

    def names(key: str) -> frozenset[str]:
        return frozenset(str(h).strip().lower() for h in section.get(key, ()) or () if str(h).strip())

    return Receivers(names("webhook_hosts"), names("webhook_internal_hosts"))


@dataclass(frozen=True)
class Address:
    scheme: str
    host: str
    port: int
    path: str  # path and query, as sent in the request line


# Why an address is refused is said in the words of the moment: on subscribing (warn.sub.err.*, what
# to type instead) or at a delivery (warn.deliv.*, what went wrong since); both have every reason.
SUBSCRIBING = "warn.sub.err"
DELIVERING = "warn.deliv"


def check_url(url: str, kind: str | None, receivers: Receivers, moment: str) -> Address:
    """The address's parts when its scheme and host are allowed (no name is resolved here), else
    a Problem `<moment>.<reason>` (`moment` SUBSCRIBING or DELIVERING)."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as exc:
        raise Problem(f"{moment}.webhook_url") from exc
    host = (parts.hostname or "").lower()
    if parts.scheme not in ("http", "https") or not host or parts.username or parts.password:
        raise Problem(f"{moment}.webhook_url")
    if not receivers.allows(kind, host):
        raise Problem(f"{moment}.webhook_host")
    internal = host in receivers.internal_hosts
    if parts.scheme != "https" and not internal:
        raise Problem(f"{moment}.webhook_https")
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return Address(parts.scheme, host, port or (443 if parts.scheme == "https" else 80), path)


def allowed_ip(ip: ipaddress.IPv4Address | ipaddress.IPv6Address, internal: bool) -> bool:
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if any(ip in net for net in _NEVER_INTERNAL if net.version == ip.version):
        return False
    if internal:
        return True
    return ip.is_global and not any(ip in net for net in _NEVER if net.version == ip.version)


def resolve(address: Address, receivers: Receivers, moment: str) -> list[str]:
    """Every address the host resolves to, when all are allowed; refused when one is not (a name
    answering with a public and a private address is a rebinding trick). `OSError` when it does
    not resolve."""
    internal = address.host in receivers.internal_hosts
    found = socket.getaddrinfo(address.host, address.port, type=socket.SOCK_STREAM)
    ips = list(dict.fromkeys(info[4][0] for info in found))
    if not ips or not all(allowed_ip(ipaddress.ip_address(ip.split("%")[0]), internal) for ip in ips):
        raise Problem(f"{moment}.webhook_private")
    return ips


def check_subscription(url: str, kind: str | None, receivers: Receivers | None = None) -> None:
    """At subscribing: the scheme and host, and the addresses when the name resolves now (without
    a resolver, e.g. offline, delivery checks them before every request)."""
    receivers = configured() if receivers is None else receivers
    address = check_url(url, kind, receivers, SUBSCRIBING)
    try:
        resolve(address, receivers, SUBSCRIBING)
    except OSError:
        pass


class _Pinned:
    """Connects to one checked IP address, whatever the host name resolves to by then; TLS still
    verifies the certificate for the host name (SNI and the Host header keep the name)."""

    ip: str
    timeout: float

    def connect(self) -> None:  # type: ignore[override]
        self.sock = socket.create_connection((self.ip, self.port), self.timeout)  # type: ignore[attr-defined]
        self.sock.settimeout(self.timeout)
        wrap = getattr(self, "_context", None)
        if wrap is not None:
            self.sock = wrap.wrap_socket(self.sock, server_hostname=self.host)  # type: ignore[attr-defined]


class _PinnedHTTP(_Pinned, http.client.HTTPConnection):
    pass


class _PinnedHTTPS(_Pinned, http.client.HTTPSConnection):
    pass


def connection(address: Address, ip: str, timeout: float) -> http.client.HTTPConnection:
    """An HTTP(S) connection to `ip` for `address` (no redirects: http.client follows none)."""
    if address.scheme == "https":
        conn: http.client.HTTPConnection = _PinnedHTTPS(address.host, address.port, timeout=timeout,
                                                        context=ssl.create_default_context())
    else:
        conn = _PinnedHTTP(address.host, address.port, timeout=timeout)
    conn.ip = ip  # type: ignore[attr-defined]
    return conn
