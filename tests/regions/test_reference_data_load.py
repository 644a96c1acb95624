from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from regions.models import County, Organisation
from regions.services import DATA_DIR, reference_data_load

pytestmark = [pytest.mark.django_db, pytest.mark.empty_frame]


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    for name in ("regions.csv", "rss.csv", "municipalities.csv"):
        shutil.copy(DATA_DIR / name, tmp_path / name)
    return tmp_path


def test_load_creates_the_national_frame():
    reference_data_load()
    kinds = Organisation.Kind
    assert County.objects.count() == 21
    assert Organisation.objects.filter(kind=kinds.REGION).count() == 21
    assert Organisation.objects.filter(kind=kinds.RSS).count() == 24
    assert Organisation.objects.filter(kind=kinds.MUNICIPALITY).count() == 290
    gr = Organisation.objects.get(code="RSS-14-GR")
    assert gr.county.code == "14"
    assert Organisation.objects.get(code="1480").rss == gr  # Göteborg
    jamtland = Organisation.objects.get(code="23")
    assert jamtland.name == "Jämtland Härjedalen"
    assert jamtland.full_name == "Region Jämtland Härjedalen"
    assert jamtland.population == 132000


def test_load_twice_changes_nothing():
    reference_data_load()
    report = reference_data_load()
    assert Organisation.objects.count() == 335
    assert report.created == {}
    assert report.updated == {}
    assert report.unchanged["municipality"] == 290


def test_load_updates_a_changed_row(data_dir: Path):
    reference_data_load(directory=data_dir)
    path = data_dir / "regions.csv"
    path.write_text(
        path.read_text(encoding="utf-8").replace("2470000", "2500000"), encoding="utf-8"
    )
    report = reference_data_load(directory=data_dir)
    assert report.updated == {"region": 1}
    assert Organisation.objects.get(code="01").population == 2500000
    assert Organisation.objects.count() == 335


def test_unknown_county_code_is_refused_with_file_and_line(data_dir: Path):
    path = data_dir / "municipalities.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[3] = lines[3].replace(",01,", ",99,")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(ValidationError) as excinfo:
        reference_data_load(directory=data_dir)
    assert any(
        "municipalities.csv line 4: unknown county code '99'" in m
        for m in excinfo.value.messages
    )
    assert Organisation.objects.count() == 0


def test_command_reports_errors_and_exits_non_zero(data_dir: Path):
    (data_dir / "rss.csv").write_text("rss_code,name\nRSS-01,X\n", encoding="utf-8")
    with pytest.raises(Exception, match="missing column"):
        call_command("load_reference_data", directory=str(data_dir))
