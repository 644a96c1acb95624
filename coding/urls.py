from django.urls import path

from coding import views

app_name = "coding"
urlpatterns = [
    path("personal/kodning/", views.index, name="index"),
    path(
        "personal/kodning/fraga/<int:question_pk>/<int:index>/starta/",
        views.codebook_start,
        name="codebook-start",
    ),
    path("personal/kodning/<int:pk>/kodbok/", views.codebook, name="codebook"),
    path(
        "personal/kodning/<int:pk>/tema/<int:theme_pk>/",
        views.theme_edit,
        name="theme-edit",
    ),
    path("personal/kodning/<int:pk>/", views.code, name="code"),
    path(
        "personal/kodning/<int:pk>/svar/<int:response_pk>/",
        views.code_answer,
        name="code-answer",
    ),
    path(
        "personal/kodning/<int:pk>/svar/<int:response_pk>/citat/",
        views.quote,
        name="quote",
    ),
    path("personal/kodning/<int:pk>/blint/", views.blind, name="blind"),
    path(
        "personal/kodning/<int:pk>/overensstammelse/",
        views.agreement,
        name="agreement",
    ),
    path("personal/kodning/<int:pk>/historik/", views.history, name="history"),
]
