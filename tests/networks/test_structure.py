import pytest

from networks.enums import WorkPackageKind
from networks.models import Network, TaskForce, WorkPackage

pytestmark = pytest.mark.django_db


def test_seeded_structure_has_the_seven_networks_as_work_packages_5_to_11():
    networks = Network.objects.select_related("work_package").order_by("work_package__number")
    assert [network.work_package.number for network in networks] == list(range(5, 12))
    assert all(n.work_package.kind == WorkPackageKind.NETWORK for n in networks)
    assert {n.short_name for n in networks} == {
        "Poor-prognosis cancers",
        "Palliative care",
        "Survivorship",
        "Personalised prevention",
        "Omics",
        "Hi-tech medical resources",
        "Adolescents and young adults",
    }


def test_seeded_structure_names_the_public_leads():
    leads = {
        wp.number: (
            wp.lead_institution and wp.lead_institution.acronym,
            wp.co_lead_institution and wp.co_lead_institution.acronym,
        )
        for wp in WorkPackage.objects.select_related("lead_institution", "co_lead_institution")
    }
    assert leads[1] == ("INT", None)
    assert leads[5] == ("MSCI", None)
    assert leads[6] == ("OUS", "INT")
    assert leads[8] == (None, None)  # not published
    assert leads[9] == ("Sciensano", None)
    assert leads[10] == ("UNICANCER", "INCa")
    assert leads[11] == ("UNICANCER", None)


def test_seeded_structure_has_management_and_transversal_work_packages_and_task_forces():
    kinds = dict(WorkPackage.objects.filter(number__lte=4).values_list("number", "kind"))
    assert kinds == {
        1: WorkPackageKind.MANAGEMENT,
        2: WorkPackageKind.MANAGEMENT,
        3: WorkPackageKind.MANAGEMENT,
        4: WorkPackageKind.TRANSVERSAL,
    }
    assert TaskForce.objects.count() == 5
    assert TaskForce.objects.filter(title__icontains="patient involvement").exists()
