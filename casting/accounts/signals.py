"""What the accounts feature tells the features above it."""
from __future__ import annotations

from casting.core.signals import signals

user_created = signals.signal("user-created", doc="""An account was created (sender: the User), flushed,
in the creating transaction. The talent feature attaches a verified talent account's profile.""")

email_verified = signals.signal("email-verified", doc="""An account's email was proven (sender: the User), in
the verifying transaction. The talent feature attaches the unclaimed profile with that email.""")
