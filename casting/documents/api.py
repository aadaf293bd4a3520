"""JSON API for documents (to be built)."""
from casting.core.api import api_blueprint

bp = api_blueprint("documents_api", __name__)
