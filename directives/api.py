"""REST API of the directives app, under /api/v1/directives/.

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
  A missing or non-text ``text`` answers 400 ``{"text": ["..."]}``; JSON that cannot be
  read (or is nested too deeply) 400 ``{"detail": "..."}``.
* ``GET /api/v1/directives/`` and ``/api/v1/directives/<id>/``: directives with their
  tasks and assignments, each assignment's status bucket derived today.
"""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import permissions, serializers, viewsets
from rest_framework.decorators import api_view, permission_classes
from rest_framework.response import Response
from rest_framework.settings import api_settings

from core.text import nfc
from directives.metadata import parse_metadata
from directives.models import Assignment, Directive, Task
from directives.parsing import parse_directive, to_json
from directives.services.directives import agency_refs, assignable_agencies, split_roles
from directives.status import bucket


class ModelPermission(permissions.BasePermission):
    """Needs the model permission named by the view's ``required_permission``."""

    def has_permission(self, request, view):
        return bool(request.user and request.user.has_perm(view.required_permission))


class ParseInput(serializers.Serializer):
    """``{"text": "..."}``: the directive's text; anything else is a 400 on "text"."""

    text = serializers.CharField(
        max_length=200000,
        trim_whitespace=False,
        error_messages={
            "required": _("Give the text of the directive."),
            "blank": _("Give the text of the directive."),
            "invalid": _("The text must be a string."),
            "max_length": _("The text is longer than 200000 characters."),
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
    summary="Propose the sections, tasks, deadlines and agencies of a directive's text",
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


class AssignmentSerializer(serializers.ModelSerializer):
    """An assignment with its status bucket derived today (``context["today"]``)."""

    agency_id = serializers.IntegerField()
    agency = serializers.CharField(source="agency.name")
    status = serializers.SerializerMethodField()

    class Meta:
        model = Assignment
        fields = ["id", "agency_id", "agency", "role", "deadline", "completed_on", "percent", "status"]

    def get_status(self, assignment) -> str:
        return bucket(
            deadline=assignment.deadline, completed_on=assignment.completed_on, today=self.context["today"]
        )


class TaskSerializer(serializers.ModelSerializer):
    """A task with its assignments."""

    assignments = AssignmentSerializer(many=True)

    class Meta:
        model = Task
        fields = [
            "id",
            "position",
            "section_number",
            "text",
            "deadline",
            "deadline_phrase",
            "recurrence",
            "parent_id",
            "assignments",
        ]


class DirectiveSerializer(serializers.ModelSerializer):
    """A directive with its recipients (ids) and tasks."""

    tasks = TaskSerializer(many=True)
    recipient_ids = serializers.PrimaryKeyRelatedField(source="recipients", many=True, read_only=True)

    class Meta:
        model = Directive
        fields = ["id", "number", "kind", "issuer", "signer", "issued_on", "title", "recipient_ids", "tasks"]


class DirectiveViewSet(viewsets.ReadOnlyModelViewSet):
    """Directives with their tasks and assignments (read only; every role may read)."""

    serializer_class = DirectiveSerializer
    permission_classes = [permissions.IsAuthenticated, ModelPermission]
    required_permission = "directives.view_directive"

    def get_queryset(self):
        return Directive.objects.prefetch_related("recipients", "tasks__assignments__agency").order_by(
            "-issued_on", "-pk"
        )

    def get_serializer_context(self):
        return super().get_serializer_context() | {"today": timezone.localdate()}


# (path under /api/v1/, view set, URL name prefix), mounted by ntm_portal.api_urls.
ROUTES = [("directives", DirectiveViewSet, "directive-api")]
