"""What the accounts feature tells the features above it."""
from __future__ import annotations

from casting.core.signals import signals

user_created = signals.signal("user-created", doc="""An account was created (sender: the User), flushed,
in the creating transaction. The talent feature attaches a talent account's profile.""")
