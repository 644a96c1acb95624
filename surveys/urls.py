from django.urls import path

from surveys import views, views_staff

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
    path("inbjudan/<str:token>/", views.invitation_accept, name="invitation-accept"),
    path(
        "personal/enkater/<int:pk>/",
        views.staff_questionnaire,
        name="staff-questionnaire",
    ),
    path("personal/import/", views_staff.import_upload, name="staff-import"),
]
