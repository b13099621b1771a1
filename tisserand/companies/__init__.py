"""Companies: the SIRET-keyed company record (legal unit, establishments, contacts), the
relationship journal, needs, HR clubs, the GPEC toolkit and the leader portal.
"""
