#!/usr/bin/env python3
"""Self-test of the flow-space arithmetic the meaning checker rests on: equal meaning gives
equal canonical forms whatever the rule shapes, and a one-port or one-address difference
does not. Prints 'flowspace: N checks passed' or raises."""

from flowspace import Box, canonical, difference, witness

V4 = ((0, 2**32 - 1),)
checks = 0


def same(a, b):
    global checks
    checks += 1
    assert canonical(a) == canonical(b), (a, b)


def differ(a, b, sample):
    global checks
    checks += 1
    ca, cb = canonical(a), canonical(b)
    assert ca != cb
    assert witness(difference(ca, cb) or difference(cb, ca)) == sample, witness(difference(ca, cb) or difference(cb, ca))


def allow(src, ports, proto="tcp"):
    return Box("allow", 4, proto, src, ((100, 100),), ports)


def deny(src, ports, proto="tcp"):
    return Box("deny", 4, proto, src, ((100, 100),), ports)


# Split and merged shapes of one region are equal (adjacent ports, adjacent sources).
same([allow(((1, 10),), ((80, 80),)), allow(((1, 10),), ((81, 90),))], [allow(((1, 10),), ((80, 90),))])
same([allow(((1, 5),), ((80, 80),)), allow(((6, 10),), ((80, 80),))], [allow(((1, 10),), ((80, 80),))])
# Overlap is harmless; order of allows does not matter.
same([allow(((1, 10),), ((80, 90),)), allow(((5, 20),), ((85, 95),))],
     [allow(((5, 20),), ((85, 95),)), allow(((1, 10),), ((80, 90),))])
# First match: a deny before an allow removes its part; after it, it is shadowed.
same([deny(((1, 5),), ((80, 80),)), allow(((1, 10),), ((80, 80),))], [allow(((6, 10),), ((80, 80),))])
same([allow(((1, 10),), ((80, 80),)), deny(((1, 5),), ((80, 80),))], [allow(((1, 10),), ((80, 80),))])
# Port 0 is no port; protocols and families are kept apart.
same([allow(((1, 10),), ((0, 65535),))], [allow(((1, 10),), ((1, 65535),))])
differ([allow(((1, 10),), ((80, 80),))], [allow(((1, 10),), ((80, 80),), "udp")],
       "IPv4 tcp 0.0.0.1-0.0.0.10 -> 0.0.0.100-0.0.0.100 port 80-80")
# One port or one address more is a difference, and the witness names it.
differ([allow(((1, 10),), ((80, 80),))], [allow(((1, 10),), ((80, 81),))],
       "IPv4 tcp 0.0.0.1-0.0.0.10 -> 0.0.0.100-0.0.0.100 port 81-81")
differ([allow(((1, 10),), ((80, 80),))], [allow(((1, 11),), ((80, 80),))],
       "IPv4 tcp 0.0.0.11-0.0.0.11 -> 0.0.0.100-0.0.0.100 port 80-80")
# Nothing allowed equals no rules at all.
same([deny(V4, ((1, 65535),))], [])
print(f"flowspace: {checks} checks passed")
