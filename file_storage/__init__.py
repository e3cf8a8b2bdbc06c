"""Where stored files live: the local disk or a private S3-compatible bucket (the backend that
streams from it), and the operator's commands that make the bucket and move files into it.
Knows no domain app: it finds every FileField through the app registry."""
