"""Social clauses: buyers, operations, contracts and lots, hours owed and realised, participants'
eligibility, declarations, reports.
"""
