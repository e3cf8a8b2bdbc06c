"""The fault suite (issue 10): the portal on private PostgreSQL, Redis, SMTP, gunicorn and Celery
processes, each fault staged with real processes and measured from the outside. `make chaos`;
see README.md, "Fault suite"."""
