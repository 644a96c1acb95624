from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView, TemplateView

from config import password_reset

urlpatterns = [
    # Pages without the icon link (the admin's) ask the browser's default address.
    path(
        "favicon.ico",
        RedirectView.as_view(url=static("favicon.svg"), permanent=True),
        name="favicon",
    ),
    path("admin/", admin.site.urls),
    path(
        "konto/logga-in/",
        auth_views.LoginView.as_view(template_name="registration/login.html"),
        name="login",
    ),
    path("konto/logga-ut/", auth_views.LogoutView.as_view(), name="logout"),
    # "Glömt lösenord?": Django's URL names, which its views redirect between.
    path(
        "konto/glomt-losenord/",
        password_reset.PasswordResetView.as_view(),
        name="password_reset",
    ),
    path(
        "konto/glomt-losenord/skickat/",
        password_reset.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "konto/nytt-losenord/<uidb64>/<token>/",
        password_reset.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "konto/nytt-losenord/klart/",
        password_reset.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    # The footer's pages, open to everyone.
    path(
        "personuppgifter/",
        TemplateView.as_view(template_name="pages/personal_data.html"),
        name="personal-data",
    ),
    path(
        "tillganglighet/",
        TemplateView.as_view(template_name="pages/accessibility.html"),
        name="accessibility",
    ),
    path("", include("aggregation.urls")),
    path("", include("coding.urls")),
    path("", include("reports.urls")),
    path("", include("surveys.urls")),
]
