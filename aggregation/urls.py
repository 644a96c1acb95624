from django.urls import path

from aggregation import views

app_name = "aggregation"
urlpatterns = [
    path("personal/aggregering/", views.runs, name="runs"),
    # The retired tables page (its tables are on reports:results): for old bookmarks.
    path(
        "personal/aggregering/<int:questionnaire_pk>/",
        views.tables_moved,
        name="tables-moved",
    ),
    path(
        "personal/aggregering/<int:questionnaire_pk>/kor/",
        views.run_request,
        name="run-request",
    ),
    path(
        "personal/publicerade-varden/",
        views.published_upload,
        name="published-upload",
    ),
    path(
        "personal/publicerade-varden/<uuid:pk>/",
        views.published_preview,
        name="published-preview",
    ),
    path(
        "personal/kvalitet/<int:questionnaire_pk>/",
        views.quality_list,
        name="quality-list",
    ),
]
