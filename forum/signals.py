"""Events one part of the forum announces and others act on, so that the features need not
import each other (DESIGN.md §2: arrows point down). Receivers connect when their package is
registered; a sender does not know who listens.
"""
from blinker import Namespace

_signals = Namespace()

# After the commit that ended a member's sessions (logout, account deletion, passphrase
# recovery): whatever still reaches them live must stop, on every server process.
# Sent with the app as sender and member_id=...
sessions_ended = _signals.signal("sessions-ended")

# A member asked to talk to a moderator as they joined (the guest help page's one step):
# chat opens their private support room in the sender's transaction and returns its
# address, where the sender takes them. Sent with the app as sender and member=...
support_wanted = _signals.signal("support-wanted")

# A member's export is being written: each receiver returns a dict of what its part of the
# forum holds of theirs (a feature above accounts, such as peer mentoring), merged into the
# export. Sent with the app as sender and member=...
exporting = _signals.signal("exporting")

# An account is being closed: each receiver removes or ends, in the closing transaction,
# what its part of the forum holds of the member. Sent with the app as sender and member=...
closing_account = _signals.signal("closing-account")

# A mentoring pair ended, in the sender's transaction (either side's choice, a closing
# account): chat tells the room, and takes out of it, on every server process, the sockets
# of whoever may no longer enter (the mentor), once that transaction commits. Chat may not
# import the mentoring feature. Sent with the app as sender and room_id=...
mentoring_ended = _signals.signal("mentoring-ended")
