"""Who works at the demo organisation: names, sites, and what each practice's people do and know.

Hand-written lists, so the demo reads like a real company of about 300 people in ten cities.
"""

from __future__ import annotations

from dataclasses import dataclass

# fmt: off
FIRST_NAMES: tuple[str, ...] = (
    "Aisha", "Akira", "Alejandro", "Amara", "Ana", "Anders", "Anika", "Arjun", "Aylin", "Beatriz",
    "Bongani", "Camila", "Chen", "Chiara", "Chidi", "Dana", "Daniel", "Deepa", "Diego", "Dmitri",
    "Elena", "Emeka", "Emma", "Fatima", "Felipe", "Freya", "Gabriel", "Grace", "Hana", "Hassan",
    "Inês", "Ingrid", "Isabel", "Ivan", "Jakob", "Jamal", "Javier", "Jin", "João", "Julia", "Kai",
    "Kamala", "Karin", "Kenji", "Khalid", "Kofi", "Lars", "Layla", "Leila", "Liam", "Lina",
    "Lucas", "Mai", "Malik", "Marco", "María", "Mariam", "Mateo", "Mei", "Mia", "Mohammed",
    "Nadia", "Naledi", "Nikhil", "Nils", "Noah", "Nour", "Olga", "Omar", "Pablo", "Paulo",
    "Pedro", "Priya", "Rahul", "Rania", "Ravi", "Rosa", "Ruth", "Sana", "Santiago", "Sara",
    "Sebastian", "Sipho", "Sofia", "Sunil", "Tariq", "Tendai", "Thandiwe", "Tomás", "Tuan",
    "Valentina", "Vikram", "Wei", "Yara", "Yusuf", "Zainab", "Zofia", "Zoë",
)

LAST_NAMES: tuple[str, ...] = (
    "Adeyemi", "Ahmed", "Álvarez", "Andersson", "Baker", "Banda", "Bauer", "Bianchi",
    "Chatterjee", "Chen", "Cohen", "Costa", "da Silva", "Dubois", "Eriksen", "Fernandes",
    "Fischer", "García", "González", "Gupta", "Haddad", "Hansen", "Herrera", "Hoang", "Hosseini",
    "Ibrahim", "Ito", "Iyer", "Jansen", "Johansson", "Kaur", "Kelly", "Khan", "Kim", "Kowalski",
    "Kumar", "Larsen", "Le", "Lindqvist", "López", "Mahlangu", "Martin", "Mensah", "Mokoena",
    "Moreau", "Müller", "Murphy", "Nakamura", "Navarro", "Ndlovu", "Nguyen", "Nielsen", "Novak",
    "Nowak", "O'Brien", "Okafor", "Okonkwo", "Oliveira", "Osei", "Owusu", "Park", "Patel",
    "Pereira", "Petrov", "Popescu", "Quispe", "Rahman", "Ramírez", "Rao", "Reddy", "Reyes",
    "Rossi", "Sato", "Schmidt", "Shah", "Silva", "Singh", "Sokolova", "Suzuki", "Tanaka",
    "Torres", "Tran", "van Dijk", "Varga", "Vásquez", "Wang", "Watanabe", "Weber", "Williams",
    "Wong", "Yamamoto", "Yılmaz", "Zhang", "Zulu",  # noqa: RUF001
)
# fmt: on

SITES: tuple[tuple[str, str], ...] = (
    ("Rotterdam", "Rotterdam, Netherlands"),
    ("Pune", "Pune, India"),
    ("Monterrey", "Monterrey, Mexico"),
    ("Gdańsk", "Gdańsk, Poland"),
    ("Houston", "Houston, United States"),
    ("Aberdeen", "Aberdeen, United Kingdom"),
    ("Johannesburg", "Johannesburg, South Africa"),
    ("São Paulo", "São Paulo, Brazil"),
    ("Kuala Lumpur", "Kuala Lumpur, Malaysia"),
    ("Nagoya", "Nagoya, Japan"),
)
"""(short name used in text, full location on the profile)."""


@dataclass(frozen=True, slots=True)
class Practice:
    """A practice people work in: the department they sit in, their titles and expertise."""

    key: str
    department: str
    titles: tuple[str, ...]
    expertise: tuple[str, ...]
    share: float
    """Share of the organisation whose main practice this is."""
    field: str
    """How a bio names the field ("rotating equipment reliability")."""


PRACTICES: dict[str, Practice] = {
    p.key: p
    for p in (
        Practice(
            "mechanical",
            "Maintenance",
            (
                "Reliability Engineer",
                "Maintenance Planner",
                "Mechanical Technician",
                "Rotating Equipment Specialist",
                "Maintenance Supervisor",
                "Mechanical Engineer",
            ),
            (
                "Pumps",
                "Bearings",
                "Vibration analysis",
                "Laser alignment",
                "Mechanical seals",
                "Lubrication",
                "Bolted joints",
                "Gearboxes",
            ),
            0.17,
            "rotating equipment and maintenance",
        ),
        Practice(
            "electrical",
            "Electrical & Instrumentation",
            (
                "Electrical Engineer",
                "Instrument Technician",
                "E&I Supervisor",
                "Automation Engineer",
                "Electrical Technician",
            ),
            (
                "Variable speed drives",
                "Motor testing",
                "Calibration",
                "PLC programming",
                "Arc flash studies",
                "Thermography",
                "Cable sizing",
                "Hazardous areas",
            ),
            0.15,
            "electrical and instrumentation work",
        ),
        Practice(
            "it",
            "IT Services",
            (
                "Service Desk Analyst",
                "Systems Administrator",
                "IT Business Partner",
                "Network Engineer",
                "Workplace Technology Lead",
            ),
            (
                "Microsoft 365",
                "Networking",
                "Endpoint management",
                "Cyber security",
                "SharePoint",
                "Service desk",
            ),
            0.09,
            "workplace IT",
        ),
        Practice(
            "safety",
            "Health, Safety & Environment",
            (
                "HSE Advisor",
                "Safety Engineer",
                "Process Safety Lead",
                "Site HSE Manager",
                "Occupational Hygienist",
            ),
            (
                "Incident investigation",
                "Lockout/tagout",
                "Permit to work",
                "Confined space",
                "Working at height",
                "Human factors",
                "Risk assessment",
            ),
            0.10,
            "health and safety",
        ),
        Practice(
            "data",
            "Digital & Analytics",
            (
                "Data Analyst",
                "Data Engineer",
                "Analytics Lead",
                "Process Data Scientist",
                "BI Developer",
            ),
            (
                "Power BI",
                "SQL",
                "Python",
                "Forecasting",
                "Data quality",
                "Historian data",
                "Statistics",
            ),
            0.12,
            "operations data and analytics",
        ),
        Practice(
            "quality",
            "Quality",
            (
                "Quality Engineer",
                "Supplier Quality Engineer",
                "Quality Inspector",
                "Metrology Technician",
                "Quality Manager",
            ),
            (
                "SPC",
                "Gauge R&R",
                "FMEA",
                "8D problem solving",
                "Auditing",
                "Supplier quality",
                "Metrology",
            ),
            0.14,
            "quality engineering",
        ),
        Practice(
            "supply",
            "Supply Chain",
            (
                "Inventory Planner",
                "Buyer",
                "Warehouse Supervisor",
                "Supply Chain Analyst",
                "Materials Coordinator",
            ),
            (
                "Inventory planning",
                "Spare parts",
                "Procurement",
                "Warehousing",
                "Logistics",
                "Vendor management",
            ),
            0.12,
            "supply chain and inventory",
        ),
        Practice(
            "lean",
            "Operational Excellence",
            (
                "Continuous Improvement Lead",
                "Lean Coach",
                "Operational Excellence Manager",
                "Production Engineer",
            ),
            ("Kaizen", "5S", "Value stream mapping", "SMED", "A3 problem solving", "Standard work"),
            0.11,
            "continuous improvement",
        ),
    )
}

BIO_TEMPLATES: tuple[str, ...] = (
    "{title} in {city}. {years} years in {field}. Ask me about {skill_a} or {skill_b}.",
    "I look after {field} at our {city} site. Happy to help with {skill_a} and {skill_b}.",
    "{years} years in {field}, the last few in {city}. Currently deep in {skill_a}.",
    "Based in {city}. I joined as an apprentice and never left {field}. {skill_a} is my thing.",
    "{title}. Before {city} I worked offshore for a while. Interested in {skill_a}.",
)
