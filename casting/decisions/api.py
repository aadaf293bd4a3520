"""JSON API for decisions (to be built)."""
from casting.core.api import api_blueprint

bp = api_blueprint("decisions_api", __name__)
