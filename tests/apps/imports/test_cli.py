"""`cultivate import`: progress on stderr, a summary table, exit 1 with a reason on problems."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from cultivate.apps.accounts.models import User
from cultivate.apps.communities.models import Community
from cultivate.apps.communities.permissions import is_coordinator
from cultivate.apps.communities.services import community_create
from cultivate.apps.sharing.models import Post, Question
from cultivate.cli.main import app

runner = CliRunner()


def test_import_loads_an_export_and_prints_a_summary(
    data_dir: Path, community: Community, coordinator: User
) -> None:
    path = data_dir / "ml-numpy-discussion" / "2001-November.txt"
    result = runner.invoke(app, ["import", str(path), "--community", community.slug])
    assert result.exit_code == 0, result.output
    assert "questions" in result.output
    assert "skipped as already imported" in result.output
    asked = Question.objects.filter(community=community).count()
    assert asked > 0

    again = runner.invoke(
        app, ["import", str(path), "--community", community.slug, "--by", coordinator.username]
    )
    assert again.exit_code == 0, again.output
    assert Question.objects.filter(community=community).count() == asked


def test_import_pseudonymises_people_unless_told_to_keep_names(
    data_dir: Path, community: Community, coordinator: User
) -> None:
    path = data_dir / "ml-numpy-discussion" / "2001-November.txt"
    result = runner.invoke(app, ["import", str(path), "-c", community.slug])
    assert result.exit_code == 0, result.output
    assert "imported under pseudonyms" in result.output
    people = User.objects.filter(imported_identities__isnull=False)
    assert people.exists()
    assert all(p.email.endswith("@imported.invalid") for p in people)
    assert all(p.display_name.startswith("Member ") for p in people)

    before = sorted(people.values_list("pk", "display_name", "email"))
    other = community_create(by=coordinator, name="NumPy", practice="numerics")
    again = runner.invoke(app, ["import", str(path), "-c", other.slug, "--keep-names"])
    assert again.exit_code == 0, again.output
    assert "keep the names" in again.output
    # The same people, found again: no new account, and no name changed.
    assert sorted(people.values_list("pk", "display_name", "email")) == before


def test_import_create_makes_a_private_community_with_the_importer_as_coordinator(
    data_dir: Path, coordinator: User
) -> None:
    path = data_dir / "ml-3gpp-listserv-mbox"
    result = runner.invoke(
        app, ["import", str(path), "-c", "threegpp", "--create", "--by", coordinator.username]
    )
    assert result.exit_code == 0, result.output
    created = Community.objects.get(slug="threegpp")
    assert created.is_private
    assert is_coordinator(coordinator, created)
    assert Post.objects.filter(community=created).exists()


def test_import_exits_1_with_a_reason_on_a_bad_file_or_a_non_coordinator(
    tmp_path: Path, community: Community, member: User, data_dir: Path
) -> None:
    bad = tmp_path / "list.mbox"
    bad.write_bytes(b"not mail at all\n")
    result = runner.invoke(app, ["import", str(bad), "-c", community.slug, "--source", "mbox"])
    assert result.exit_code == 1
    assert "Cannot read the export" in result.output
    assert "Nothing was imported" in result.output

    path = data_dir / "ml-3gpp-listserv-mbox"
    refused = runner.invoke(app, ["import", str(path), "-c", community.slug, "--by", "mia"])
    assert refused.exit_code == 1
    assert "Not allowed" in refused.output
    assert not Post.objects.filter(community=community).exists()

    missing = runner.invoke(app, ["import", str(path), "-c", "no-such-community"])
    assert missing.exit_code == 1
    assert "--create" in missing.output
    nobody = runner.invoke(app, ["import", str(path), "-c", community.slug, "--by", "ghost"])
    assert nobody.exit_code == 1
    assert "ghost" in nobody.output
