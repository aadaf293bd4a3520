"""Open call pages (to be built)."""
from flask import Blueprint

bp = Blueprint("calls", __name__)


@bp.get("/calls/<int:call_id>")
def public_call(call_id: int):
    return "call"
