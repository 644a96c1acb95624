from __future__ import annotations

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from surveys.models import (
    AnswerChange,
    ContactPerson,
    Cycle,
    EmailLog,
    ImportUpload,
    Invitation,
    InvitationBatch,
    Membership,
    Participation,
    Question,
    Questionnaire,
    QuestionnaireEvent,
    Response,
    ResponseEvent,
)
from surveys.services import invitation_create
from surveys.services.links import site_url
from surveys.signals import announce_questionnaire_published


@admin.register(Cycle)
class CycleAdmin(admin.ModelAdmin):
    list_display = ("year", "name", "opens_on", "closes_on")


class QuestionInline(admin.TabularInline):
    model = Question
    fields = ("position", "code", "type", "text", "required", "in_appendix")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True


@admin.register(Questionnaire)
class QuestionnaireAdmin(admin.ModelAdmin):
    """Questionnaires come from the definition files; the admin only shows them."""

    list_display = ("title", "cycle", "audience", "version", "is_current", "loaded_at")
    list_filter = ("cycle", "audience", "is_current")
    # The chosen set too: it is fixed when the questionnaire is created (surveys.frames).
    readonly_fields = [
        *(f.name for f in Questionnaire._meta.fields),
        "chosen_organisations",
    ]
    inlines = [QuestionInline]


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ("code", "questionnaire", "type", "required")
    list_filter = ("questionnaire", "type")
    search_fields = ("code", "text")
    readonly_fields = [f.name for f in Question._meta.fields]


@admin.register(Response)
class ResponseAdmin(admin.ModelAdmin):
    list_display = (
        "organisation",
        "questionnaire",
        "status",
        "source",
        "updated_at",
        "submitted_at",
    )
    list_filter = ("questionnaire", "status", "source")
    search_fields = ("organisation__name", "organisation__code")
    readonly_fields = [f.name for f in Response._meta.fields]


@admin.register(AnswerChange)
class AnswerChangeAdmin(admin.ModelAdmin):
    list_display = (
        "changed_at",
        "response",
        "question",
        "item",
        "old_value",
        "new_value",
        "changed_by",
        "source",
    )
    list_filter = ("source",)
    readonly_fields = [f.name for f in AnswerChange._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "organisation", "role")
    list_filter = ("role", "organisation__kind")
    search_fields = ("user__username", "organisation__name")
    autocomplete_fields = ("organisation",)


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    """Staff invite a person: saving sends the e-mail with the single-use link."""

    list_display = ("email", "organisation", "role", "created_at", "accepted_at")
    fields = ("organisation", "email", "role")
    autocomplete_fields = ("organisation",)

    def get_readonly_fields(self, request, obj=None):
        return ("organisation", "email", "role") if obj else ()

    def save_model(self, request, obj, form, change) -> None:
        if change:
            return
        invitation, url = invitation_create(
            organisation=obj.organisation,
            email=obj.email,
            role=obj.role,
            by=request.user,
            base_url=site_url(),
        )
        obj.pk, obj.nonce, obj.created_at = (
            invitation.pk,
            invitation.nonce,
            invitation.created_at,
        )
        messages.info(request, _("Invitation sent. Link: %(url)s") % {"url": url})


@admin.register(ContactPerson)
class ContactPersonAdmin(admin.ModelAdmin):
    list_display = ("name", "email", "phone", "organisation")
    search_fields = ("name", "email", "organisation__name")
    autocomplete_fields = ("organisation",)


@admin.register(Participation)
class ParticipationAdmin(admin.ModelAdmin):
    list_display = ("organisation", "questionnaire", "invited_at", "closes_on")
    list_filter = ("questionnaire",)
    search_fields = ("organisation__name", "organisation__code")

    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        if "closes_on" in form.changed_data:
            # An extension's deadline is printed on the blank form, made ahead.
            announce_questionnaire_published(questionnaire_id=obj.questionnaire_id)


@admin.register(EmailLog)
class EmailLogAdmin(admin.ModelAdmin):
    list_display = (
        "sent_at",
        "kind",
        "recipient",
        "organisation",
        "questionnaire",
        "key",
    )
    list_filter = ("kind", "questionnaire")
    search_fields = ("recipient", "organisation__name")
    readonly_fields = [f.name for f in EmailLog._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ResponseEvent)
class ResponseEventAdmin(admin.ModelAdmin):
    list_display = ("at", "kind", "response", "by", "reason")
    list_filter = ("kind",)
    readonly_fields = [f.name for f in ResponseEvent._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(QuestionnaireEvent)
class QuestionnaireEventAdmin(admin.ModelAdmin):
    list_display = ("at", "kind", "questionnaire", "by", "detail")
    readonly_fields = [f.name for f in QuestionnaireEvent._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ImportUpload)
class ImportUploadAdmin(admin.ModelAdmin):
    """Files uploaded on the import page; delete the ones left waiting."""

    list_display = ("created_at", "file_name", "questionnaire", "uploaded_by", "status")
    list_filter = ("status",)
    exclude = ("content",)
    readonly_fields = [f.name for f in ImportUpload._meta.fields if f.name != "content"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(InvitationBatch)
class InvitationBatchAdmin(admin.ModelAdmin):
    """Invitation e-mails asked for; not done: waiting for the requeue (Redis down)."""

    list_display = ("requested_at", "questionnaire", "requested_by", "done_at")
    list_filter = ("questionnaire",)
    readonly_fields = [f.name for f in InvitationBatch._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
