"""The notification centre: who is told what, and what they see of it."""
