"""Writes of the directives app about the documents: the parser's proposal for a pasted
text, create a directive with its tasks and assignments (from the coordinator's
confirmed proposal, or straight from a text), attach a file.

Every function that writes is keyword-only, takes the acting ``user`` and owns its
transaction; it checks what that user may do itself (``directives.add_directive`` to
create, ``directives.change_directive`` to attach: else :class:`PermissionDenied`, a
403), validates its input (a ``ValidationError`` keyed by the field, in the user's
language) and writes the history (django-simple-history, with the acting user). The
writes on assignments (progress, done, extensions) are in
:mod:`directives.services.assignments`, the reminder job in
:mod:`directives.services.reminders`.
"""

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from accounts.models import Agency, AgencyKind, AgencySuccession
from accounts.roles import require_permission
from core.formatting import date_text
from core.text import clean, nfc
from directives.metadata import parse_metadata
from directives.models import (
    Assignment,
    AssignmentRole,
    Directive,
    DirectiveAttachment,
    DirectiveKind,
    Recurrence,
    Task,
)
from directives.parsing import AgencyRef, ParsedTask, parse_directive
from directives.recurrence import next_due

TEXT_MAX = 20000
BODY_MAX = 200000


@dataclass(frozen=True)
class TaskInput:
    """One task as the coordinator confirmed it. ``lead_ids`` and ``cooperating_ids``
    are agency ids; ``parent_index`` points at an earlier task of the same list (a "+"
    sub-bullet's "-" bullet); ``deadline`` None means a standing task."""

    text: str
    section_number: str = ""
    section_heading: str = ""
    deadline: datetime.date | None = None
    deadline_phrase: str = ""
    recurrence: str = ""
    # Day of each period's last month the report is due (None: its last day); see
    # :mod:`directives.recurrence`.
    recurrence_day: int | None = None
    lead_ids: tuple[int, ...] = ()
    cooperating_ids: tuple[int, ...] = ()
    parent_index: int | None = None
    criterion_id: int | None = None
    unit_ids: tuple[int, ...] = ()
    # Notes of the parser for the coordinator (an impossible date...); never saved.
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class DirectiveInput:
    """The directive's own fields (see :class:`~directives.models.Directive`)."""

    number: str
    kind: str
    issuer: str
    issued_on: datetime.date
    title: str
    body: str = ""
    signer: str = ""
    recipient_ids: tuple[int, ...] = ()
    tasks: tuple[TaskInput, ...] = field(default=())


def assignable_agencies() -> dict[int, Agency]:
    """The agencies that take new work (active, not merged into another), by id: a text
    entered today is assigned to today's agencies."""
    return {agency.pk: agency for agency in Agency.objects.assignable().order_by("pk")}


def agency_refs(agencies: Mapping[int, Agency] | None = None) -> list[AgencyRef]:
    """``agencies`` (default: :func:`assignable_agencies`) as the parser's
    :class:`AgencyRef`, and the names of the agencies merged into them (2025: "Sở Giao
    thông vận tải" is Sở Xây dựng's, "Sở Kế hoạch và Đầu tư" Sở Tài chính's), so that a
    text naming a department as it was called before the reform is given to the one in
    force (:class:`~accounts.models.AgencySuccession`, followed to its end)."""
    agencies = assignable_agencies() if agencies is None else agencies
    refs = [AgencyRef(agency.pk, agency.name, agency.short_name, agency.kind) for agency in agencies.values()]
    successor_of = dict(AgencySuccession.objects.values_list("predecessor_id", "successor_id"))
    for predecessor in Agency.objects.filter(pk__in=successor_of).order_by("pk"):
        successor, seen = successor_of[predecessor.pk], {predecessor.pk}
        while successor in successor_of and successor not in seen:  # merged again
            seen.add(successor)
            successor = successor_of[successor]
        if successor in agencies:
            refs.append(
                AgencyRef(successor, predecessor.name, predecessor.short_name, agencies[successor].kind)
            )
    return refs


def split_roles(
    agency_ids: Sequence[int],
    cooperating_ids: Sequence[int] = (),
    *,
    agencies: Mapping[int, Agency] | None = None,
) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """Default roles of the agencies a section names: ``(lead_ids, cooperating_ids)``.

    The agencies the parser found named as cooperating ("Sở A chủ trì, phối hợp với Sở
    B": ``cooperating_ids``) cooperate. Every other agency leads its own part ("UBND các
    huyện" gives one lead assignment per district committee), except a steering committee
    (BCĐ) named together with the People's Committee of the same district, which
    cooperates: in notice 58/TB-UBND section 3 ("UBND, BCĐ ... các huyện, thành phố, thị
    xã") each district's UBND leads and its BCĐ cooperates. ``agencies`` (by id), when
    given, saves the query: a proposal of 600 tasks reads the agencies once."""
    wanted = set(agency_ids) | set(cooperating_ids)
    if agencies is None:
        agencies = {agency.pk: agency for agency in Agency.objects.filter(pk__in=wanted)}
    agencies = [agencies[pk] for pk in wanted if pk in agencies]
    committee_scopes = {a.scope_id for a in agencies if a.kind == AgencyKind.DISTRICT_COMMITTEE}
    cooperating = {
        a.pk for a in agencies if a.kind == AgencyKind.STEERING_COMMITTEE and a.scope_id in committee_scopes
    } | set(cooperating_ids)
    lead = tuple(sorted(a.pk for a in agencies if a.pk not in cooperating))
    return lead, tuple(sorted(a.pk for a in agencies if a.pk in cooperating))


def _warnings(task: ParsedTask, issued_on: datetime.date | None) -> tuple[str, ...]:
    """What the coordinator should check in a proposed task, in their language."""
    warnings = [
        _("Deadline: the date %(date)s does not exist; check it.") % {"date": date}
        for date in task.invalid_dates
    ]
    if task.deadline_before_issue and issued_on:
        warnings.append(
            _("Deadline %(deadline)s is before the date of issue %(issued)s; check it.")
            % {"deadline": date_text(task.deadline), "issued": date_text(issued_on)}
        )
    if task.unmatched_agencies:
        warnings.append(
            _("Named in the text but not found among the portal's agencies: %(names)s. Choose them by hand.")
            % {"names": "; ".join(f"“{name}”" for name in task.unmatched_agencies)}
        )
    return tuple(warnings)


def proposal_from_text(text: str) -> DirectiveInput:
    """The parser's proposal for ``text`` as a :class:`DirectiveInput` (number, date,
    kind, issuer, signer, summary, recipients, tasks with default roles), for the
    coordinator to correct. Missing values are empty; nothing is saved."""
    assignable = assignable_agencies()
    refs = agency_refs(assignable)
    parsed = parse_directive(text, refs)
    meta = parse_metadata(text, refs)
    headings = {section.number: section.heading for section in parsed.sections}
    tasks = []
    for task in parsed.tasks:
        lead, cooperating = split_roles(task.agency_ids, task.cooperating_agency_ids, agencies=assignable)
        tasks.append(
            TaskInput(
                text=task.text,
                section_number=task.section_number or "",
                section_heading=headings.get(task.section_number, ""),
                deadline=task.deadline,
                deadline_phrase=task.deadline_phrase or "",
                recurrence=task.recurrence or "",
                recurrence_day=task.recurrence_day,
                lead_ids=lead,
                cooperating_ids=cooperating,
                parent_index=task.parent_index,
                warnings=_warnings(task, parsed.issued_on),
            )
        )
    return DirectiveInput(
        number=parsed.number or "",
        kind=meta.kind or "",
        issuer=meta.issuer,
        issued_on=parsed.issued_on,
        title=meta.title,
        body=clean_body(text),
        signer=meta.signer,
        recipient_ids=meta.recipient_ids,
        tasks=tuple(tasks),
    )


def clean_body(text: str) -> str:
    """The body as stored: NFC, Windows and old Mac line ends made "\\n", trailing spaces off."""
    lines = nfc(text).replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "\n".join(line.rstrip() for line in lines).strip()


def directive_field_errors(data: DirectiveInput) -> dict[str, list[str]]:
    """The errors of the directive's own fields (not its tasks, not the uniqueness of its
    number), keyed by field; empty when they are right. Shared by creation and editing."""
    errors: dict[str, list[str]] = {}
    if not clean(data.number):
        errors["number"] = [_("Give the number and symbol, e.g. 58/TB-UBND.")]
    if data.kind not in DirectiveKind.values:
        errors["kind"] = [_("Choose the kind of document.")]
    if not clean(data.issuer):
        errors["issuer"] = [_("Give the issuing body.")]
    if data.issued_on is None:
        errors["issued_on"] = [_("Give the date of issue (dd/mm/yyyy).")]
    if not clean(data.title):
        errors["title"] = [_("Give the summary (trích yếu).")]
    if len(data.body) > BODY_MAX:
        errors["body"] = [_("The text is longer than %(max)s characters.") % {"max": BODY_MAX}]
    return errors


def task_problems(task: TaskInput, *, index: int, known: set[int]) -> list[str]:
    """What is wrong with one task (the ``index``-th of its list; ``known``: the agency
    ids it may be given to), as phrases to join; empty when it is right. Shared by
    creation and editing (:mod:`directives.services.editing`)."""
    problems = []
    if not clean(task.text):
        problems.append(_("the text is empty"))
    elif len(task.text) > TEXT_MAX:
        problems.append(_("the text is longer than %(max)s characters") % {"max": TEXT_MAX})
    if not task.lead_ids:
        problems.append(_("choose at least one lead agency"))
    if set(task.lead_ids) & set(task.cooperating_ids):
        problems.append(_("an agency cannot both lead and cooperate"))
    if not set(task.lead_ids) | set(task.cooperating_ids) <= known:
        problems.append(_("an agency chosen is unknown or inactive"))
    if task.deadline is not None and task.recurrence:
        problems.append(_("a recurring task has no single deadline"))
    if task.recurrence and task.recurrence not in Recurrence.values:
        problems.append(_("unknown recurrence"))
    if task.recurrence_day is not None and not 1 <= task.recurrence_day <= 31:
        problems.append(_("the due day of each period must be between 1 and 31"))
    if task.parent_index is not None and not 0 <= task.parent_index < index:
        problems.append(_("its parent task must come before it"))
    return problems


def check_number_free(*, number: str, issued_on: datetime.date | None, exclude_pk: int | None = None) -> None:
    """Raise a ValidationError on "number" if another directive (not ``exclude_pk``) has
    this number and date of issue."""
    others = Directive.objects.filter(number=clean(number), issued_on=issued_on).exclude(pk=exclude_pk)
    if issued_on and others.exists():
        raise ValidationError(
            {
                "number": _("Directive %(number)s of %(day)s is already in the portal.")
                % {
                    "number": clean(number),
                    "day": date_text(issued_on),
                }
            }
        )


def _validate(data: DirectiveInput) -> None:
    """Raise a ValidationError naming every wrong field (tasks as "tasks-<n>")."""
    errors = directive_field_errors(data)
    if not data.tasks:
        errors["tasks"] = [_("Keep at least one task.")]
    known = set(Agency.objects.assignable().values_list("pk", flat=True))
    for index, task in enumerate(data.tasks):
        label = _("Task %(n)s") % {"n": index + 1}
        problems = task_problems(task, index=index, known=known)
        if problems:
            errors[f"tasks-{index}"] = [f"{label}: {'; '.join(problems)}."]
    if errors:
        raise ValidationError(errors)
    check_number_free(number=data.number, issued_on=data.issued_on)


@transaction.atomic
def directive_create(*, user, data: DirectiveInput) -> Directive:
    """Save a directive, its tasks and one assignment per task and agency (lead or
    cooperating), each assignment's deadline the task's (a recurring task's: its first
    period's due date on or after the date of issue, :func:`directives.recurrence.next_due`).
    Only a coordinator may (else PermissionDenied); invalid input raises ValidationError
    keyed by field ("number", "issued_on", "tasks-3"...); the same number and date twice
    is refused on "number"."""
    if user is not None:
        require_permission(user, "directives.add_directive")
    _validate(data)
    directive = Directive(
        number=clean(data.number),
        kind=data.kind,
        issuer=clean(data.issuer),
        signer=clean(data.signer),
        issued_on=data.issued_on,
        title=clean(data.title),
        body=clean_body(data.body),
        created_by=user,
    )
    directive._history_user = user
    try:
        with transaction.atomic():
            directive.save()
    except IntegrityError:  # a concurrent save of the same number and date
        raise ValidationError({"number": _("This directive is already in the portal.")}) from None
    directive.recipients.set(data.recipient_ids)
    saved: list[Task] = []
    assignments: list[Assignment] = []
    for position, item in enumerate(data.tasks, start=1):
        task = Task(
            directive=directive,
            position=position,
            section_number=clean(item.section_number),
            section_heading=clean(item.section_heading),
            text=clean(item.text),
            deadline=item.deadline,
            deadline_phrase=clean(item.deadline_phrase)[:120],
            recurrence=item.recurrence,
            recurrence_day=item.recurrence_day if item.recurrence else None,
            parent=saved[item.parent_index] if item.parent_index is not None else None,
            criterion_id=item.criterion_id,
        )
        task._history_user = user
        task.save()
        if item.unit_ids:
            task.units.set(item.unit_ids)
        saved.append(task)
        # A recurring task's assignments are due on its first period's due date, rolled
        # to the next period's by each period's report (directives.services.assignments).
        deadline = (
            next_due(item.recurrence, item.recurrence_day, data.issued_on)
            if item.recurrence
            else item.deadline
        )
        for agency_id in item.lead_ids:
            assignments.append(
                Assignment(task=task, agency_id=agency_id, role=AssignmentRole.LEAD, deadline=deadline)
            )
        for agency_id in item.cooperating_ids:
            assignments.append(
                Assignment(task=task, agency_id=agency_id, role=AssignmentRole.COOPERATING, deadline=deadline)
            )
    bulk_create_with_history(assignments, Assignment, default_user=user)
    return directive


def directive_create_from_parse(*, user, text: str, **overrides) -> Directive:
    """Cut ``text`` with the parser and save it as proposed, fields in ``overrides``
    (e.g. ``kind``, ``issuer``) replacing the proposal's. Used where nobody corrects the
    proposal: the seed command. Raises as :func:`directive_create`."""
    proposal = proposal_from_text(text)
    values = {name: getattr(proposal, name) for name in DirectiveInput.__dataclass_fields__}
    values.update(overrides)
    return directive_create(user=user, data=DirectiveInput(**values))


ATTACHMENT_TYPES = (".pdf", ".doc", ".docx", ".xls", ".xlsx", ".odt", ".ods", ".jpg", ".jpeg", ".png", ".zip")
ATTACHMENT_MAX_BYTES = 20 * 1024 * 1024


def validate_upload(upload, *, field: str) -> None:
    """Refuse a file over 20 MB or of another type than documents, sheets, images, zip."""
    name = (upload.name or "").lower()
    if not name.endswith(ATTACHMENT_TYPES):
        raise ValidationError(
            {
                field: _("This type of file is not accepted. Accepted: %(types)s.")
                % {"types": ", ".join(ATTACHMENT_TYPES)}
            }
        )
    if upload.size > ATTACHMENT_MAX_BYTES:
        raise ValidationError({field: _("The file is larger than 20 MB.")})


@transaction.atomic
def attachment_add(*, user, directive: Directive, upload, name: str = "") -> DirectiveAttachment:
    """Attach a file to ``directive`` (coordinators). Raises PermissionDenied, or
    ValidationError on "file"."""
    require_permission(user, "directives.change_directive")
    validate_upload(upload, field="file")
    return DirectiveAttachment.objects.create(
        directive=directive, file=upload, name=clean(name) or clean(nfc(upload.name))[:255]
    )
