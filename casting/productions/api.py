"""JSON API for productions (to be built)."""
from casting.core.api import api_blueprint

bp = api_blueprint("productions_api", __name__)
