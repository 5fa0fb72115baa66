"""Texts the app must say in the same words wherever it says them."""

CARE_NOTICE = (
    "RunCompanion supports your wellbeing; it does not replace professional mental-health care. "
    "If you are struggling, please talk to your doctor or a mental-health professional. "
    "If you are in crisis, contact your local emergency number."
)

PRIVACY_NOTICE = (
    "Everything you enter stays on this computer, in your data folder. "
    "RunCompanion has no account and never connects to the internet."
)
