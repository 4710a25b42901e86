from django.apps import AppConfig


class OperationsConfig(AppConfig):
    name = "cultivate.apps.operations"
    label = "operations"
    verbose_name = "Operations: the job queue's workers and scheduler, probes, metrics, backups"
