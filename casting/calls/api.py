"""JSON API for calls (to be built)."""
from casting.core.api import api_blueprint

bp = api_blueprint("calls_api", __name__)
