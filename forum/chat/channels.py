"""Socket.IO room names for chat.

Everyone in a chat room is in room_channel; member_channel reaches all of one member's
sockets (private `help`, held messages to their sender, a support room's messages to its
member, session end). What only trained moderators may hear (held words, a support
room's conversation, a member asking to talk now) has no standing channel: it is sent to
the sockets or members chosen from the tables when it goes out (moderation.access), so a
moderator whose training lapses stops hearing it at once.
"""


def room_channel(room_id):
    return f"room:{room_id}"


def member_channel(member_id):
    return f"member:{member_id}"

