"""Builders of demo data, one module per kind of record; `demo.seed` puts them together."""
