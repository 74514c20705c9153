"""A member's recovery space: daily check-ins (checkins), small goals with steps (goals),
days since a chosen date (milestones), and the pages for them (views).

Private to the member, as the safety plan is: no address shows anyone else's, it is all
in their export and leaves with their account. A check-in's note is screened like every
other word written here; when it suggests danger, trained moderators read it through the
flag it raises (reviewable) and the member sees the help panel.

`views` sits on its own floor above the features, because sharing a goal or a milestone
to the Wins board makes a thread through forum.boards (.importlinter)."""
