"""Imports of offers: France Travail's « Offres d'emploi v2 » JSON (files or the API) and
partners' CSV/XLSX files, both turned into the same drafts and synchronised by ``sync``."""
