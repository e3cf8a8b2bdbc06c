"""Where stored files live (everything a FileField keeps: documents, data exports): the local
disk under MEDIA_ROOT, the embedded default, or a private S3-compatible bucket once
AWS_STORAGE_BUCKET_NAME is set (docs/uploads-and-exports.md). Read after `base`, whose STORAGES
it completes."""

from jane_portal.settings.base import STORAGES, env

# Empty: the local disk (one machine only). Set: every web and worker node reads and writes the
# same bucket, which must exist (`manage.py ensure_bucket` makes it).
AWS_STORAGE_BUCKET_NAME = env("AWS_STORAGE_BUCKET_NAME", default="")
# Empty: Amazon S3 itself. SeaweedFS, MinIO, Ceph and the like: their address, e.g.
# http://127.0.0.1:8333 (scripts/seaweedfs).
AWS_S3_ENDPOINT_URL = env("AWS_S3_ENDPOINT_URL", default="")
AWS_ACCESS_KEY_ID = env("AWS_ACCESS_KEY_ID", default="")
AWS_SECRET_ACCESS_KEY = env("AWS_SECRET_ACCESS_KEY", default="")
AWS_S3_REGION_NAME = env("AWS_S3_REGION_NAME", default="us-east-1")
# "path" (endpoint/bucket/key) is what SeaweedFS and most self-hosted servers answer; "virtual"
# (bucket.endpoint/key) is Amazon's preferred form; "auto" lets boto3 choose.
AWS_S3_ADDRESSING_STYLE = env(
    "AWS_S3_ADDRESSING_STYLE", default="path" if AWS_S3_ENDPOINT_URL else "auto"
)

if AWS_STORAGE_BUCKET_NAME:
    STORAGES = {
        **STORAGES,
        "default": {
            # Private by construction: it refuses an ACL, unsigned URLs and overwrites, and
            # streams downloads instead of reading whole objects (file_storage/backends.py).
            "BACKEND": "file_storage.backends.PrivateS3Storage",
            "OPTIONS": {
                "bucket_name": AWS_STORAGE_BUCKET_NAME,
                "endpoint_url": AWS_S3_ENDPOINT_URL or None,
                "access_key": AWS_ACCESS_KEY_ID or None,
                "secret_key": AWS_SECRET_ACCESS_KEY or None,
                "region_name": AWS_S3_REGION_NAME,
                "addressing_style": AWS_S3_ADDRESSING_STYLE,
            },
        },
    }
