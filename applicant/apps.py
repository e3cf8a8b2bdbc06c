from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApplicantConfig(AppConfig):
    """The applicant's pages: their applications, each section, documents, submission,
    information requested, and asking for a review of a decision.

    Above the workflow layer, which its pages call; the domain apps below know nothing of it.
    """

    name = "applicant"
    verbose_name = _("Applicant's pages")
