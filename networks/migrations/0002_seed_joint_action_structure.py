"""Seed the Joint Action's public structure: WP1-WP11, the seven networks and the task forces.

Leads are those named on the Joint Action's public pages; where none was published, none is set.
"""

from django.db import migrations

LEAD_INSTITUTIONS = {
    "INT": (
        "Fondazione IRCCS Istituto Nazionale dei Tumori",
        "IT",
        "comprehensive_cancer_centre",
        "Milan",
    ),
    "MSCI": (
        "Maria Sklodowska-Curie National Research Institute of Oncology",
        "PL",
        "comprehensive_cancer_centre",
        "Warsaw",
    ),
    "OUS": ("Oslo University Hospital", "NO", "hospital", "Oslo"),
    "Sciensano": ("Sciensano", "BE", "research_institute", "Brussels"),
    "UNICANCER": ("UNICANCER", "FR", "research_institute", "Paris"),
    "INCa": ("Institut national du cancer", "FR", "authority", "Boulogne-Billancourt"),
}

# number, title, kind, lead, co-lead
WORK_PACKAGES = [
    (1, "Coordination", "management", "INT", None),
    (2, "Dissemination", "management", None, None),
    (3, "Evaluation", "management", None, None),
    (4, "Sustainability", "transversal", None, None),
    (5, "Complex and poor-prognosis cancers", "network", "MSCI", None),
    (6, "Palliative care", "network", "OUS", "INT"),
    (7, "Survivorship", "network", "MSCI", None),
    (8, "Personalised primary and secondary prevention", "network", None, None),
    (9, "Omics technologies", "network", "Sciensano", None),
    (10, "Hi-tech medical resources", "network", "UNICANCER", "INCa"),
    (11, "Adolescents and young adults with cancer", "network", "UNICANCER", None),
]

# work package number, name, short name, slug, scope
NETWORKS = [
    (
        5,
        "Network of Expertise on complex and poor-prognosis cancers",
        "Poor-prognosis cancers",
        "complex-poor-prognosis-cancers",
        "Complex cancers and cancers with a poor prognosis: a mortality above 20 per 100,000 a "
        "year, or a relative survival of at most 40 % at one year or at most 30 % at three to "
        "five years. Pilot: pancreatic cancer.",
    ),
    (
        6,
        "Network of Expertise on palliative care",
        "Palliative care",
        "palliative-care",
        "Palliative and supportive care for people with cancer, integrated early in the care "
        "pathway and across care settings.",
    ),
    (
        7,
        "Network of Expertise on survivorship",
        "Survivorship",
        "survivorship",
        "The long-term health, quality of life, rehabilitation and social reintegration of cancer "
        "survivors.",
    ),
    (
        8,
        "Network of Expertise on personalised prevention",
        "Personalised prevention",
        "personalised-prevention",
        "Personalised primary and secondary prevention: risk-based screening and prevention "
        "strategies using individual risk profiles.",
    ),
    (
        9,
        "Network of Expertise on omics technologies",
        "Omics",
        "omics",
        "Genomics and other omics technologies for cancer care: activity, infrastructure, "
        "workflow and collaboration, assessed on three maturity levels.",
    ),
    (
        10,
        "Network of Expertise on hi-tech medical resources",
        "Hi-tech medical resources",
        "hi-tech-medical-resources",
        "Access to advanced radiotherapy, imaging and other high-technology resources for cancer "
        "patients across Europe, assessed on three maturity levels.",
    ),
    (
        11,
        "Network of Expertise on adolescents and young adults with cancer",
        "Adolescents and young adults",
        "adolescents-young-adults",
        "Care, research and support for adolescents and young adults with cancer, aged 15 to 39.",
    ),
]

TASK_FORCES = [
    "Integration between EU networking and Member States",
    "Integration of IT infrastructures, including artificial intelligence",
    "Integration between health care and research",
    "The European Reference Network model",
    "Patient involvement",
]


def seed(apps, schema_editor):
    Institution = apps.get_model("networks", "Institution")
    WorkPackage = apps.get_model("networks", "WorkPackage")
    Network = apps.get_model("networks", "Network")
    TaskForce = apps.get_model("networks", "TaskForce")

    institutions = {}
    for acronym, (name, country, kind, city) in LEAD_INSTITUTIONS.items():
        institutions[acronym], _created = Institution.objects.get_or_create(
            name=name,
            country=country,
            defaults={"acronym": acronym, "type": kind, "city": city},
        )

    work_packages = {}
    for number, title, kind, lead, co_lead in WORK_PACKAGES:
        work_packages[number], _created = WorkPackage.objects.update_or_create(
            number=number,
            defaults={
                "title": title,
                "kind": kind,
                "lead_institution": institutions.get(lead),
                "co_lead_institution": institutions.get(co_lead),
            },
        )

    for number, name, short_name, slug, scope in NETWORKS:
        Network.objects.update_or_create(
            slug=slug,
            defaults={
                "work_package": work_packages[number],
                "name": name,
                "short_name": short_name,
                "scope": scope,
            },
        )

    for position, title in enumerate(TASK_FORCES, start=1):
        TaskForce.objects.update_or_create(title=title, defaults={"position": position})


class Migration(migrations.Migration):
    dependencies = [("networks", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
