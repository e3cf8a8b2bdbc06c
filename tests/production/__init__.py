"""The production topology's system test (issue 14): `scripts/production` on free ports."""
