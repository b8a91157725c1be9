"""The client's IP address, for login lockout (django-axes) and API throttles.

``X-Forwarded-For`` is believed only as far as it was written by a proxy this installation trusts
(``CORROBORATE_TRUSTED_PROXIES``: addresses or networks). Without the setting the address is the
TCP peer's: behind a proxy every client would then share the proxy's address, and with a header
believed from anyone a client could choose the address it is counted under.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence
from typing import Any

from django.conf import settings

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def trusted_networks_parse(values: Sequence[str]) -> list[Network]:
    """Networks from ``10.0.0.0/8``-style strings (a bare address is one host); ValueError names a bad one."""
    networks: list[Network] = []
    for value in values:
        try:
            networks.append(ipaddress.ip_network(value.strip(), strict=False))
        except ValueError as error:
            raise ValueError(f"{value!r} is not an IP address or network") from error
    return networks


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


def client_address(remote_addr: str, forwarded_for: str | None, trusted: Sequence[Network]) -> str:
    """The nearest address, walking back from the TCP peer through ``X-Forwarded-For`` (each proxy
    appends the address it received from), that is not a trusted proxy.

    A hop that is not an IP address ends the walk at the last trusted one: it was written by the
    client, or a proxy is misconfigured, and either way nothing before it can be believed.
    """

    def is_trusted(text: str) -> bool:
        address = _address(text)
        return address is not None and any(address in network for network in trusted)

    if not forwarded_for or not is_trusted(remote_addr):
        return remote_addr
    current = remote_addr
    for hop in reversed([part.strip() for part in forwarded_for.split(",") if part.strip()]):
        if _address(hop) is None:
            return current
        current = hop
        if not is_trusted(hop):
            return hop
    return current


def client_ip(request: Any) -> str:
    """``client_address`` of a Django request, with the trusted proxies of the settings."""
    meta = request.META
    return client_address(
        str(meta.get("REMOTE_ADDR", "")), meta.get("HTTP_X_FORWARDED_FOR"), settings.TRUSTED_PROXY_NETWORKS
    )
