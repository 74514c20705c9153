"""Socket.IO room names for chat.

Everyone in a chat room is in room_channel; moderators also join mods_channel, which is
where held messages go. member_channel reaches all of one member's sockets (private
`help`, held messages to their sender, session end); MODERATORS_CHANNEL every
moderator's chat sockets (a member asking to talk now).
"""


def room_channel(room_id):
    return f"room:{room_id}"


def mods_channel(room_id):
    return f"room:{room_id}:mods"


def member_channel(member_id):
    return f"member:{member_id}"


MODERATORS_CHANNEL = "moderators"
