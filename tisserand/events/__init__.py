"""Events: workshops, information sessions, HR club meetings, job datings and forums; sessions,
registrations, waiting list, attendance.
"""
