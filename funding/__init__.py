"""Cement and fund allocations, use and disbursement (issue 6)."""
