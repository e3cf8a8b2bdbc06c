from tests.applications.conftest import applicant, call, draft, institution  # noqa: F401
from tests.applications.information_requests import submitted  # noqa: F401
