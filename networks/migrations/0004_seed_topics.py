"""Seed the controlled vocabulary of cancer types and themes used to match reviewers."""

from django.db import migrations
from django.utils.text import slugify

CANCER_TYPES = [
    "Pancreatic cancer", "Lung cancer", "Oesophageal cancer", "Gastric cancer", "Liver cancer",
    "Biliary tract cancer", "Colorectal cancer", "Breast cancer", "Prostate cancer",
    "Ovarian cancer", "Cervical cancer", "Endometrial cancer", "Bladder cancer", "Kidney cancer",
    "Brain and central nervous system tumours", "Head and neck cancer", "Thyroid cancer",
    "Melanoma and skin cancer", "Sarcoma", "Leukaemia", "Lymphoma", "Myeloma",
    "Paediatric cancers", "Rare cancers", "Cancers of unknown primary",
]  # fmt: skip
THEMES = [
    "Palliative care", "Pain management", "Survivorship and rehabilitation",
    "Psycho-oncology", "Adolescents and young adults", "Fertility preservation",
    "Primary prevention", "Screening and early detection", "Genomics", "Molecular pathology",
    "Bioinformatics", "Radiotherapy", "Proton and particle therapy", "Medical imaging",
    "Nuclear medicine", "Surgical oncology", "Clinical trials", "Health services research",
    "Patient involvement", "Digital health and artificial intelligence",
]  # fmt: skip


def seed(apps, schema_editor):
    Topic = apps.get_model("networks", "Topic")
    for kind, names in [("cancer_type", CANCER_TYPES), ("theme", THEMES)]:
        for name in names:
            Topic.objects.update_or_create(slug=slugify(name), defaults={"name": name, "kind": kind})


class Migration(migrations.Migration):
    dependencies = [("networks", "0003_topic")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
