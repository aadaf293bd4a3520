"""Examples and hints fit the installation's country (issue 11 item 6): no US union scale or US state law on a UK
installation's forms, and the US ones where the country is the US."""
from __future__ import annotations

import pytest

from casting.extensions import db
from tests.conftest import login
from tests.decisions.factories import make_casting


@pytest.mark.parametrize("country, shown, hidden", [
    ("GB", ["£650 a day", "Equity", "child performance licence"], ["SAG-AFTRA", "California", "$"]),
    ("US", ["SAG-AFTRA scale", "California and New York"], ["£", "Equity/PACT"]),
    ("FR", ["a day rate"], ["SAG-AFTRA", "£", "California"]),
])
def test_the_propose_and_role_forms_give_examples_of_the_country(app, client, country, shown, hidden):
    app.config["CASTING_COUNTRY"] = country
    world = make_casting()
    db.session.commit()
    login(client, world.cd)
    propose = client.get(f"/roles/{world.role.id}/propose").get_data(as_text=True)
    new_role = client.get(f"/productions/{world.production.id}/roles/new").get_data(as_text=True)
    for text in shown:
        assert text in propose + new_role, text
    for text in hidden:
        assert text not in _hints(propose) + _hints(new_role), text


def _hints(html: str) -> str:
    """The forms' help texts (class="help"), where the examples are."""
    import re

    return " ".join(re.findall(r'class="help"[^>]*>(.*?)</', html, flags=re.S))
