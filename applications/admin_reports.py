"""Admin pages about a whole call: ranking and composition, exports (being built)."""


def report_urls(model_admin) -> list:
    return []
