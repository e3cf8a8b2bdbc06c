# The applicant side's fixtures: an open call with every answer type, and a draft to it.
from tests.applications.conftest import applicant, call, draft, institution  # noqa: F401
from tests.applications.information_requests import submitted  # noqa: F401
