from django.apps import AppConfig


class WorkbenchConfig(AppConfig):
    """Pages across stages: my work, the office overview, briefings, the public page, the
    reminder sweep and the demo loader. The top layer: it may import every app."""

    name = "workbench"
    verbose_name = "工作台与情况简报"
