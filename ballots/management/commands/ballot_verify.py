from django.core.management.base import BaseCommand, CommandError

from ballots.models import Ballot, BallotScheme
from ballots.services import ballot_check
from ballots.services.record import ballot_check_lines


class Command(BaseCommand):
    help = (
        "核验已公布的测评：按数据库重建计票记录，重算每个证明、合计、解密、票数、满意率和"
        "测评结果，并与页面和 Excel 显示的结果比对。发现问题时退出码为 1。"
    )

    def add_arguments(self, parser):
        parser.add_argument("ballot", type=int, help="测评编号")

    def handle(self, *args, ballot, **options):
        found = Ballot.objects.filter(pk=ballot).first()
        if found is None:
            raise CommandError(f"没有编号为 {ballot} 的测评。")
        if found.scheme == BallotScheme.PAILLIER:
            self.stdout.write("旧加密方式（服务器密钥）的测评：核对存储选票之积与公布的网上票数。")
            problems = ballot_check(ballot=found)
        else:
            lines = ballot_check_lines(ballot=found)
            for ok, message in lines:
                if ok:
                    self.stdout.write(f"OK    {message}")
            problems = [message for ok, message in lines if not ok]
        if problems:
            for problem in problems:
                self.stdout.write(f"FAIL  {problem}")
            raise CommandError("核验未通过。")
        self.stdout.write(f"PASS  “{found}”核对一致。")
