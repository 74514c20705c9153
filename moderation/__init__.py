"""Lantern moderation: crisis screening, flags, routing."""
