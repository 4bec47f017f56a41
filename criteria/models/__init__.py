"""Criteria sets, reporting periods, commune assessments, recognitions and Excel reports.

One module per topic: :mod:`~criteria.models.catalogue` (criteria sets, criteria,
indicators, commune groups), :mod:`~criteria.models.groups` (each commune's group per
period), :mod:`~criteria.models.periods` (reporting periods),
:mod:`~criteria.models.assessments` (assessments, their values, results and comments),
:mod:`~criteria.models.recognitions`, :mod:`~criteria.models.reports` (Excel report
uploads) and :mod:`~criteria.models.exports` (exports built in the background). Every
model and choices class is imported here, so Django finds the models and
``from criteria.models import X`` works for all of them.

A criteria set (bộ tiêu chí) is versioned data loaded from fixtures (QĐ 1980/QĐ-TTg for
2016-2020, QĐ 318/QĐ-TTg for 2021-2025, QĐ 51/2025/QĐ-TTg for 2026-2030) or copied into a
provincial variant; never code. An assessment (đánh giá) is one commune's values for one
period under one set; what is met is derived by :mod:`criteria.evaluation` and stored by
the services on every change. The workflow is :mod:`criteria.workflow`.
"""

from criteria.models.assessments import (
    Assessment,
    AssessmentComment,
    AssessmentStatus,
    CriterionResult,
    IndicatorValue,
    Outcome,
)
from criteria.models.catalogue import (
    CommuneGroup,
    Comparison,
    CriteriaSet,
    CriteriaSetLevel,
    CriteriaSetManager,
    Criterion,
    Indicator,
    IndicatorGroupTarget,
    MeasureType,
    Verification,
)
from criteria.models.exports import ExportJob, ExportKind, ExportState
from criteria.models.groups import CommuneGroupAssignment
from criteria.models.periods import PeriodKind, ReportingPeriod
from criteria.models.recognitions import ProgrammeTarget, Recognition, RecognitionLevel
from criteria.models.reports import ReportUpload, UploadStatus

__all__ = [
    "Assessment",
    "AssessmentComment",
    "AssessmentStatus",
    "CommuneGroup",
    "CommuneGroupAssignment",
    "Comparison",
    "CriteriaSet",
    "CriteriaSetLevel",
    "CriteriaSetManager",
    "Criterion",
    "CriterionResult",
    "ExportJob",
    "ExportKind",
    "ExportState",
    "Indicator",
    "IndicatorGroupTarget",
    "IndicatorValue",
    "MeasureType",
    "Outcome",
    "PeriodKind",
    "ProgrammeTarget",
    "Recognition",
    "RecognitionLevel",
    "ReportUpload",
    "ReportingPeriod",
    "UploadStatus",
    "Verification",
]
