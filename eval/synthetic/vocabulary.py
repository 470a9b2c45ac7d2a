"""The words synthetic factsheets are made of: the ECCP template's standardised vocabulary (the
bold categories of Table 1, as in the Morocco factsheet and its Annex) and the parts that
fictional countries, sectors and ministries are named from.

The template's categories are public (``OBJECTIVES``, ``FOCUS``, ...): tests and comparison
questions refer to them. The name parts and word lists below them are only drawn from
(``draw``, ``drawer``, ``draw_narratives``).
"""

from __future__ import annotations

SYNTHETIC_MARKER = "Synthetic factsheet: fictional country generated for testing; not real data."
EDITION_YEARS = (2022, 2023, 2023, 2023, 2024)

# --- the template's standardised vocabulary -----------------------------------------------------

OBJECTIVES = (
    "Increasing competitiveness and boosting scale up of SMEs",
    "Supporting internationalisation activities",
    "Fostering R&D activities, technology development and implementation",
    "Fostering innovation and strengthening innovation ecosystems",
    "Promoting resilience and sustainable economy and other solidarity-based initiatives",
    "Promoting employment and upgrading skills and competences",
    "Promoting entrepreneurship, start-ups and spin-offs",
    "Supporting the green transition",
    "Supporting the digital transition",
    "Strengthening cluster management excellence",
    "Fostering cross-sectoral and cross-regional collaboration",
)
FOCUS = ("Sectoral focus", "Cross-sectoral focus", "Regional focus", "Technological focus")
AUTHORITY_ROLES = (
    "In charge of drafting",
    "In charge of implementation",
    "Oversees the implementation",
)
BENEFICIARIES = (
    "SMEs",
    "Research organisations",
    "Academic institutions",
    "Start-ups",
    "Business associations",
    "Technology centres",
    "Large firms",
    "Cluster organisations",
    "Public authorities",
    "General population",
)
FINANCIAL = (
    "Funding collaboration initiatives",
    "Financing networking events",
    "Funding cluster management organisations",
    "Innovation vouchers",
    "Co-financing of joint R&D projects",
    "Grants for internationalisation activities",
)
TECHNICAL = (
    "Infrastructure: coworking spaces, offices, incubation and accelerator spaces, research "
    "centres, technology parks etc.",
    "Support for hard skill development: knowledge transfer, intellectual property, "
    "entrepreneurship, export advice, market intelligence",
    "Support for soft skills development: coaching, management training, upskilling/reskilling",
    "Support for networking and partnership building (at national and/or international level)",
    "Training for cluster managers",
)
ALIGNMENT = ("Green transition", "Digitalisation", "Resilience", "Social inclusion")
UNAVAILABLE = "Data unavailable"

# --- what the texts name: countries (from syllables), sectors, ministries ------------------------

NAME_ONSETS = (
    "Nor Vel Tal Lin Dor Kes Sil Ven Quor Zan Bel Ril Tam Fen Gar Hol Ister Jun Kor Lun Mir "
    "Nev Pel Rav Sor Tir Var Wen Yor Zel Bran Cal Drav Elm Fal Grav Hest Ith Kal Mor Ost Prel "
    "Sav Trel Ulv Vask Wyr Xan"
).split()
NAME_MIDDLES = ("", "", "a", "e", "i", "o", "an", "en", "or", "ar", "il", "es")
NAME_ENDINGS = ("ia", "ora", "ania", "enia", "avia", "ara", "esia", "onia", "ista", "eria", "una")

SECTORS = (
    "agri-food",
    "automotive",
    "textiles",
    "renewable energy",
    "ICT",
    "aerospace",
    "life sciences",
    "logistics",
    "tourism",
    "advanced materials",
)
MINISTRIES = (
    "Ministry of Economy and Innovation",
    "Ministry of Industry and Trade",
    "Ministry of Enterprise",
    "Ministry of Research and Technology",
    "Ministry of Regional Development",
)
NUMBER_WORDS = {3: "three", 4: "four", 5: "five", 6: "six", 7: "seven", 8: "eight", 9: "nine"}
