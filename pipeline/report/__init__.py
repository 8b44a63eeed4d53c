"""What analysts read off the warehouse: the scorecard report, the status summary, exports.

Reads the published warehouse only (tables and views, through an open read-only connection) and
knows nothing of PDFs, parsing or Dagster: it works on any warehouse file, however it was loaded.
"""
