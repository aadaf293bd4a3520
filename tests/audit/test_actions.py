"""Every action the code records is declared in casting/audit/actions.py (the audit page's filter list)."""
from __future__ import annotations

import ast
from pathlib import Path

import casting
from casting.audit import actions

ROOT = Path(casting.__file__).parent


def _action_expressions():
    """(where, expression) for each action the code passes to the audit log: the first argument of
    ``<x>.record(...)``, ``audit_action=`` of a DomainError, ``action=`` of ``request_refused.send``."""
    for path in sorted(ROOT.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if not isinstance(node, ast.Call):
                continue
            where = f"{path.relative_to(ROOT.parent)}:{node.lineno}"
            func = node.func
            if isinstance(func, ast.Attribute) and func.attr == "record" and node.args:
                yield where, node.args[0]
            for keyword in node.keywords:
                if keyword.arg == "audit_action":
                    yield where, keyword.value
                if (keyword.arg == "action" and isinstance(func, ast.Attribute) and func.attr == "send"
                        and ast.unparse(func.value) == "request_refused"):
                    yield where, keyword.value


def _literals(expression):
    """The action strings an expression can produce: plain literals, and f-strings' static prefixes."""
    for node in ast.walk(expression):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and node not in _fstring_parts(expression):
            yield "literal", node.value
        elif isinstance(node, ast.JoinedStr):
            prefix = node.values[0].value if isinstance(node.values[0], ast.Constant) else ""
            yield "prefix", prefix


def _fstring_parts(expression) -> set:
    return {part for node in ast.walk(expression) if isinstance(node, ast.JoinedStr) for part in node.values}


def test_every_recorded_action_is_declared():
    found, undeclared = 0, []
    for where, expression in _action_expressions():
        for kind, text in _literals(expression):
            found += 1
            if kind == "literal" and not actions.is_declared(text):
                undeclared.append(f"{where}: {text!r}")
            # An f-string ("invitation.{to}") must start with a declared subject's "<subject>." and each of its
            # expansions be declared by hand; the prefix at least must exist.
            if kind == "prefix" and not (text.endswith(".") and any(
                    a.startswith(text) for a in actions.ACTIONS | {f + "." for f in actions.FAMILIES})):
                undeclared.append(f"{where}: f-string starting {text!r}")
    assert found > 70, "the scan found too few audit actions: is it still looking at the right calls?"
    assert undeclared == [], "declare these in casting/audit/actions.py:\n" + "\n".join(undeclared)


def test_the_declared_names_are_well_formed_and_the_filter_offers_subjects():
    assert all(a.count(".") == 1 and a == a.lower() and " " not in a for a in actions.ACTIONS)
    choices = actions.filter_choices()
    assert choices == sorted(choices)
    assert {"session", "session.scheduled", "blocked", "invitation.confirmed"} <= set(choices)
    assert actions.is_declared("blocked.four_eyes") and not actions.is_declared("nothing.here")
