"""Referrals: the directory of the partners' services (data·inclusion schema) and the referrals of
a person to a service.
"""
