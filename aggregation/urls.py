from django.urls import path

from aggregation import views, views_quality

app_name = "aggregation"
urlpatterns = [
    path("personal/aggregering/", views.runs, name="runs"),
    path(
        "personal/aggregering/<int:questionnaire_pk>/",
        views.tables,
        name="tables",
    ),
    path(
        "personal/aggregering/<int:questionnaire_pk>/kor/",
        views.run_request,
        name="run-request",
    ),
    path(
        "personal/kvalitet/<int:questionnaire_pk>/",
        views_quality.quality_list,
        name="quality-list",
    ),
]
