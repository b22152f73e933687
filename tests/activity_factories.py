"""Activities for tests: recorded through the service, as the form does."""

import datetime

from cadres.models import Unit
from reports.monthly.events import KEEP, activity_save
from tests.factories import system_admin


def activity_values(**values) -> dict:
    return {"date": datetime.date(2020, 11, 10), "kind": "pertemuan", "place": "Balai desa", "topics": [],
            "speaker": "", "speaker_institution": "", "audience": "", "attendance": 10, "summary": ""} | values


def make_activity(code, follow_ups=(), photo=None, by=None, **values):
    return activity_save(unit=Unit.objects.get(code=code), by=by or system_admin(), values=activity_values(**values),
                         follow_ups=follow_ups, photo=KEEP if photo is None else photo)
