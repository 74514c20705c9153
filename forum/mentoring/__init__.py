"""Peer mentoring: trained peers matched one-to-one with members who ask."""
