"""Filters and blocks: a member hides topics, muted words and members they'd rather not
see. `lens` is the read-time rule every page uses, `topics` the reviewable word lists,
`settings` the member's choices, `views` their settings page."""
