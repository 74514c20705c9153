"""Peer mentoring (issue 15): trained peers matched one-to-one with members who ask."""
