"""Conference systems on 127.0.0.1, speaking the documented protocols over real sockets.

`unit` is the control unit itself, pure: seats, live microphones, the request list and the
mode, each change returned as the list of what changed. `cocon`, `dicentis` and `shure` put
it behind each vendor's protocol, with the protocol's quirks (long-poll time-outs and id
expiry, fire-once events, silent no-op answers), and with fault switches for the tests.
"""
