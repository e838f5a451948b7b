import json

from django.core.management.base import BaseCommand, CommandError

from ballots.models import Ballot, BallotScheme
from ballots.selectors import ballot_results_visible
from ballots.services.record import ballot_record


class Command(BaseCommand):
    help = "打印已公布测评的计票记录（JSON），可用 python tools/verify_ballot.py 独立核验。"

    def add_arguments(self, parser):
        parser.add_argument("ballot", type=int, help="测评编号")

    def handle(self, *args, ballot, **options):
        found = Ballot.objects.filter(pk=ballot).first()
        if found is None:
            raise CommandError(f"没有编号为 {ballot} 的测评。")
        if not ballot_results_visible(found):
            raise CommandError("测评尚未公布，没有计票记录。")
        if found.scheme != BallotScheme.ELGAMAL:
            raise CommandError("这是旧加密方式（服务器密钥）的测评，没有监票人计票记录。")
        self.stdout.write(json.dumps(ballot_record(found), ensure_ascii=False, indent=1))
