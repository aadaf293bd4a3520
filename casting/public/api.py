"""Public JSON endpoints live with their features (e.g. /verify in documents)."""
from casting.core.api import api_blueprint

bp = api_blueprint("public_api", __name__)
