"""The SSRF guard: which addresses a fetch may reach.

Only public addresses, unless a source allows more: ``allow_private=True`` admits loopback, a tuple of
networks (CIDR strings) admits loopback and those. Link-local and cloud-metadata addresses, unspecified
and multicast addresses (``NEVER``) are never reachable, whatever is allowed. An IPv6 form that embeds
an IPv4 address (mapped, 6to4, NAT64) is judged by the address it carries. The client checks a URL's
host before each request and again on the very addresses its connection opens (``_pinned``).
"""

from __future__ import annotations

import ipaddress

__all__ = ["NEVER", "AllowPrivate", "IPAddress", "Network", "allowed_networks", "first_refused", "is_loopback"]

#: what a caller lets through the SSRF guard besides public addresses: nothing (False), loopback (True), or
#: loopback and these networks (CIDR strings)
AllowPrivate = bool | tuple[str, ...]

_NAT64 = ipaddress.ip_network("64:ff9b::/96")
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network

#: never reachable, whatever a source allows: link-local (169.254.169.254 is the cloud metadata service),
#: the metadata addresses outside it (Alibaba Cloud's, AWS's IPv6 one), "this network", unspecified,
#: multicast and broadcast addresses
NEVER: tuple[Network, ...] = tuple(
    ipaddress.ip_network(n)
    for n in (
        "169.254.0.0/16", "fe80::/10", "100.100.100.200/32", "fd00:ec2::254/128", "0.0.0.0/8", "::/128",
        "224.0.0.0/4", "ff00::/8", "255.255.255.255/32",
    )
)


def allowed_networks(values: tuple[str, ...]) -> tuple[Network, ...]:
    """The networks of a source's ``allow_private`` list; ValueError naming a bad one or one that overlaps ``NEVER``."""
    out: list[Network] = []
    for value in values:
        try:
            net = ipaddress.ip_network(value, strict=False)
        except ValueError as e:
            raise ValueError(f"{value[:60]!r} is not a network such as 10.1.0.0/16") from e
        clash = next((n for n in NEVER if n.version == net.version and n.overlaps(net)), None)
        if clash is not None:
            raise ValueError(
                f"{value} overlaps {clash}, which is never reachable (link-local, cloud metadata, multicast)"
            )
        out.append(net)
    return tuple(out)


def _embedded(ip: IPAddress) -> IPAddress:
    """The IPv4 address an IPv6 form carries (mapped, 6to4, NAT64), else ``ip``."""
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = (
            ip.ipv4_mapped or ip.sixtofour or (ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF) if ip in _NAT64 else None)
        )
        if embedded is not None:
            return embedded
    return ip


def _public(ip: IPAddress) -> bool:
    """A global unicast address, looking through IPv6 forms that embed an IPv4 one."""
    ip = _embedded(ip)
    return ip.is_global and not ip.is_multicast and not any(ip in n for n in NEVER if n.version == ip.version)


def _refusal(ip: IPAddress, allow: AllowPrivate) -> str | None:
    """Why ``ip`` may not be reached (see the module docstring), or None."""
    inner = _embedded(ip)
    if any(inner in n for n in NEVER if n.version == inner.version):
        return (
            f"non-public address {ip} (link-local, metadata, multicast or unspecified: never fetched, "
            "whatever the source allows)"
        )
    if _public(inner):
        return None
    if allow is not False and inner.is_loopback:
        return None
    if isinstance(allow, tuple) and any(inner in n for n in allowed_networks(allow) if n.version == inner.version):
        return None
    return f"non-public address {ip}"


def first_refused(addresses: list[str], allow: AllowPrivate = False) -> str | None:
    """Why the first of ``addresses`` that may not be reached is refused (the SSRF guard), or None: the
    client's check, and the one for clients of other libraries that must keep the same rules
    (``briefing.enrich.endpoint``)."""
    if not addresses:
        return "no address"
    for address in addresses:
        try:
            ip = ipaddress.ip_address(address.split("%")[0])
        except ValueError:
            return f"{address}, which is not an address"
        why = _refusal(ip, allow)
        if why is not None:
            return why
    return None


def is_loopback(host: str) -> bool:
    """A loopback host name or address (the demo web, a test server): the client does not pace it unless asked."""
    if host.lower() in ("localhost", "localhost.localdomain"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False

