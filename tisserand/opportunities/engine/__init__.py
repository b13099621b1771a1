"""The matching engine between persons and job offers: pure Python, no Django.

``scoring`` scores one (person, offer) pair on explained criteria; ``ranking`` ranks many
offers for one person or many persons for one offer.
"""
