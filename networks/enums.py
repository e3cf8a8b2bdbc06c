from django.db import models
from django.utils.translation import gettext_lazy as _


class WorkPackageKind(models.TextChoices):
    MANAGEMENT = "management", _("Management")
    TRANSVERSAL = "transversal", _("Transversal")
    NETWORK = "network", _("Network of Expertise")


class InstitutionType(models.TextChoices):
    HOSPITAL = "hospital", _("Hospital")
    COMPREHENSIVE_CANCER_CENTRE = "comprehensive_cancer_centre", _("Comprehensive cancer centre")
    RESEARCH_INSTITUTE = "research_institute", _("Research institute")
    SCIENTIFIC_SOCIETY = "scientific_society", _("Scientific society")
    PATIENT_ORGANISATION = "patient_organisation", _("Patient organisation")
    AUTHORITY = "authority", _("Authority")


class CountryGroup(models.TextChoices):
    EU = "eu", _("EU Member State")
    EEA = "eea", _("EEA country")
    ASSOCIATED = "associated", _("Associated country")
    OTHER = "other", _("Other country")


class MembershipTier(models.TextChoices):
    FULL_MEMBER = "full_member", _("Full member")
    AFFILIATED_PARTNER = "affiliated_partner", _("Affiliated partner")
    SUPPORTING_MEMBER = "supporting_member", _("Supporting member")


class CertificationBody(models.TextChoices):
    OECI = "oeci", _("OECI (Organisation of European Cancer Institutes)")
    DKH = "dkh", _("Deutsche Krebshilfe")
    EU_CCC = "eu_ccc", _("EU comprehensive cancer centre scheme")
    ISO = "iso", _("ISO")
    OTHER = "other", _("Other")
