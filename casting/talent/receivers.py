"""The talent feature reacts to accounts: a new talent account gets its talent profile."""
from __future__ import annotations

from casting.accounts.signals import user_created
from casting.talent import services


@user_created.connect
def give_talent_a_profile(user, **_) -> None:
    """Attach the unclaimed profile with the account's email, or create one."""
    if user.is_talent:
        services.attach_or_create_profile(user)
