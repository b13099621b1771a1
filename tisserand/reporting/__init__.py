"""Reporting: objectives, indicators, the equal-opportunity view, ESF+ indicators, dashboards and
the territory's observatory.
"""
