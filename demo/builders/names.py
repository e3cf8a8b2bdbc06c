"""The tables demo institutions are made from: countries, their weights, cities and name patterns.

Names are built from templates and real city names only, never from people's names, so the demo
looks European without pretending to be any real institution's record.
"""

from dataclasses import dataclass

from networks.enums import InstitutionType


@dataclass(frozen=True)
class CountrySpec:
    """How many institutions a country contributes, relatively, and where they are."""

    weight: int
    adjective: str
    # (language of the name templates, cities named in that language)
    places: tuple[tuple[str, tuple[str, ...]], ...]


def _places(language: str, cities: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    return ((language, tuple(city.strip() for city in cities.split(","))),)


# Weights follow the 2019 ERN intake (Italy 145, Germany 84, Spain 68 of 620): the top three hold
# about 48 % of the institutions and the tail is long, which is what dashboards must cope with.
COUNTRIES: dict[str, CountrySpec] = {
    "IT": CountrySpec(
        145,
        "Italian",
        _places(
            "it",
            "Milano, Roma, Napoli, Torino, Bologna, Firenze, Genova, Bari, Palermo, Padova, "
            "Verona, Catania, Pisa, Siena, Ancona, Trieste, Cagliari, Perugia, Brescia, Modena, "
            "Pavia, Parma, Udine, Messina",
        ),
    ),
    "DE": CountrySpec(
        84,
        "German",
        _places(
            "de",
            "Berlin, Hamburg, München, Köln, Frankfurt am Main, Stuttgart, Düsseldorf, Leipzig, "
            "Dresden, Heidelberg, Freiburg, Essen, Hannover, Tübingen, Münster, Würzburg, Mainz, "
            "Bonn, Kiel, Regensburg",
        ),
    ),
    "ES": CountrySpec(
        68,
        "Spanish",
        _places(
            "es",
            "Madrid, Barcelona, Valencia, Sevilla, Zaragoza, Málaga, Bilbao, Valladolid, "
            "Salamanca, Granada, Murcia, Santander, Oviedo, Pamplona, Córdoba, Alicante, "
            "Santiago de Compostela, A Coruña",
        ),
    ),
    "FR": CountrySpec(
        50,
        "French",
        _places(
            "fr",
            "Paris, Lyon, Marseille, Toulouse, Bordeaux, Lille, Nantes, Strasbourg, Montpellier, "
            "Rennes, Nancy, Dijon, Grenoble, Rouen, Caen",
        ),
    ),
    "NL": CountrySpec(
        27,
        "Dutch",
        _places(
            "nl",
            "Amsterdam, Rotterdam, Utrecht, Leiden, Groningen, Nijmegen, Maastricht, Eindhoven, "
            "Den Haag, Zwolle",
        ),
    ),
    "BE": CountrySpec(
        24,
        "Belgian",
        _places("fr", "Bruxelles, Liège, Namur, Charleroi, Mons")
        + _places("nl", "Antwerpen, Gent, Leuven, Brugge, Hasselt"),
    ),
    "PL": CountrySpec(
        25,
        "Polish",
        _places(
            "pl",
            "Warszawa, Kraków, Gdańsk, Poznań, Wrocław, Łódź, Lublin, Katowice, Białystok, "
            "Szczecin, Bydgoszcz",
        ),
    ),
    "PT": CountrySpec(
        19, "Portuguese", _places("pt", "Lisboa, Porto, Coimbra, Braga, Faro, Aveiro, Évora, Viseu")
    ),
    "AT": CountrySpec(18, "Austrian", _places("de", "Wien, Graz, Innsbruck, Linz, Salzburg")),
    "SE": CountrySpec(
        16, "Swedish", _places("en", "Stockholm, Göteborg, Uppsala, Lund, Umeå, Linköping")
    ),
    "CZ": CountrySpec(14, "Czech", _places("en", "Praha, Brno, Ostrava, Olomouc, Plzeň")),
    "GR": CountrySpec(
        14, "Greek", _places("en", "Athína, Thessaloníki, Pátra, Irákleio, Ioánnina")
    ),
    "HU": CountrySpec(12, "Hungarian", _places("en", "Budapest, Debrecen, Szeged, Pécs")),
    "DK": CountrySpec(11, "Danish", _places("en", "København, Aarhus, Odense, Aalborg")),
    "FI": CountrySpec(10, "Finnish", _places("en", "Helsinki, Tampere, Turku, Oulu, Kuopio")),
    "IE": CountrySpec(10, "Irish", _places("en", "Dublin, Cork, Galway, Limerick")),
    "RO": CountrySpec(
        11, "Romanian", _places("en", "București, Cluj-Napoca, Iași, Timișoara, Craiova")
    ),
    "NO": CountrySpec(11, "Norwegian", _places("en", "Oslo, Bergen, Trondheim, Tromsø, Stavanger")),
    "UA": CountrySpec(7, "Ukrainian", _places("en", "Kyiv, Lviv, Kharkiv, Odesa, Dnipro")),
    "HR": CountrySpec(6, "Croatian", _places("en", "Zagreb, Split, Rijeka, Osijek")),
    "SI": CountrySpec(5, "Slovenian", _places("en", "Ljubljana, Maribor, Celje")),
    "SK": CountrySpec(5, "Slovak", _places("en", "Bratislava, Košice, Banská Bystrica")),
    "BG": CountrySpec(5, "Bulgarian", _places("en", "Sofia, Plovdiv, Varna")),
    "LT": CountrySpec(5, "Lithuanian", _places("en", "Vilnius, Kaunas, Klaipėda")),
    "LV": CountrySpec(4, "Latvian", _places("en", "Rīga, Daugavpils, Liepāja")),
    "EE": CountrySpec(4, "Estonian", _places("en", "Tallinn, Tartu")),
    "LU": CountrySpec(3, "Luxembourgish", _places("fr", "Luxembourg, Esch-sur-Alzette")),
    "CY": CountrySpec(3, "Cypriot", _places("en", "Nicosia, Limassol, Larnaca")),
    "MT": CountrySpec(2, "Maltese", _places("en", "Valletta, Msida")),
    "IS": CountrySpec(2, "Icelandic", _places("en", "Reykjavík, Akureyri")),
}

# Relative frequency of each institution type among applicants: mostly care providers.
TYPE_WEIGHTS: dict[str, int] = {
    InstitutionType.HOSPITAL: 50,
    InstitutionType.COMPREHENSIVE_CANCER_CENTRE: 12,
    InstitutionType.RESEARCH_INSTITUTE: 14,
    InstitutionType.SCIENTIFIC_SOCIETY: 8,
    InstitutionType.PATIENT_ORGANISATION: 10,
    InstitutionType.AUTHORITY: 6,
}

# Dedications common in hospital names, so "{saint}" patterns read naturally in each language.
SAINTS: dict[str, tuple[str, ...]] = {
    "it": (
        "San Giovanni",
        "Santa Maria",
        "San Carlo",
        "San Luca",
        "Sant'Anna",
        "San Paolo",
        "Santa Chiara",
        "San Martino",
        "San Giuseppe",
        "Santo Spirito",
    ),
    "de": (
        "St. Elisabeth",
        "St. Josef",
        "St. Marien",
        "St. Vinzenz",
        "St. Georg",
        "St. Franziskus",
        "Heilig Geist",
    ),
    "es": (
        "San Juan",
        "Santa Lucía",
        "San Pedro",
        "San Rafael",
        "Nuestra Señora del Carmen",
        "Virgen de la Salud",
    ),
    "fr": ("Saint-Joseph", "Sainte-Marguerite", "Saint-Jacques", "Sainte-Croix", "Saint-Michel"),
    "nl": ("Sint Jozef", "Sint Elisabeth", "Sint Franciscus", "Heilig Hart"),
    "pl": ("Świętej Rodziny", "Świętego Łukasza", "Świętej Anny"),
    "pt": ("Santa Maria", "São João", "Santo António", "São José"),
    "en": ("St Mary's", "St John's", "St Luke's", "St Anne's", "Holy Cross"),
}

HOSPITAL = InstitutionType.HOSPITAL
CANCER_CENTRE = InstitutionType.COMPREHENSIVE_CANCER_CENTRE
RESEARCH = InstitutionType.RESEARCH_INSTITUTE

# Care providers and institutes are named in the country's language.
LOCAL_TEMPLATES: dict[str, dict[str, tuple[str, ...]]] = {
    "it": {
        HOSPITAL: (
            "Azienda Ospedaliera Universitaria di {city}",
            "Ospedale {saint} di {city}",
            "Policlinico Universitario di {city}",
            "Ospedale Civile di {city}",
            "Presidio Ospedaliero {saint} – {city}",
        ),
        CANCER_CENTRE: (
            "Istituto Oncologico di {city}",
            "Centro Oncologico {saint} di {city}",
            "Istituto per la Cura dei Tumori di {city}",
        ),
        RESEARCH: (
            "Istituto di Ricerca Oncologica di {city}",
            "Centro di Genomica Medica di {city}",
            "Istituto di Biomedicina Traslazionale di {city}",
        ),
    },
    "de": {
        HOSPITAL: (
            "Universitätsklinikum {city}",
            "Klinikum {city}",
            "Städtisches Klinikum {city}",
            "Krankenhaus {saint} {city}",
            "Evangelisches Krankenhaus {city}",
        ),
        CANCER_CENTRE: (
            "Tumorzentrum {city}",
            "Onkologisches Zentrum {city}",
            "Krebszentrum {saint} {city}",
        ),
        RESEARCH: (
            "Institut für Molekulare Onkologie {city}",
            "Zentrum für Personalisierte Medizin {city}",
            "Forschungszentrum für Tumorgenomik {city}",
        ),
    },
    "es": {
        HOSPITAL: (
            "Hospital Universitario de {city}",
            "Hospital General de {city}",
            "Hospital {saint} de {city}",
            "Hospital Clínico de {city}",
            "Hospital Provincial de {city}",
        ),
        CANCER_CENTRE: (
            "Instituto Oncológico de {city}",
            "Centro Integral Oncológico de {city}",
            "Centro Oncológico {saint} de {city}",
        ),
        RESEARCH: (
            "Instituto de Investigación Biomédica de {city}",
            "Centro de Genómica y Oncología de {city}",
        ),
    },
    "fr": {
        HOSPITAL: (
            "Centre Hospitalier Universitaire de {city}",
            "Centre Hospitalier de {city}",
            "Hôpital {saint} de {city}",
            "Clinique {saint} de {city}",
        ),
        CANCER_CENTRE: (
            "Centre de Lutte contre le Cancer de {city}",
            "Institut de Cancérologie de {city}",
        ),
        RESEARCH: (
            "Institut de Recherche en Oncologie de {city}",
            "Plateforme de Génomique de {city}",
        ),
    },
    "nl": {
        HOSPITAL: (
            "Universitair Medisch Centrum {city}",
            "Ziekenhuis {city}",
            "{saint} Ziekenhuis {city}",
            "Algemeen Ziekenhuis {city}",
        ),
        CANCER_CENTRE: ("Kankercentrum {city}", "Oncologisch Centrum {city}"),
        RESEARCH: ("Instituut voor Kankeronderzoek {city}", "Centrum voor Genomica {city}"),
    },
    "pl": {
        HOSPITAL: (
            "Uniwersytecki Szpital Kliniczny, {city}",
            "Szpital Wojewódzki, {city}",
            "Szpital {saint}, {city}",
        ),
        CANCER_CENTRE: ("Centrum Onkologii, {city}", "Regionalne Centrum Onkologii, {city}"),
        RESEARCH: ("Instytut Badań Onkologicznych, {city}", "Centrum Medycyny Precyzyjnej, {city}"),
    },
    "pt": {
        HOSPITAL: (
            "Hospital Universitário de {city}",
            "Centro Hospitalar de {city}",
            "Hospital de {saint}, {city}",
        ),
        CANCER_CENTRE: ("Instituto de Oncologia de {city}", "Centro Oncológico de {city}"),
        RESEARCH: ("Instituto de Investigação em Oncologia de {city}",),
    },
    "en": {
        HOSPITAL: (
            "{city} University Hospital",
            "{city} General Hospital",
            "{city} Regional Hospital",
            "{saint} Hospital, {city}",
            "{city} Central Hospital",
        ),
        CANCER_CENTRE: (
            "{city} Comprehensive Cancer Centre",
            "{city} Oncology Centre",
            "{city} Regional Cancer Centre",
        ),
        RESEARCH: (
            "{city} Institute for Cancer Research",
            "{city} Centre for Molecular Medicine",
            "{city} Genomics Institute",
        ),
    },
}

# Societies, patient organisations and authorities use English names, as their European
# correspondence usually does; {adjective} is the country's adjective.
COMMON_TEMPLATES: dict[str, tuple[str, ...]] = {
    InstitutionType.SCIENTIFIC_SOCIETY: (
        "{adjective} Society of {discipline}",
        "{adjective} Association for {discipline}",
        "{city} Society of {discipline}",
    ),
    InstitutionType.PATIENT_ORGANISATION: (
        "{city} Cancer Patients' Association",
        "Association of Cancer Survivors, {city}",
        "{adjective} Young Adults with Cancer Network",
        "Friends of Palliative Care {city}",
        "{adjective} Pancreatic Cancer Patients' Alliance",
        "{adjective} Federation of Cancer Patient Groups",
    ),
    InstitutionType.AUTHORITY: (
        "Regional Health Authority of {city}",
        "{adjective} National Cancer Plan Office",
        "Cancer Registry of {city}",
        "Public Health Agency, {city}",
    ),
}

DISCIPLINES = (
    "Medical Oncology",
    "Radiation Oncology",
    "Palliative Medicine",
    "Psycho-Oncology",
    "Human Genetics",
    "Paediatric and Adolescent Oncology",
    "Surgical Oncology",
    "Cancer Nursing",
    "Molecular Pathology",
    "Nuclear Medicine",
)

# Units inside hospitals: a department can apply in its own name.
UNIT_NAMES = (
    "Department of Medical Oncology",
    "Palliative Care Unit",
    "Molecular Diagnostics Laboratory",
    "Adolescent and Young Adult Oncology Unit",
    "Department of Radiation Oncology",
    "Survivorship Clinic",
)
