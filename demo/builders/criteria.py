"""Demo criteria sets: the omics and hi-tech maturity grid, and an ERN-style set of criteria."""

from decimal import Decimal

from calls.enums import AnswerType
from calls.models import CriteriaSection, CriteriaSet, Criterion

MATURITY_GRID_NAME = "Omics and hi-tech maturity grid (demo)"
ERN_STYLE_NAME = "ERN-style membership criteria (demo)"

TEXT = AnswerType.TEXT
NUMBER = AnswerType.NUMBER
YES_NO = AnswerType.YES_NO
CHOICE = AnswerType.CHOICE
MATURITY = AnswerType.MATURITY
FILE = AnswerType.FILE

# How each answer type is scored by default: (weight, lowest score, highest score). Maturity
# answers are scored on the level itself; files are checked, not scored.
SCALES = {
    TEXT: (Decimal("1.00"), 0, 5),
    NUMBER: (Decimal("0.50"), 0, 5),
    YES_NO: (Decimal("0.50"), 0, 1),
    CHOICE: (Decimal("1.00"), 0, 3),
    MATURITY: (Decimal("2.00"), 1, 3),
    FILE: (Decimal("0.00"), 0, 1),
}

MATURITY_GUIDANCE = (
    "L1: some resources are in place. L2: intermediate, with established services and volumes. "
    "L3: a mature leader that others refer to."
)

# Supporting evidence an applicant may leave out.
OPTIONAL = {"Curricula vitae of the representative and deputy", "List of equipment"}

# Section title, description, then criteria: (title, answer type, options).
# Options: a word limit for text answers, a list of choices for choice answers.
MATURITY_GRID = [
    (
        "Type and volume of activity",
        "What the centre does, and how much of it, over the last three years.",
        [
            (
                "Range of omics or high-technology services offered to cancer patients",
                MATURITY,
                None,
            ),
            ("Tests or procedures performed for cancer patients last year", NUMBER, None),
            ("Patients referred from other regions or countries", MATURITY, None),
            ("Describe the type and volume of your activity", TEXT, 300),
        ],
    ),
    (
        "Infrastructure, resources and capability",
        "Equipment, platforms, people and data infrastructure available to the service.",
        [
            ("Equipment and technology platforms", MATURITY, None),
            ("Qualified staff and their training", MATURITY, None),
            ("Data infrastructure and bioinformatics or physics support", MATURITY, None),
            ("Describe your infrastructure and its planned development", TEXT, 400),
        ],
    ),
    (
        "Workflow, accessibility and collaboration",
        "How requests flow, how patients reach the service, and whom the centre works with.",
        [
            ("Turnaround time and quality assurance", MATURITY, None),
            ("Access for patients and samples from other centres", MATURITY, None),
            ("Collaboration in national and European networks", MATURITY, None),
            ("Describe your collaborations and what you would bring to the network", TEXT, 300),
        ],
    ),
]

ERN_STYLE = [
    (
        "General criteria: patient-centred care",
        "How patients are informed, involved and empowered in their care.",
        [
            ("Patient empowerment and shared decision-making", TEXT, 300),
            ("Patient organisations are involved in designing care pathways", YES_NO, None),
            ("Patient information in the patients' own languages", MATURITY, None),
        ],
    ),
    (
        "General criteria: organisation, management and business continuity",
        "The organisation of the applying centre and the commitment of its management.",
        [
            ("Organisation chart of the applying centre", FILE, None),
            ("A business continuity plan covers the service", YES_NO, None),
            ("Describe how the management supports participation in the network", TEXT, 250),
        ],
    ),
    (
        "General criteria: research, education and training",
        "Research output, teaching and training offered to professionals of other centres.",
        [
            ("Peer-reviewed publications in the field over the last five years", NUMBER, None),
            ("Education and training programmes open to other centres", TEXT, 250),
        ],
    ),
    (
        "General criteria: information systems and e-health",
        "Records, data exchange and remote consultation.",
        [
            (
                "Interoperability of the electronic health record",
                CHOICE,
                ["Fully interoperable", "Partly interoperable", "Not interoperable"],
            ),
            ("Teleconsultation and virtual tumour boards", MATURITY, None),
        ],
    ),
    (
        "General criteria: quality and safety",
        "Quality management, certification and patient safety.",
        [
            (
                "Quality certification held",
                CHOICE,
                [
                    "OECI accreditation",
                    "Deutsche Krebshilfe certification",
                    "EU comprehensive cancer centre scheme",
                    "ISO 9001",
                    "None",
                ],
            ),
            ("Patient safety policy", FILE, None),
        ],
    ),
    (
        "Network-specific criteria: competence and outcomes",
        "Volume and outcomes in the network's field; a call can set a volume threshold.",
        [
            ("New patients a year in the network's field", NUMBER, None),
            ("Outcome indicators monitored and their latest values", TEXT, 400),
            ("Multidisciplinary expertise", MATURITY, None),
        ],
    ),
    (
        "Network-specific criteria: human resources",
        "The team that will take part in the network.",
        [
            ("Full-time equivalent specialists in the field", NUMBER, None),
            ("Curricula vitae of the representative and deputy", FILE, None),
        ],
    ),
    (
        "Network-specific criteria: patient-care organisation",
        "Care pathways, tumour boards and referral across borders.",
        [
            ("A multidisciplinary tumour board meets at least weekly", YES_NO, None),
            ("Describe the care pathway, from referral to follow-up", TEXT, 300),
        ],
    ),
    (
        "Network-specific criteria: facilities and equipment",
        "What the centre has on site or by agreement.",
        [
            ("Access to the facilities and equipment the field needs", MATURITY, None),
            ("List of equipment", FILE, None),
        ],
    ),
]


def criteria_sets_create() -> dict[str, CriteriaSet]:
    """Create the two demo criteria sets; return them by name."""
    return {
        MATURITY_GRID_NAME: _criteria_set_create(
            name=MATURITY_GRID_NAME,
            description=(
                "The grid shared by the omics and hi-tech networks: three headings, each "
                "criterion rated on three maturity levels. " + MATURITY_GUIDANCE
            ),
            sections=MATURITY_GRID,
        ),
        ERN_STYLE_NAME: _criteria_set_create(
            name=ERN_STYLE_NAME,
            description=(
                "Modelled on the ERN membership criteria: general criteria on the provider, then "
                "criteria specific to the network's field."
            ),
            sections=ERN_STYLE,
        ),
    }


def _criteria_set_create(*, name: str, description: str, sections: list) -> CriteriaSet:
    criteria_set = CriteriaSet.objects.create(name=name, description=description)
    criteria = []
    for section_position, (title, section_description, questions) in enumerate(sections, 1):
        section = CriteriaSection.objects.create(
            criteria_set=criteria_set,
            title=title,
            description=section_description,
            position=section_position,
        )
        for position, (question, answer_type, option) in enumerate(questions, 1):
            weight, score_min, score_max = SCALES[answer_type]
            criterion = Criterion(
                section=section,
                code=f"{chr(64 + section_position)}.{position}",
                title=question,
                guidance=MATURITY_GUIDANCE if answer_type == MATURITY else "",
                answer_type=answer_type,
                required=question not in OPTIONAL,
                word_limit=option if answer_type == TEXT else None,
                choices=option if answer_type == CHOICE else [],
                weight=weight,
                score_min=score_min,
                score_max=score_max,
                position=position,
            )
            # The model's own checks (choices, word limits, score scale) catch a bad table here.
            criterion.full_clean()
            criteria.append(criterion)
    Criterion.objects.bulk_create(criteria)
    return criteria_set
