"""Renderers: markdown, HTML, PDF, ICS calendar, FHIR bundle, plots."""
