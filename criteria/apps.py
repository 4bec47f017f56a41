from django.apps import AppConfig
from django.core import checks
from django.utils.translation import gettext_lazy as _


class CriteriaConfig(AppConfig):
    name = "criteria"
    verbose_name = _("Criteria and assessments")

    def ready(self):
        from communes.signals import unit_page_sections
        from criteria.views.assessments import unit_assessments_section
        from criteria.views.lineage import unit_lineage_section

        checks.register(defusedxml_check)
        unit_page_sections.connect(unit_assessments_section, dispatch_uid="criteria.unit_assessments_section")
        unit_page_sections.connect(unit_lineage_section, dispatch_uid="criteria.unit_lineage_section")


def defusedxml_check(app_configs=None, **kwargs) -> list[checks.Error]:
    """Uploaded workbooks are parsed by openpyxl, which guards against XML entity attacks
    only when defusedxml is importable: without it the portal must not start (every
    manage.py command and the server run the system checks first)."""
    from criteria.spreadsheet import ensure_defusedxml

    try:
        ensure_defusedxml()
    except RuntimeError as error:
        return [checks.Error(str(error), hint="pip install defusedxml", id="criteria.E001")]
    return []
