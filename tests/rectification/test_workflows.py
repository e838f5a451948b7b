"""The rectification tables are whole: every named move and action runs a service that
exists, writes audit actions that have Chinese names, and the pages' capability names are
unique across the tables (one `caps` dict serves the subject's page)."""

import inspect

from django.utils.module_loading import import_string

from core.audit import audit_action_known
from rectification.workflows import WORKFLOWS


def _steps():
    return [(w, s) for w in WORKFLOWS for s in (*w.moves, *w.actions) if s.name]


def test_every_named_step_runs_a_service_that_takes_the_actor():
    for _, step in _steps():
        if step.name == "read_letter":  # a right to read, no service
            continue
        service = import_string(step.service)
        assert "actor" in inspect.signature(service).parameters, step.name


def test_every_step_writes_audit_actions_with_chinese_names():
    for workflow, step in _steps():
        codes = (f"{workflow.action}.{step.target}",) if hasattr(step, "target") else step.audit
        assert all(audit_action_known(str(code)) for code in codes), step.name


def test_capability_names_are_unique_across_the_tables():
    names = {}
    for workflow, step in _steps():
        assert names.setdefault(step.name, workflow) is workflow, step.name
    flags = [f for w in WORKFLOWS for f in w.flags] + [
        w.edit_name for w in WORKFLOWS if w.edit_name
    ]
    assert len(flags) == len(set(flags)) and not set(flags) & set(names)
