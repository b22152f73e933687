"""Counts every status row already on the register by the new rule (`cadres.register.kinds`):
PB, PB pasca, ganti cara, drop-out or nothing, kept in `kind` and `is_pb`.

What it cannot know, and assumes:
- whether a couple's first row, when it is a method, was her first use: the register never asked.
  Every such couple counts as a continuing user (peserta lama), so its first row is no longer a PB.
  This is the point of the change (a cadre writing in her RT's existing users made them all PB);
  a cadre who did write in a true new user can say so on the couple's edit page, which recounts.
- whether a couple written in as non-users had used a method before: they count as never having
  used one (`ever_used` False), so their first method later stays a PB, as it was counted before.
- whether a method after IAS/IAT/TIAL followed a pregnancy the register did not record: it counts
  as a restart after a drop-out (neither PB nor GC), as the new rule says.

Rows are read in couple and date order and written back in batches; the history tables are not
touched (the recount is not an edit by anyone).
"""

from itertools import groupby

from django.db import migrations

from cadres.register.kinds import CONTINUING, PB_KINDS, row_kinds

BATCH = 2000


def recount(apps, schema_editor):
    CoupleStatus = apps.get_model("cadres", "CoupleStatus")
    rows = CoupleStatus.objects.order_by("couple_id", "since").only("couple_id", "status", "kind", "is_pb")
    changed = []
    for _couple, statuses in groupby(rows.iterator(chunk_size=BATCH), key=lambda row: row.couple_id):
        statuses = list(statuses)
        kinds = row_kinds([row.status for row in statuses], first=CONTINUING, ever_used=False)
        for row, kind in zip(statuses, kinds, strict=True):
            if (row.kind, row.is_pb) != (kind, kind in PB_KINDS):
                row.kind, row.is_pb = kind, kind in PB_KINDS
                changed.append(row)
        if len(changed) >= BATCH:
            CoupleStatus.objects.bulk_update(changed, ["kind", "is_pb"])
            changed = []
    CoupleStatus.objects.bulk_update(changed, ["kind", "is_pb"])


class Migration(migrations.Migration):
    dependencies = [
        ("cadres", "0009_status_kinds"),
    ]

    operations = [
        migrations.RunPython(recount, migrations.RunPython.noop),
    ]
