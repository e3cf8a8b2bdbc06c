import pytest

from calls.services import call_eligibility
from networks.enums import CountryGroup, InstitutionType
from tests.factories import CallFactory, InstitutionFactory

pytestmark = pytest.mark.django_db


def test_eligibility_admits_everyone_when_the_call_restricts_nothing():
    call = CallFactory()
    result = call_eligibility(
        call=call, institution=InstitutionFactory(country="US", type=InstitutionType.AUTHORITY)
    )
    assert result.is_eligible
    assert result.reasons == []


def test_eligibility_explains_an_institution_type_the_call_does_not_admit():
    call = CallFactory(
        admitted_institution_types=[InstitutionType.HOSPITAL, InstitutionType.RESEARCH_INSTITUTE]
    )
    result = call_eligibility(
        call=call, institution=InstitutionFactory(type=InstitutionType.PATIENT_ORGANISATION)
    )
    assert not result
    assert result.reasons == [
        "Institution type “Patient organisation” is not admitted by this call."
    ]


def test_eligibility_explains_a_country_outside_the_admitted_groups():
    call = CallFactory(admitted_country_groups=[CountryGroup.EU, CountryGroup.EEA])
    result = call_eligibility(call=call, institution=InstitutionFactory(country="CH"))
    assert result.reasons == [
        "Institutions from Switzerland (Other country) are not admitted by this call."
    ]
    assert call_eligibility(call=call, institution=InstitutionFactory(country="NO")).is_eligible


def test_eligibility_admits_a_named_country_beside_the_groups():
    call = CallFactory(admitted_country_groups=[CountryGroup.EU], admitted_countries=["UA"])
    assert call_eligibility(call=call, institution=InstitutionFactory(country="UA")).is_eligible
    assert call_eligibility(call=call, institution=InstitutionFactory(country="IT")).is_eligible
    assert not call_eligibility(call=call, institution=InstitutionFactory(country="MD"))


def test_eligibility_gives_every_reason_at_once():
    call = CallFactory(
        admitted_country_groups=[CountryGroup.EU],
        admitted_institution_types=[InstitutionType.COMPREHENSIVE_CANCER_CENTRE],
    )
    result = call_eligibility(
        call=call,
        institution=InstitutionFactory(country="GB", type=InstitutionType.SCIENTIFIC_SOCIETY),
    )
    assert len(result.reasons) == 2
    assert "United Kingdom" in result.reasons[0]
    assert "Scientific society" in result.reasons[1]
