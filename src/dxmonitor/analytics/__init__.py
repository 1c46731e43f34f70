"""Dossier-level public-service indicators: Ibis expressions over the records, on DuckDB or Spark."""
