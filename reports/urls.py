from django.urls import path

from reports import free_text_views, views

app_name = "reports"
urlpatterns = [
    path("personal/rapporter/", views.index, name="index"),
    path(
        "personal/rapporter/nyckeltal/",
        views.key_figures_fill,
        name="key-figures",
    ),
    path(
        "personal/rapporter/<int:questionnaire_pk>/",
        views.results,
        name="results",
    ),
    path(
        "personal/rapporter/<int:questionnaire_pk>/diagram/<int:run_pk>/<str:kind>/"
        "<str:key>/",
        views.results_chart,
        name="results-chart",
    ),
    path(
        "personal/rapporter/<int:questionnaire_pk>/exportera/",
        views.export_start,
        name="export-start",
    ),
    path(
        "personal/rapporter/<int:questionnaire_pk>/region/<str:code>/",
        views.region_profile,
        name="region-profile",
    ),
    path(
        "personal/rapporter/<int:questionnaire_pk>/region/<str:code>/pdf/",
        views.region_profile_pdf,
        name="region-profile-pdf",
    ),
    path("personal/rapporter/jobb/<int:pk>/", views.job_status, name="job-status"),
    path(
        "personal/rapporter/jobb/<int:pk>/ladda-ner/",
        views.job_download,
        name="job-download",
    ),
    path(
        "personal/fritext/",
        free_text_views.staff_free_text,
        name="staff-free-text",
    ),
    path(
        "rss/<str:code>/fritext/",
        free_text_views.area_free_text_index,
        name="area-free-text",
    ),
    path(
        "rss/<str:code>/fritext/<int:questionnaire_pk>/<str:question>/",
        free_text_views.area_free_text_question,
        name="area-free-text-question",
    ),
    path(
        "personal/rapporter/teman/<int:codebook_pk>/",
        views.theme_counts,
        name="theme-counts",
    ),
    path(
        "personal/rapporter/<int:questionnaire_pk>/kodning.<str:fmt>",
        views.codings_export,
        name="codings-export",
    ),
    path("dokument/<int:pk>/", views.document, name="document"),
    path("dokument/<int:pk>/status/", views.document_status, name="document-status"),
    path(
        "dokument/<int:pk>/ladda-ner/",
        views.document_download,
        name="document-download",
    ),
    path("svar/<int:pk>/kvitto.pdf", views.receipt_pdf, name="receipt-pdf"),
    path(
        "enkat/<int:questionnaire_pk>/blankett.pdf",
        views.questionnaire_pdf,
        name="questionnaire-pdf",
    ),
]
