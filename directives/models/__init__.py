"""Directives (văn bản chỉ đạo), their tasks (nhiệm vụ), the agencies assigned to them
(cơ quan chủ trì / phối hợp), progress reports, extensions, and the reminder ledger.

One module per topic: :mod:`directives.models.directives` (the documents and their
files), :mod:`directives.models.assignments` (tasks, assignments, deadline changes,
progress reports, extension requests), :mod:`directives.models.reminders` (the policy,
the ledger, the digests, the runs of the job). Every model is imported here, so that
Django finds them and ``from directives.models import Assignment`` keeps working; the
upload paths and the validator are too, because the migrations name them here.

The shape follows notice 58/TB-UBND of 06/07/2020 (Thái Nguyên): a numbered document of
a kind (thông báo kết luận, chỉ thị, quyết định, công văn, kế hoạch) with numbered
sections, each giving tasks to agencies, some with a deadline ("báo cáo UBND tỉnh trước
ngày 17/7/2020"), most standing.

Rules kept in the database: one assignment per (task, agency); a deadline change is a
row of :class:`DeadlineChange`; at most one open extension request per assignment;
percent 0-100; one reminder ledger row per (item, step, channel, recipient) and one
digest per (recipient, day). The status of an assignment is never stored: it is derived
from its dates when read (:mod:`directives.status`).
"""

from directives.models.assignments import (
    Assignment,
    AssignmentQuerySet,
    AssignmentRole,
    DeadlineChange,
    ExtensionRequest,
    ExtensionStatus,
    ProgressReport,
    Recurrence,
    Task,
    progress_path,
)
from directives.models.directives import Directive, DirectiveAttachment, DirectiveKind, attachment_path
from directives.models.drafts import DirectiveDraft
from directives.models.reminders import (
    Channel,
    DeliveryState,
    ReminderDigest,
    ReminderLedger,
    ReminderPolicy,
    ReminderRun,
    validate_day_list,
)

__all__ = [
    "Assignment",
    "AssignmentQuerySet",
    "AssignmentRole",
    "Channel",
    "DeadlineChange",
    "DeliveryState",
    "Directive",
    "DirectiveAttachment",
    "DirectiveKind",
    "ExtensionRequest",
    "ExtensionStatus",
    "ProgressReport",
    "Recurrence",
    "DirectiveDraft",
    "ReminderDigest",
    "ReminderLedger",
    "ReminderPolicy",
    "ReminderRun",
    "Task",
    "attachment_path",
    "progress_path",
    "validate_day_list",
]
