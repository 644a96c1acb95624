from __future__ import annotations

import pytest
from django.contrib import admin

from surveys.models import Answer, ImportUpload, Response

pytestmark = pytest.mark.django_db


def test_the_admin_offers_no_way_to_write_answers(rf, staff):
    """Answers get in through the form, the paper path and the import only."""
    request = rf.get("/admin/")
    request.user = staff
    response_admin = admin.site._registry[Response]

    assert Answer not in admin.site._registry
    assert set(response_admin.get_readonly_fields(request)) >= {
        f.name for f in Response._meta.fields
    }
    assert not response_admin.inlines


def test_the_admin_lists_import_uploads_without_their_content(rf, staff):
    request = rf.get("/admin/")
    request.user = staff
    upload_admin = admin.site._registry[ImportUpload]

    assert not upload_admin.has_add_permission(request)
    assert not upload_admin.has_change_permission(request)
    assert "content" not in upload_admin.get_fields(request)
