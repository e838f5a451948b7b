"""Printed code slips (答题码): the link as text beside the QR code for those who type it,
and no name on a slip of an anonymous (不记名) questionnaire."""

import re

import pytest

from surveys.models import AccessMode
from tests.factories import QuestionnaireFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("mode", [AccessMode.PERSONAL, AccessMode.SHEET])
def test_each_slip_prints_its_link_and_no_name(client, office, mode):
    questionnaire = QuestionnaireFactory(access_mode=mode, codes=3)
    codes = list(questionnaire.codes.all())
    client.force_login(office)
    page = client.get(f"/questionnaires/{questionnaire.pk}/codes/").content.decode()
    slips = re.findall(r'data-testid="slip">(.*?)</div></div></div>', page, re.S)
    assert len(slips) == 3
    for slip, code in zip(slips, codes, strict=True):
        url = f"http://testserver/q/{questionnaire.public_token}/?c={code.code}"
        assert re.search(rf'data-testid="slip-url">{re.escape(url)}</div>', slip)
        assert "<svg" in slip and code.code in slip
        assert code.label not in slip  # 代表N or 第N张: never on the slip
    for code in codes:
        assert code.label not in page
