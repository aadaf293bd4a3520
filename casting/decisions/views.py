"""Decisions pages (to be built)."""
from flask import Blueprint

bp = Blueprint("decisions", __name__)
