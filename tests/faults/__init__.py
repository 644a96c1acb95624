"""Faults: Redis down, a worker killed, a double submit, a database error in a save."""
