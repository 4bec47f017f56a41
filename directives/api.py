"""REST API of the directives app: directives, their tasks, the agencies' assignments
and their progress reports, under /api/v1/.

What each caller sees is what the pages show them (:mod:`directives.views`):

* every role reads every directive and every task, with each assigned agency, its role
  and its status colour, as a directive's page shows them; an assignment nested in a
  task carries its ``id`` only when the caller may open it (a link on the page), else
  ``null``;
* an assignment, its progress (deadline, done on, percent, extension requests) and its
  progress reports are seen by the provincial roles (coordinator, leader, API client)
  and by the users who act for its agency (:func:`directives.selectors.assignments.assignment_scope`);
  another agency's assignment or report answers 404, as its page does;
* reporting progress (``POST /api/v1/assignments/{id}/progress-reports/``) and asking
  for an extension go through the services of the assignment page
  (:mod:`directives.services.assignments`): same rules, same history. A role that may
  read an assignment but not report on it (leader, API client) gets 403; a task already
  marked done, an extension already waiting, 409.

Shapes (dates ISO 8601, times with the +07:00 offset, percent 0-100):

* ``GET /api/v1/directives/``: ``{"id", "number", "kind", "issuer", "signer",
  "issued_on", "title", "recipient_ids", "task_count", "counts": {"done_on_time",
  "done_late", "open_within_term", "open_overdue"}}``; ``counts`` are the lead
  assignments of every agency in each status bucket (the list page's figures). The
  detail adds ``"body"`` (the full text) and ``"attachments": [{"id", "name",
  "uploaded_at"}]``; its tasks are ``/api/v1/tasks/?directive=<id>``, paged.
* ``GET /api/v1/tasks/``: ``{"id", "directive_id", "position", "section_number",
  "section_heading", "text", "deadline", "deadline_phrase", "recurrence",
  "recurrence_day", "parent_id", "criterion_id", "assignments": [{"id" (or null),
  "agency_id", "agency", "role", "status"}]}``.
* ``GET /api/v1/assignments/``: ``{"id", "directive_id", "task_id", "agency_id",
  "agency", "role", "deadline", "completed_on", "percent", "status",
  "extension_requests": [{"id", "requested_deadline", "reason", "status",
  "requested_by", "created_at", "decided_by", "decided_at", "decision_note"}]}``.
* ``GET /api/v1/progress-reports/``: ``{"id", "assignment_id", "agency_id", "author",
  "text", "percent", "attachment" (file name or null), "created_at"}``.
* ``POST /api/v1/directives/parse/`` (coordinators): ``{"text": "..."}`` in; the
  proposal out: ``{"number", "issued_on", "kind", "title", "issuer", "signer",
  "recipient_ids", "sections": [{"number", "heading", "agency_ids", "lead_agency_ids",
  "cooperating_agency_ids"}], "tasks": [{"section_number", "text", "deadline",
  "deadline_phrase", "recurrence", "recurrence_day", "agency_ids", "lead_agency_ids",
  "cooperating_agency_ids", "unmatched_agencies", "agency_source", "parent_index",
  "invalid_dates", "deadline_before_issue"}]}`` with ISO dates and agencies by id
  (:func:`directives.parsing.to_json`). ``agency_ids`` are all the agencies assigned,
  ``unmatched_agencies`` the assignee names no agency matches; the roles are those the
  confirm page proposes (:func:`~directives.services.directives.split_roles`). Nothing is saved.
  A missing or non-text ``text`` answers 400 naming ``text``; JSON that cannot be read
  (or is nested too deeply) 400 ``malformed``.

The status buckets (:mod:`directives.status`) are derived from the dates on the day of
the call (Asia/Ho_Chi_Minh), never stored. Directives are written in the pages (paste,
correct, confirm), not through the API.
"""

import django_filters
from django.core.exceptions import ValidationError
from django.db.models import Case, Exists, F, IntegerField, OuterRef, Prefetch, Q, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema, extend_schema_field, inline_serializer
from rest_framework import exceptions, permissions, serializers, status
from rest_framework.decorators import action, api_view, permission_classes
from rest_framework.response import Response
from rest_framework.settings import api_settings

from core.api.errors import Conflict
from core.api.filters import IsoDateFilter, PortalFilterSet, WholeNumberFilter, YesNoFilter
from core.api.views import PortalReadOnlyViewSet
from core.text import nfc
from directives.metadata import parse_metadata
from directives.models import (
    Assignment,
    AssignmentRole,
    Directive,
    DirectiveAttachment,
    DirectiveKind,
    ExtensionRequest,
    ExtensionStatus,
    ProgressReport,
    Recurrence,
    Task,
)
from directives.parsing import parse_directive, to_json
from directives.selectors.assignments import BUCKET_ORDER, assignment_scope
from directives.selectors.directives import directives_with_counts
from directives.services.assignments import extension_request_create, progress_report_create
from directives.services.directives import agency_refs, assignable_agencies, split_roles
from directives.status import Bucket

# --- The parser ------------------------------------------------------------------------


class ParseInput(serializers.Serializer):
    """``{"text": "..."}``: the directive's text; anything else is a 400 on "text"."""

    text = serializers.CharField(
        max_length=200000,
        trim_whitespace=False,
        error_messages={
            "required": gettext_lazy("Give the text of the directive."),
            "blank": gettext_lazy("Give the text of the directive."),
            "invalid": gettext_lazy("The text must be a string."),
            "max_length": gettext_lazy("The text is longer than 200000 characters."),
        },
    )

    def to_internal_value(self, data):
        if not isinstance(data, dict):
            raise serializers.ValidationError({"text": [_("Send a JSON object with the field “text”.")]})
        if "text" in data and not isinstance(data["text"], str):
            raise serializers.ValidationError({"text": [_("The text must be a string.")]})
        return super().to_internal_value(data)


class ParsePermission(permissions.BasePermission):
    """Only who may create directives (coordinators) may use the parser."""

    def has_permission(self, request, view):
        return bool(request.user and request.user.has_perm("directives.add_directive"))


@extend_schema(
    request=ParseInput,
    responses=inline_serializer(
        "DirectiveProposal",
        {
            "number": serializers.CharField(allow_null=True),
            "issued_on": serializers.DateField(allow_null=True),
            "kind": serializers.CharField(allow_null=True),
            "title": serializers.CharField(),
            "issuer": serializers.CharField(),
            "signer": serializers.CharField(),
            "recipient_ids": serializers.ListField(child=serializers.IntegerField()),
            "sections": serializers.ListField(child=serializers.DictField()),
            "tasks": serializers.ListField(child=serializers.DictField()),
        },
    ),
    summary=gettext_lazy("Propose the sections, tasks, deadlines and agencies of a directive's text"),
)
@api_view(["POST"])
@permission_classes([*api_settings.DEFAULT_PERMISSION_CLASSES, ParsePermission])
def parse_view(request):
    """Parse a pasted directive text (see the module docstring). Nothing is saved."""
    serializer = ParseInput(data=request.data)
    serializer.is_valid(raise_exception=True)
    text = nfc(serializer.validated_data["text"])
    assignable = assignable_agencies()
    refs = agency_refs(assignable)
    proposal = to_json(parse_directive(text, refs))
    roles: dict[tuple, tuple] = {}
    for row in (*proposal["sections"], *proposal["tasks"]):
        key = (tuple(row["agency_ids"]), tuple(row["cooperating_agency_ids"]))
        if key not in roles:
            roles[key] = split_roles(*key, agencies=assignable)
        row["lead_agency_ids"], row["cooperating_agency_ids"] = (list(ids) for ids in roles[key])
    meta = parse_metadata(text, refs)
    proposal |= {
        "kind": meta.kind,
        "title": meta.title,
        "issuer": meta.issuer,
        "signer": meta.signer,
        "recipient_ids": list(meta.recipient_ids),
    }
    ordered = {key: proposal[key] for key in ("number", "issued_on", "kind", "title", "issuer", "signer")}
    return Response(ordered | {k: proposal[k] for k in ("recipient_ids", "sections", "tasks")})


# --- Directives ------------------------------------------------------------------------


class BucketCountsSerializer(serializers.Serializer):
    """Lead assignments in each status bucket."""

    done_on_time = serializers.IntegerField()
    done_late = serializers.IntegerField()
    open_within_term = serializers.IntegerField()
    open_overdue = serializers.IntegerField()


class DirectiveSerializer(serializers.ModelSerializer):
    """A directive as the list page shows it (see the module docstring)."""

    recipient_ids = serializers.SerializerMethodField()
    task_count = serializers.IntegerField(read_only=True)
    counts = serializers.SerializerMethodField()

    class Meta:
        model = Directive
        fields = [
            "id",
            "number",
            "kind",
            "issuer",
            "signer",
            "issued_on",
            "title",
            "recipient_ids",
            "task_count",
            "counts",
        ]

    def get_recipient_ids(self, directive) -> list[int]:
        return sorted(agency.pk for agency in directive.recipients.all())

    @extend_schema_field(BucketCountsSerializer)
    def get_counts(self, directive) -> dict:
        return {bucket.value: getattr(directive, f"lead_{bucket.value}") for bucket in Bucket}


class AttachmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = DirectiveAttachment
        fields = ["id", "name", "uploaded_at"]


class DirectiveDetailSerializer(DirectiveSerializer):
    """A directive as its page shows it: the list's fields, the full text and the files."""

    attachments = AttachmentSerializer(many=True, read_only=True)

    class Meta(DirectiveSerializer.Meta):
        fields = [*DirectiveSerializer.Meta.fields, "body", "attachments"]


class DirectiveFilter(PortalFilterSet):
    # A directive changes with its tasks and their assignments (a report's progress, an
    # extension granted, a task edited).
    updated_via = (
        (Task.history.model, "directive_id"),
        (Assignment.history.model, "task__directive_id"),
    )

    issued_on_before = IsoDateFilter(
        field_name="issued_on", lookup_expr="lte", label=gettext_lazy("Issued on or before (YYYY-MM-DD)")
    )
    issued_on_after = IsoDateFilter(
        field_name="issued_on", lookup_expr="gte", label=gettext_lazy("Issued on or after (YYYY-MM-DD)")
    )
    kind = django_filters.ChoiceFilter(choices=DirectiveKind.choices, label=gettext_lazy("kind"))
    agency = WholeNumberFilter(
        method="filter_agency", label=gettext_lazy("Agency id: a recipient or assigned a task")
    )

    class Meta:
        model = Directive
        fields = []

    def filter_updated_since(self, queryset, name, value):
        """Changed in its history or in its tasks' and assignments', or given a file since then."""
        attached = DirectiveAttachment.objects.filter(uploaded_at__gte=value).values("directive_id")
        return super().filter_updated_since(queryset, name, value) | queryset.filter(pk__in=attached)

    def filter_agency(self, queryset, name, value):
        received = Directive.recipients.through.objects.filter(agency_id=value).values("directive_id")
        assigned = Task.objects.filter(assignments__agency_id=value).values("directive_id")
        return queryset.filter(Q(pk__in=received) | Q(pk__in=assigned))


class DirectiveViewSet(PortalReadOnlyViewSet):
    """Directives, newest first, with the counts of their lead assignments (every role
    reads them, as the directive pages)."""

    serializer_class = DirectiveSerializer
    queryset = Directive.objects.none()  # the schema's model; get_queryset reads
    read_permission = "directives.view_directive"
    filterset_class = DirectiveFilter
    ordering_fields = ("issued_on", "number", "kind", "id")
    ordering = ("-issued_on", "-id")
    search_fields = ("number", "title")

    def get_serializer_class(self):
        return DirectiveDetailSerializer if self.action == "retrieve" else DirectiveSerializer

    def get_queryset(self):
        rows = directives_with_counts(today=timezone.localdate()).prefetch_related("recipients")
        return rows.prefetch_related("attachments") if self.action == "retrieve" else rows

    @extend_schema(summary=gettext_lazy("Directives, with the counts of their lead assignments"))
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(summary=gettext_lazy("A directive, with its full text and files"))
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)


# --- Tasks -----------------------------------------------------------------------------


class TaskAssignmentSerializer(serializers.ModelSerializer):
    """An agency's assignment as a directive's page shows it on a task: the agency, its
    role and its status colour; ``id`` only if the caller may open it, else null."""

    id = serializers.SerializerMethodField()
    agency_id = serializers.IntegerField(read_only=True)
    agency = serializers.CharField(source="agency.name", read_only=True)
    status = serializers.ChoiceField(choices=Bucket.choices, source="bucket", read_only=True)

    class Meta:
        model = Assignment
        fields = ["id", "agency_id", "agency", "role", "status"]

    def get_id(self, assignment) -> int | None:
        return assignment.pk if assignment.visible else None


class TaskSerializer(serializers.ModelSerializer):
    """A task with its assigned agencies (see the module docstring)."""

    directive_id = serializers.IntegerField(read_only=True)
    parent_id = serializers.IntegerField(read_only=True, allow_null=True)
    criterion_id = serializers.IntegerField(read_only=True, allow_null=True)
    assignments = TaskAssignmentSerializer(many=True, read_only=True)

    class Meta:
        model = Task
        fields = [
            "id",
            "directive_id",
            "position",
            "section_number",
            "section_heading",
            "text",
            "deadline",
            "deadline_phrase",
            "recurrence",
            "recurrence_day",
            "parent_id",
            "criterion_id",
            "assignments",
        ]


class TaskFilter(PortalFilterSet):
    updated_via = ((Assignment.history.model, "task_id"),)

    directive = WholeNumberFilter(field_name="directive_id", label=gettext_lazy("directive id"))
    agency = WholeNumberFilter(method="filter_agency", label=gettext_lazy("Agency id assigned"))
    deadline_before = IsoDateFilter(
        field_name="deadline", lookup_expr="lte", label=gettext_lazy("Deadline on or before (YYYY-MM-DD)")
    )
    deadline_after = IsoDateFilter(
        field_name="deadline", lookup_expr="gte", label=gettext_lazy("Deadline on or after (YYYY-MM-DD)")
    )
    has_deadline = YesNoFilter(method="filter_has_deadline", label=gettext_lazy("Has a deadline"))
    overdue = YesNoFilter(
        method="filter_overdue", label=gettext_lazy("An assignment is open past its deadline today")
    )
    recurrence = django_filters.ChoiceFilter(choices=Recurrence.choices, label=gettext_lazy("recurrence"))

    class Meta:
        model = Task
        fields = []

    def filter_agency(self, queryset, name, value):
        return queryset.filter(pk__in=Assignment.objects.filter(agency_id=value).values("task_id"))

    def filter_has_deadline(self, queryset, name, value):
        return queryset.filter(deadline__isnull=not value)

    def filter_overdue(self, queryset, name, value):
        overdue = Exists(
            Assignment.objects.filter(task=OuterRef("pk"))
            .with_bucket(timezone.localdate())
            .filter(bucket=Bucket.OPEN_OVERDUE)
        )
        return queryset.filter(overdue) if value else queryset.exclude(overdue)


class TaskViewSet(PortalReadOnlyViewSet):
    """Tasks of the directives with their assigned agencies (every role reads them, as a
    directive's page)."""

    serializer_class = TaskSerializer
    queryset = Task.objects.none()
    read_permission = "directives.view_task"
    filterset_class = TaskFilter
    ordering_fields = ("deadline", "position", "directive_id", "id")
    ordering = ("directive_id", "position")
    search_fields = ("text",)

    def get_queryset(self):
        visible = assignment_scope(self.request.user).filter(pk=OuterRef("pk"))
        assignments = (
            Assignment.objects.with_bucket(timezone.localdate())
            .annotate(visible=Exists(visible))
            .select_related("agency")
            .order_by("role", "agency__name", "pk")
        )
        return Task.objects.prefetch_related(Prefetch("assignments", queryset=assignments))

    @extend_schema(summary=gettext_lazy("Tasks, with the agencies assigned and their status"))
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(summary=gettext_lazy("A task, with the agencies assigned and their status"))
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)


# --- Assignments -----------------------------------------------------------------------


class ExtensionRequestSerializer(serializers.ModelSerializer):
    """An extension request (xin gia hạn) and the coordinator's decision."""

    requested_by = serializers.SerializerMethodField()
    decided_by = serializers.SerializerMethodField()

    class Meta:
        model = ExtensionRequest
        fields = [
            "id",
            "requested_deadline",
            "reason",
            "status",
            "requested_by",
            "created_at",
            "decided_by",
            "decided_at",
            "decision_note",
        ]

    def get_requested_by(self, extension) -> str | None:
        return str(extension.requested_by) if extension.requested_by else None

    def get_decided_by(self, extension) -> str | None:
        return str(extension.decided_by) if extension.decided_by else None


class AssignmentSerializer(serializers.ModelSerializer):
    """One agency's assignment, as its page shows it (see the module docstring)."""

    # directive_id, agency_name and extension_list come from AssignmentViewSet's query.
    directive_id = serializers.IntegerField(read_only=True)
    task_id = serializers.IntegerField(read_only=True)
    agency_id = serializers.IntegerField(read_only=True)
    agency = serializers.CharField(source="agency_name", read_only=True)
    status = serializers.ChoiceField(choices=Bucket.choices, source="bucket", read_only=True)
    extension_requests = ExtensionRequestSerializer(source="extension_list", many=True, read_only=True)

    class Meta:
        model = Assignment
        fields = [
            "id",
            "directive_id",
            "task_id",
            "agency_id",
            "agency",
            "role",
            "deadline",
            "completed_on",
            "percent",
            "status",
            "extension_requests",
        ]


class AssignmentFilter(PortalFilterSet):
    agency = WholeNumberFilter(field_name="agency_id", label=gettext_lazy("agency id"))
    directive = WholeNumberFilter(field_name="task__directive_id", label=gettext_lazy("directive id"))
    task = WholeNumberFilter(field_name="task_id", label=gettext_lazy("task id"))
    role = django_filters.ChoiceFilter(choices=AssignmentRole.choices, label=gettext_lazy("role"))
    status = django_filters.ChoiceFilter(
        field_name="bucket", choices=Bucket.choices, label=gettext_lazy("Status bucket today")
    )
    overdue = YesNoFilter(method="filter_overdue", label=gettext_lazy("Open past its deadline today"))
    deadline_before = IsoDateFilter(
        field_name="deadline", lookup_expr="lte", label=gettext_lazy("Deadline on or before (YYYY-MM-DD)")
    )
    deadline_after = IsoDateFilter(
        field_name="deadline", lookup_expr="gte", label=gettext_lazy("Deadline on or after (YYYY-MM-DD)")
    )

    class Meta:
        model = Assignment
        fields = []

    def filter_overdue(self, queryset, name, value):
        overdue = Q(bucket=Bucket.OPEN_OVERDUE.value)
        return queryset.filter(overdue) if value else queryset.exclude(overdue)

    def filter_updated_since(self, queryset, name, value):
        """Changed in its history (a report's progress, done, reopened, a deadline moved),
        or an extension request made or decided since then."""
        extensions = ExtensionRequest.objects.filter(Q(created_at__gte=value) | Q(decided_at__gte=value))
        return queryset.filter(
            Q(pk__in=Assignment.history.filter(history_date__gte=value).values("id"))
            | Q(pk__in=extensions.values("assignment_id"))
        )


# ``?ordering=status``: what needs action first (open overdue, open within term, done
# late, done on time), as the overdue board orders the buckets.
_STATUS_RANK = Case(
    *(When(bucket=bucket.value, then=Value(rank)) for rank, bucket in enumerate(BUCKET_ORDER)),
    output_field=IntegerField(),
)


class _Input(serializers.Serializer):
    """A body: a JSON object (or a form); anything else is a 400 on the whole body."""

    default_error_messages = {"invalid": gettext_lazy("Send a JSON object.")}


class ProgressInput(_Input):
    """A progress report: what was done, percent 0-100, an optional file (multipart).
    The rules are the assignment page's (:func:`~directives.services.assignments.progress_report_create`)."""

    text = serializers.CharField(
        allow_blank=True,
        trim_whitespace=False,
        max_length=5000,
        error_messages={
            "required": gettext_lazy("Write what was done."),
            "null": gettext_lazy("Write what was done."),
            "invalid": gettext_lazy("Write what was done."),
            "max_length": gettext_lazy("The report is longer than 5000 characters."),
        },
    )
    percent = serializers.IntegerField(
        error_messages={
            "required": gettext_lazy("Progress is a percentage between 0 and 100."),
            "null": gettext_lazy("Progress is a percentage between 0 and 100."),
            "invalid": gettext_lazy("Progress is a percentage between 0 and 100."),
            "max_string_length": gettext_lazy("Progress is a percentage between 0 and 100."),
        }
    )
    attachment = serializers.FileField(
        required=False,
        allow_null=True,
        error_messages={
            "invalid": gettext_lazy("Send the file as multipart/form-data."),
            "no_name": gettext_lazy("Send the file as multipart/form-data."),
        },
    )


class ReportOnAssignmentInput(ProgressInput):
    """On ``/assignments/{id}/progress-reports/``: ``assignment_id`` may be left out; if
    given, it must be the assignment of the URL."""

    assignment_id = serializers.IntegerField(
        required=False,
        allow_null=True,
        error_messages={
            "invalid": gettext_lazy("assignment_id is the id of an assignment (a whole number)."),
            "max_string_length": gettext_lazy("assignment_id is the id of an assignment (a whole number)."),
        },
    )


class ProgressCreateInput(ProgressInput):
    """On ``/progress-reports/``: the assignment reported on, one the caller's agency
    reports on (else 404)."""

    assignment_id = serializers.IntegerField(
        error_messages={
            "required": gettext_lazy("Say which assignment the report is on (assignment_id)."),
            "null": gettext_lazy("Say which assignment the report is on (assignment_id)."),
            "invalid": gettext_lazy("assignment_id is the id of an assignment (a whole number)."),
            "max_string_length": gettext_lazy("assignment_id is the id of an assignment (a whole number)."),
        }
    )


class ExtensionInput(_Input):
    """An extension request: the new deadline and why (the assignment page's rules,
    :func:`~directives.services.assignments.extension_request_create`)."""

    requested_deadline = serializers.DateField(
        error_messages={
            "required": gettext_lazy("Give the new deadline (YYYY-MM-DD)."),
            "null": gettext_lazy("Give the new deadline (YYYY-MM-DD)."),
            "invalid": gettext_lazy("Give the new deadline (YYYY-MM-DD)."),
            "datetime": gettext_lazy("Give the new deadline (YYYY-MM-DD)."),
        }
    )
    reason = serializers.CharField(
        allow_blank=True,
        trim_whitespace=False,
        max_length=5000,
        error_messages={
            "required": gettext_lazy("Give a reason."),
            "null": gettext_lazy("Give a reason."),
            "invalid": gettext_lazy("Give a reason."),
            "max_length": gettext_lazy("The reason is longer than 5000 characters."),
        },
    )


class ProgressReportSerializer(serializers.ModelSerializer):
    """A progress report (see the module docstring)."""

    assignment_id = serializers.IntegerField(read_only=True)
    agency_id = serializers.IntegerField(source="assignment.agency_id", read_only=True)
    author = serializers.SerializerMethodField()
    attachment = serializers.SerializerMethodField()

    class Meta:
        model = ProgressReport
        fields = ["id", "assignment_id", "agency_id", "author", "text", "percent", "attachment", "created_at"]

    def get_author(self, report) -> str | None:
        return str(report.author) if report.author else None

    def get_attachment(self, report) -> str | None:
        """The file's name (downloaded from the assignment page), or null."""
        return report.attachment.name.rsplit("/", 1)[-1] if report.attachment else None


def _report_progress(*, user, assignment: Assignment, data: dict) -> ProgressReport:
    """Post the report through the assignment page's service; a task already marked
    done is a 409 (the service's refusal, answered as a state the workflow refuses)."""
    try:
        return progress_report_create(
            user=user,
            assignment=assignment,
            text=data["text"],
            percent=data["percent"],
            attachment=data.get("attachment"),
        )
    except ValidationError:
        if assignment.completed_on is not None:
            raise Conflict(_("This task is already marked done.")) from None
        raise


def _report_created(report: ProgressReport, context: dict) -> Response:
    return Response(
        ProgressReportSerializer(report, context=context).data,
        status=status.HTTP_201_CREATED,
        headers={"Location": reverse("progress-report-api-detail", args=[report.pk])},
    )


class AssignmentViewSet(PortalReadOnlyViewSet):
    """The assignments the caller may open (their agencies', or all for the provincial
    roles), with their status bucket today; report progress and ask for an extension."""

    serializer_class = AssignmentSerializer
    queryset = Assignment.objects.none()
    read_permission = "directives.view_assignment"
    filterset_class = AssignmentFilter
    ordering_fields = ("deadline", "completed_on", "percent", "role", "agency_name", "status", "id")
    ordering = ("task__directive_id", "task__position", "role", "agency_name")

    def get_queryset(self):
        extensions = ExtensionRequest.objects.select_related("requested_by", "decided_by").order_by(
            "-created_at", "-pk"
        )
        return (
            assignment_scope(self.request.user)
            .with_bucket(timezone.localdate())
            .annotate(agency_name=F("agency__name"), directive_id=F("task__directive_id"))
            .alias(status=_STATUS_RANK)
            .prefetch_related(Prefetch("extensions", queryset=extensions, to_attr="extension_list"))
        )

    @extend_schema(summary=gettext_lazy("Assignments the caller may open, with their status today"))
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(summary=gettext_lazy("An assignment: deadline, progress, status, extension requests"))
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(
        summary=gettext_lazy("Report progress on an assignment"),
        request=ReportOnAssignmentInput,
        responses={201: ProgressReportSerializer},
    )
    @action(detail=True, methods=["post"], url_path="progress-reports", url_name="progress-reports")
    def progress_reports(self, request, pk=None):
        """Post a progress report (text, percent 0-100, optional file as multipart) on
        the assignment, as its page does: its progress becomes ``percent``, a recurring
        task's deadline rolls to the next period, the history names the caller. 201 with
        the report; 400 naming the field; 403 for a role that may only read it; 404
        outside the caller's scope; 409 on a task marked done; 412 on a stale If-Match
        (the assignment's ETag)."""
        with self.guarded() as assignment:
            serializer = ReportOnAssignmentInput(data=request.data)
            serializer.is_valid(raise_exception=True)
            claimed = serializer.validated_data.get("assignment_id")
            if claimed is not None and claimed != assignment.pk:
                raise exceptions.ValidationError(
                    {"assignment_id": [_("The assignment in the body is not the one of the address.")]}
                )
            report = _report_progress(
                user=request.user, assignment=assignment, data=serializer.validated_data
            )
        return _report_created(report, self.get_serializer_context())

    @extend_schema(
        summary=gettext_lazy("Ask for a later deadline on an assignment"),
        request=ExtensionInput,
        responses={201: ExtensionRequestSerializer},
    )
    @action(detail=True, methods=["post"], url_path="extension-requests", url_name="extension-requests")
    def extension_requests(self, request, pk=None):
        """Ask for a later deadline, as the assignment page does (a coordinator decides;
        coordinators are notified). 201 with the request; 400 naming the field (a date
        not after the current deadline, in the past, a blank reason); 403 for a role that
        may only read it; 404 outside the scope; 409 on a task marked done, without a
        deadline, or with a request already waiting; 412 on a stale If-Match."""
        with self.guarded() as assignment:
            serializer = ExtensionInput(data=request.data)
            serializer.is_valid(raise_exception=True)
            try:
                extension = extension_request_create(
                    user=request.user,
                    assignment=assignment,
                    requested_deadline=serializer.validated_data["requested_deadline"],
                    reason=serializer.validated_data["reason"],
                )
            except ValidationError as error:
                waiting = assignment.extensions.filter(status=ExtensionStatus.PENDING).exists()
                if assignment.completed_on is not None or assignment.deadline is None or waiting:
                    messages = error.message_dict.get("requested_deadline") or error.messages
                    raise Conflict(messages[0]) from None
                raise
        return Response(
            ExtensionRequestSerializer(extension, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED,
        )


# --- Progress reports ------------------------------------------------------------------


class ProgressReportFilter(PortalFilterSet):
    assignment = WholeNumberFilter(field_name="assignment_id", label=gettext_lazy("assignment id"))
    agency = WholeNumberFilter(field_name="assignment__agency_id", label=gettext_lazy("agency id"))
    task = WholeNumberFilter(field_name="assignment__task_id", label=gettext_lazy("task id"))
    directive = WholeNumberFilter(
        field_name="assignment__task__directive_id", label=gettext_lazy("directive id")
    )

    class Meta:
        model = ProgressReport
        fields = []

    def filter_updated_since(self, queryset, name, value):
        """Reports are never changed once posted: those posted since then."""
        return queryset.filter(created_at__gte=value)


class ProgressReportViewSet(PortalReadOnlyViewSet):
    """Progress reports on the assignments the caller may open, newest first; post one
    on an assignment the caller's agency reports on."""

    serializer_class = ProgressReportSerializer
    queryset = ProgressReport.objects.none()
    read_permission = "directives.view_progressreport"
    filterset_class = ProgressReportFilter
    ordering_fields = ("created_at", "percent", "id")
    ordering = ("-created_at", "-id")
    search_fields = ("text",)

    def get_queryset(self):
        return ProgressReport.objects.filter(
            assignment__in=assignment_scope(self.request.user)
        ).select_related("author", "assignment")

    @extend_schema(summary=gettext_lazy("Progress reports on the assignments the caller may open"))
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(summary=gettext_lazy("A progress report"))
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(
        summary=gettext_lazy("Report progress on an assignment named in the body"),
        request=ProgressCreateInput,
        responses={201: ProgressReportSerializer},
    )
    def create(self, request, *args, **kwargs):
        """As ``POST /api/v1/assignments/{assignment_id}/progress-reports/``; an
        ``assignment_id`` the caller's agency does not report on (outside the scope, or
        another agency's) is a 404. If-Match, when sent, is the assignment's ETag."""
        serializer = ProgressCreateInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        pk = serializer.validated_data["assignment_id"]
        if not assignment_scope(request.user, for_change=True).filter(pk=pk).exists():
            raise exceptions.NotFound
        assignments = AssignmentViewSet(
            request=request, args=(), kwargs={"pk": pk}, format_kwarg=None, action="retrieve"
        )
        with assignments.guarded() as assignment:
            report = _report_progress(
                user=request.user, assignment=assignment, data=serializer.validated_data
            )
        return _report_created(report, self.get_serializer_context())


# (path under /api/v1/, view set, URL name prefix), mounted by ntm_portal.api_urls.
ROUTES = [
    ("directives", DirectiveViewSet, "directive-api"),
    ("tasks", TaskViewSet, "task-api"),
    ("assignments", AssignmentViewSet, "assignment-api"),
    ("progress-reports", ProgressReportViewSet, "progress-report-api"),
]
