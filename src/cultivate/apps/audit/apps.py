from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "cultivate.apps.audit"
    label = "audit"
    verbose_name = "Audit trail"
