"""The coordinators' view of their proposals to the decision board (read-only: the board
handles them on its own pages), the network's opinions, and each call's decision rules."""

from django.contrib import admin

from coordination.admin.filters import call_filter
from decisions.models import CallDecisionRules, Opinion, Proposal
from networks.admin_scope import NetworkScopedAdmin

# Its choices from the calls table, not a DISTINCT over the rows listed.
APPLICATION_CALL_FILTER = call_filter("application__call")


@admin.register(Proposal)
class ProposalAdmin(NetworkScopedAdmin):
    """What the board did with each proposal; a sent-back one is proposed again from the
    application's actions."""

    network_path = "application__call__network"
    list_display = [
        "application",
        "outcome",
        "status",
        "proposed_by",
        "proposed_at",
        "board_by",
        "board_at",
        "board_reason",
    ]
    list_filter = [APPLICATION_CALL_FILTER, "status", "outcome"]
    search_fields = ["application__institution__name"]
    list_select_related = [
        "application__institution",
        "application__call",
        "proposed_by",
        "board_by",
    ]
    readonly_fields = [
        "application",
        "outcome",
        "status",
        "proposed_by",
        "proposed_at",
        "overridden",
        "override_reason",
        "board_by",
        "board_at",
        "board_reason",
    ]
    fields = readonly_fields

    def has_add_permission(self, request):
        return False  # made by the decision itself

    def has_change_permission(self, request, obj=None):
        return False  # handled by the decision board on its own pages

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Opinion)
class OpinionAdmin(NetworkScopedAdmin):
    """The network's opinions, recorded from the application's page or the panel's page."""

    network_path = "application__call__network"
    list_display = ["application", "favourable", "given_by", "given_at"]
    list_filter = [APPLICATION_CALL_FILTER, "favourable"]
    list_select_related = ["application__institution", "application__call", "given_by"]
    readonly_fields = ["application", "favourable", "reasons", "given_by", "given_at"]
    fields = readonly_fields

    def has_add_permission(self, request):
        return False  # recorded through the service, audited

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(CallDecisionRules)
class CallDecisionRulesAdmin(NetworkScopedAdmin):
    """Per call: whether an acceptance needs the network's favourable opinion, and the panel
    that gives opinions besides the coordinators."""

    network_path = "call__network"
    list_display = ["call", "opinion_required"]
    list_select_related = ["call"]
    fields = ["call", "opinion_required", "panel"]
    filter_horizontal = ["panel"]
