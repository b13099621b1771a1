"""Opportunities: job offers (own and imported), search, alerts, hiring potential, skills-based
matching and introductions.
"""
