"""Charts: one definition (Altair, from plain evaluated data) for the web pages (SVG) and the report (PNG)."""
