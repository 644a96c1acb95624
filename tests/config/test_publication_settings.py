"""The PDFs' publisher settings (AGENCY_NAME, PUBLICATION_DATE, ARTICLE_NUMBER): a value
that cannot be printed stops the site with the reason, before any PDF is made."""

from __future__ import annotations

from tests.config.test_deploy_checks import production_environment, run


def test_a_malformed_publication_date_stops_the_site_with_the_reason():
    result = run(
        ["manage.py", "check"], production_environment(PUBLICATION_DATE="12/6/2025")
    )

    assert result.returncode != 0
    assert "PUBLICATION_DATE='12/6/2025' is no date" in result.stderr
    assert "YYYY-MM-DD" in result.stderr


def test_an_article_number_too_long_for_the_foot_of_a_page_stops_the_site():
    result = run(
        ["manage.py", "check"],
        production_environment(ARTICLE_NUMBER="2025-" + "9" * 40),
    )

    assert result.returncode != 0
    assert "ARTICLE_NUMBER has 45 characters: at most 40" in result.stderr


def test_the_publisher_settings_are_read_from_the_environment():
    result = run(
        [
            "manage.py",
            "shell",
            "-c",
            "from django.conf import settings; "
            "print(settings.AGENCY_NAME, settings.PUBLICATION_DATE, settings.ARTICLE_NUMBER)",
        ],
        production_environment(
            AGENCY_NAME="Myndigheten för vårdanalys",
            PUBLICATION_DATE="2025-06-12",
            ARTICLE_NUMBER=" 2025-6-12 ",
        ),
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == (
        "Myndigheten för vårdanalys 2025-06-12 2025-6-12"
    )
