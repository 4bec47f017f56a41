"""What every app of the portal shares and no app owns: text normalisation and folding,
reading and writing numbers and dates, workbook styling, downloads, form fields, the
number and date template filters, request middleware and the health check.

``core`` imports no other package of the project; every app may import it.
"""
