from django.urls import path

from surveys.views import (
    audit,
    compilation,
    cycles,
    fieldwork,
    home,
    imports,
    invitations,
    questionnaires,
    rates,
    responses,
    transitions,
)

app_name = "surveys"
urlpatterns = [
    path("", home.home, name="home"),
    path(
        "enkat/<int:questionnaire_pk>/<str:org_code>/starta/",
        responses.response_start,
        name="response-start",
    ),
    path(
        "svar/<int:pk>/avsnitt/<int:position>/",
        responses.response_section,
        name="response-section",
    ),
    path("svar/<int:pk>/granska/", responses.response_review, name="response-review"),
    path("svar/<int:pk>/skicka-in/", responses.response_submit, name="response-submit"),
    path(
        "svar/<int:pk>/sammanfattning/",
        responses.response_summary,
        name="response-summary",
    ),
    path(
        "svar/<int:pk>/hamta-kommunsvar/",
        compilation.response_prefill,
        name="response-prefill",
    ),
    path(
        "inbjudan/<str:token>/", invitations.invitation_accept, name="invitation-accept"
    ),
    path(
        "personal/enkater/<int:pk>/",
        questionnaires.staff_questionnaire,
        name="staff-questionnaire",
    ),
    path("personal/import/", imports.import_upload, name="staff-import"),
    path(
        "personal/import/<uuid:pk>/",
        imports.import_preview,
        name="staff-import-preview",
    ),
    # Fieldwork: contact persons, invitations, deadlines
    path(
        "kontaktpersoner/<str:org_code>/",
        fieldwork.contacts,
        name="contacts",
    ),
    path(
        "kontaktpersoner/<str:org_code>/<int:pk>/ta-bort/",
        fieldwork.contact_delete,
        name="contact-remove",
    ),
    path("personal/utskick/", fieldwork.staff_fieldwork, name="staff-fieldwork"),
    path(
        "personal/enkater/<int:pk>/inbjudningar/",
        fieldwork.staff_invitations,
        name="staff-invitations",
    ),
    path(
        "personal/enkater/<int:pk>/forlang/<str:org_code>/",
        fieldwork.staff_extend,
        name="staff-extend",
    ),
    path(
        "rss/<str:code>/inbjudningar/",
        fieldwork.area_invitations,
        name="area-invitations",
    ),
    # Running the cycle
    path("personal/omgangar/", cycles.cycle_list, name="staff-cycles"),
    path(
        "personal/omgangar/kopiera/",
        cycles.cycle_copy,
        name="staff-cycle-copy",
    ),
    path(
        "personal/enkater/<int:pk>/redigera/",
        cycles.questionnaire_edit,
        name="staff-questionnaire-edit",
    ),
    path(
        "personal/enkater/<int:pk>/svarsfrekvens/",
        rates.questionnaire_rates,
        name="staff-rates",
    ),
    path(
        "personal/enkater/<int:pk>/las/",
        transitions.questionnaire_lock,
        name="staff-questionnaire-lock",
    ),
    path(
        "personal/enkater/<int:pk>/las-upp/",
        transitions.questionnaire_unlock,
        name="staff-questionnaire-unlock",
    ),
    path(
        "personal/extra-fraga/",
        cycles.extra_question_create,
        name="staff-extra-question",
    ),
    path(
        "svar/<int:pk>/oppna-igen/",
        transitions.response_reopen,
        name="response-reopen",
    ),
    path(
        "svar/<int:pk>/historik/",
        audit.response_audit,
        name="response-audit",
    ),
    path(
        "rss/<str:code>/svarsfrekvens/",
        rates.area_rates,
        name="area-rates",
    ),
]
