"""The talent feature reacts to accounts: a new talent account gets its talent profile."""
from __future__ import annotations

from casting.accounts.signals import email_verified, user_created
from casting.talent import services


@user_created.connect
@email_verified.connect
def give_talent_a_profile(user, **_) -> None:
    """A talent account whose address is proven gets the unclaimed profile with that email, or a new one.

    An unverified account is attached to nothing: owning the address is what links it to a profile a
    casting office made (with invitations, letters and offers in it)."""
    if user.is_talent and user.email_verified and user.talent_profile is None:
        services.attach_or_create_profile(user)
