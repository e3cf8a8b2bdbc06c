"""Health, metrics, structured logs and error reporting: how an operator sees the portal run.

It reads the outbox and the storage and knows no domain app; no domain app imports it.
"""
