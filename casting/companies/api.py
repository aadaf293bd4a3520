"""JSON API for companies (to be built)."""
from casting.core.api import api_blueprint

bp = api_blueprint("companies_api", __name__)
