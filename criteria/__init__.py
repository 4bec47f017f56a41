"""Criteria sets, indicators, reporting periods, assessments and recognitions (issue 3)."""
