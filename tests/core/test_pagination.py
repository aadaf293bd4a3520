"""The one paginator: page arguments, pages of a select, the extra row that tells a next page."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from casting.audit import services as audit
from casting.audit.models import AuditEntry
from casting.core.errors import ValidationError
from casting.core.pagination import MAX_PER_PAGE, page_args, paginate
from casting.extensions import db


def test_page_args_read_and_refuse():
    assert page_args({}) == (1, 50)
    assert page_args({"page": "3", "per_page": "10"}) == (3, 10)
    assert page_args({"page": "2"}, per_page=100) == (2, 100)
    with pytest.raises(ValidationError) as exc:
        page_args({"page": "0", "per_page": str(MAX_PER_PAGE + 1)})
    assert set(exc.value.fields) == {"page", "per_page"}
    with pytest.raises(ValidationError):
        page_args({"page": "x"})
    assert page_args({"page": "x"}, per_page=20, lenient=True) == (1, 20)


def test_paginate_pages_through_a_select(app):
    for i in range(7):
        audit.record(f"test.page{i}")
    db.session.flush()
    query = sa.select(AuditEntry).order_by(AuditEntry.id)
    first = paginate(query, 1, 3, count=True)
    assert [e.action for e in first.items] == ["test.page0", "test.page1", "test.page2"]
    assert first.has_next and not first.has_prev and first.total == 7
    last = paginate(query, 3, 3)
    assert [e.action for e in last.items] == ["test.page6"] and not last.has_next and last.has_prev
    assert last.total is None
    assert paginate(query, 9, 3).items == []
