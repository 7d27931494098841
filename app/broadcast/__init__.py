"""Broadcast outputs: what a webcast's graphics and show-control tools are sent.

Sans I/O at the core: plate.py (what the plate says, from the screens' own messages),
amcp.py (CasparCG's commands and replies), osc.py (OSC messages), outputs.py (what to send on
a change); drivers.py does the sockets; simulators.py stands in for CasparCG and an OSC tool.
"""
