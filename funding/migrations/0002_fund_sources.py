"""The eight kinds of fund source the programme reports (NTM_FACTS §4): created once if
missing, so every installation can record funds; coordinators may rename or add
sources in the admin afterwards (never overwritten). The same rows are in
``funding/fixtures/fund_sources.json`` for ``manage.py load_missing fund_sources`` (a
flushed database, the demo)."""

from django.db import migrations

SOURCES = [
    ("ngan-sach-trung-uong", "Ngân sách trung ương", "central"),
    ("ngan-sach-tinh", "Ngân sách tỉnh", "provincial"),
    ("ngan-sach-huyen", "Ngân sách huyện", "district"),
    ("ngan-sach-xa", "Ngân sách xã", "commune"),
    ("long-ghep", "Vốn lồng ghép các chương trình, dự án", "integrated"),
    ("tin-dung", "Vốn tín dụng", "credit"),
    ("doanh-nghiep", "Vốn doanh nghiệp", "enterprise"),
    ("cong-dong", "Đóng góp của cộng đồng dân cư", "community"),
]


def create_sources(apps, schema_editor):
    FundSource = apps.get_model("funding", "FundSource")
    for position, (code, name, kind) in enumerate(SOURCES, start=1):
        FundSource.objects.get_or_create(
            code=code, defaults={"name": name, "kind": kind, "position": position * 10}
        )


class Migration(migrations.Migration):
    dependencies = [("funding", "0001_initial")]

    operations = [migrations.RunPython(create_sources, migrations.RunPython.noop)]
