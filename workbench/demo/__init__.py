"""Demo data: two campaigns built through the same services the office uses.

1. A county campaign shaped like the 2017 one of seed 000: 12 subjects (6 on-site,
   6 written), the four stages in Aug–Nov of the current year, its stage following the
   calendar. Its duty reports were accepted and distributed before the meeting.
2. A second, smaller batch shaped like the district campaign of seed 002 (education,
   industry, health, rural revitalisation), placed around today so that its reports are
   being collected now: one missing, one accepted, one awaiting review, one returned.

People are invented. Every login has the password DEMO_PASSWORD.

One module per stage: people, preparation (campaigns, subjects, duty reports),
preliminary (assessment groups, investigation reports, the deputies' questionnaire),
review (meeting, ballots, tellers), rectification, briefings; `load` puts them together
in order; `files` makes the attached PDFs through core's one PDF path.
"""

from .files import demo_pdf
from .load import demo_load
from .people import DEMO_PASSWORD, LOGINS
from .preliminary import demo_questionnaire_codes
from .preparation import batch_campaign_name, county_campaign_name
from .rectification import plan_rows
from .review import DEMO_TELLER_PASSPHRASE, DEMO_TELLERS, demo_tellers_dir

_pdf = demo_pdf  # the name the city loader (demo_city.py) imports

__all__ = [
    "DEMO_PASSWORD",
    "DEMO_TELLERS",
    "DEMO_TELLER_PASSPHRASE",
    "LOGINS",
    "batch_campaign_name",
    "county_campaign_name",
    "demo_load",
    "demo_pdf",
    "demo_questionnaire_codes",
    "demo_tellers_dir",
    "plan_rows",
]
