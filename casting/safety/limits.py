"""One rate-limit budget per client address for reporting a concern, shared by the form and the API."""
from __future__ import annotations

from flask import current_app

from casting.extensions import limiter


def report_limit():
    """Reports of a concern per address (RATELIMIT_REPORT): a flood of reports is refused with 429."""
    return limiter.shared_limit(lambda: current_app.config["RATELIMIT_REPORT"], scope="report", methods=["POST"])
