"""backstride: information and self-management support for runners with lower back pain."""

__version__ = "0.1.0"

INTENDED_PURPOSE = (
    "backstride gives information and self-management support to adults (16 and over) "
    "whose lower back hurts in connection with running. It does not diagnose, it does not "
    "replace a clinician, and it describes medicines only in general terms. If you are "
    "worried, or anything here tells you to seek care, contact a doctor or physiotherapist."
)

__all__ = ["INTENDED_PURPOSE", "__version__"]
