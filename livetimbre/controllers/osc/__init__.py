"""OSC: the address space (routes) and the UDP server."""
