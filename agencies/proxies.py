"""The address a request comes from, behind the reverse proxies the deployment trusts (OCMS_TRUSTED_PROXIES).

X-Forwarded-For is read only when the request arrives from a trusted proxy, and then from its right end: each
trusted proxy appends the address it received the request from, so the first address from the right that is not
a trusted proxy is the client's. Anything a client writes into the header itself sits further left and is never
taken.
"""

import ipaddress
from functools import cache

from django.conf import settings
from django.http import HttpRequest

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@cache
def trusted_networks(proxies: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(proxy, strict=False) for proxy in proxies)


def parsed(address: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """An address as a proxy writes it: bare, or with a port ("198.51.100.7:443", "[2001:db8::1]:443")."""
    address = address.strip()
    if address.startswith("["):
        address = address[1:].split("]", 1)[0]
    elif address.count(":") == 1:
        address = address.split(":", 1)[0]
    try:
        return ipaddress.ip_address(address)
    except ValueError:
        return None


def client_address(request: HttpRequest) -> str | None:
    """The client's IP address, as the trusted proxies saw it; None when the connection's own is not valid.

    A malformed entry stops the walk at the proxy that passed it on: its address is the best one known.
    """
    remote = parsed(request.META.get("REMOTE_ADDR", ""))
    networks = trusted_networks(tuple(settings.OCMS_TRUSTED_PROXIES))
    if remote is None:
        return None

    def trusted(address) -> bool:
        return any(address in network for network in networks)

    address = remote
    if trusted(remote):
        for hop in reversed(request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")):
            hop_address = parsed(hop)
            if hop_address is None:
                break  # a malformed entry: nothing left of it can be believed
            address = hop_address
            if not trusted(hop_address):
                break
    return str(address)
