"""How Socket.IO's WebSocket connections are set up: without per-message compression.

simple-websocket (under python-engineio) accepts permessage-deflate whenever a client
offers it, and browsers always do. Then every frame to every socket is compressed on its
own (each connection keeps its own deflate window): a room's message to 200 members is
deflated 200 times, which took more of the server's time than anything else in a
broadcast (bench/chat.py: 27% of the samples at N=200, py-spy), and each connection holds
a zlib state of its own. Chat frames are small (a message is a few hundred bytes), so
compression saves little on the wire. The Node socket.io server turns it off by default
for the same reasons; simple-websocket has no setting for it, so the offer is taken out
of the upgrade request before it reaches the handshake."""


class WithoutCompression:
    """WSGI middleware: a WebSocket upgrade request reaches the app without its
    Sec-WebSocket-Extensions offer, so the handshake agrees to no extension."""

    def __init__(self, wsgi_app):
        self.wsgi_app = wsgi_app

    def __call__(self, environ, start_response):
        environ.pop("HTTP_SEC_WEBSOCKET_EXTENSIONS", None)
        return self.wsgi_app(environ, start_response)
