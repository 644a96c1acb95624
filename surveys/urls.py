from django.urls import path

from surveys import (
    views,
    views_compilation,
    views_fieldwork,
    views_staff,
    views_staff_cycle,
)

app_name = "surveys"
urlpatterns = [
    path("", views.home, name="home"),
    path(
        "enkat/<int:questionnaire_pk>/<str:org_code>/starta/",
        views.response_start,
        name="response-start",
    ),
    path(
        "svar/<int:pk>/avsnitt/<int:position>/",
        views.response_section,
        name="response-section",
    ),
    path("svar/<int:pk>/granska/", views.response_review, name="response-review"),
    path("svar/<int:pk>/skicka-in/", views.response_submit, name="response-submit"),
    path(
        "svar/<int:pk>/sammanfattning/",
        views.response_summary,
        name="response-summary",
    ),
    path(
        "svar/<int:pk>/hamta-kommunsvar/",
        views_compilation.response_prefill,
        name="response-prefill",
    ),
    path("inbjudan/<str:token>/", views.invitation_accept, name="invitation-accept"),
    path(
        "personal/enkater/<int:pk>/",
        views.staff_questionnaire,
        name="staff-questionnaire",
    ),
    path("personal/import/", views_staff.import_upload, name="staff-import"),
    path(
        "personal/import/<uuid:pk>/",
        views_staff.import_preview,
        name="staff-import-preview",
    ),
    # Fieldwork: contact persons, invitations, deadlines (views_fieldwork)
    path(
        "kontaktpersoner/<str:org_code>/",
        views_fieldwork.contacts,
        name="contacts",
    ),
    path(
        "kontaktpersoner/<str:org_code>/<int:pk>/ta-bort/",
        views_fieldwork.contact_delete,
        name="contact-remove",
    ),
    path("personal/utskick/", views_fieldwork.staff_fieldwork, name="staff-fieldwork"),
    path(
        "personal/enkater/<int:pk>/inbjudningar/",
        views_fieldwork.staff_invitations,
        name="staff-invitations",
    ),
    path(
        "personal/enkater/<int:pk>/forlang/<str:org_code>/",
        views_fieldwork.staff_extend,
        name="staff-extend",
    ),
    path(
        "rss/<str:code>/inbjudningar/",
        views_fieldwork.area_invitations,
        name="area-invitations",
    ),
    # Running the cycle (views_staff_cycle)
    path("personal/omgangar/", views_staff_cycle.cycle_list, name="staff-cycles"),
    path(
        "personal/omgangar/kopiera/",
        views_staff_cycle.cycle_copy,
        name="staff-cycle-copy",
    ),
    path(
        "personal/enkater/<int:pk>/redigera/",
        views_staff_cycle.questionnaire_edit,
        name="staff-questionnaire-edit",
    ),
    path(
        "personal/enkater/<int:pk>/svarsfrekvens/",
        views_staff_cycle.questionnaire_rates,
        name="staff-rates",
    ),
    path(
        "personal/enkater/<int:pk>/las/",
        views_staff_cycle.questionnaire_lock,
        name="staff-questionnaire-lock",
    ),
    path(
        "personal/enkater/<int:pk>/las-upp/",
        views_staff_cycle.questionnaire_unlock,
        name="staff-questionnaire-unlock",
    ),
    path(
        "personal/extra-fraga/",
        views_staff_cycle.extra_question_create,
        name="staff-extra-question",
    ),
    path(
        "svar/<int:pk>/oppna-igen/",
        views_staff_cycle.response_reopen,
        name="response-reopen",
    ),
    path(
        "svar/<int:pk>/historik/",
        views_staff_cycle.response_audit,
        name="response-audit",
    ),
    path(
        "rss/<str:code>/svarsfrekvens/",
        views_staff_cycle.area_rates,
        name="area-rates",
    ),
]
