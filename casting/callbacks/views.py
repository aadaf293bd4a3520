"""Callbacks pages (to be built)."""
from flask import Blueprint

bp = Blueprint("callbacks", __name__)
