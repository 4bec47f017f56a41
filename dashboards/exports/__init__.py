"""Workbooks of the dashboards app (one module per workbook)."""
