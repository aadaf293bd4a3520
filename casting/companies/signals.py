"""What the companies feature asks of the features above it."""
from __future__ import annotations

from casting.core.signals import signals

company_viewers = signals.signal("company-viewers", doc="""May ``user`` (kwarg) see this company (sender)
although not one of its members? The productions feature answers True for members of a production
made under it.""")
