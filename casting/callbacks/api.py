"""JSON API for callbacks (to be built)."""
from casting.core.api import api_blueprint

bp = api_blueprint("callbacks_api", __name__)
