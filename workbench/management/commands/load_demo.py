import time

from django.core.management.base import BaseCommand

from ...demo import (
    DEMO_PASSWORD,
    DEMO_TELLER_PASSPHRASE,
    DEMO_TELLERS,
    LOGINS,
    demo_load,
    demo_questionnaire_codes,
    demo_tellers_dir,
)


class Command(BaseCommand):
    help = "建立演示数据：一个仿照 2017 年某县述职评议的评议活动（12 名评议对象）及各角色的登录账号。可重复运行。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            choices=["county", "city"],
            default="county",
            help="county：县级演示数据（默认）；city：再扩充到市级规模（50 次评议活动、5000 名评议对象、500 名组成人员）",
        )

    def handle(self, *args, **options):
        if options["scale"] == "city":
            from ...demo_city import city_load

            start = time.perf_counter()
            city_load(log=self.stdout.write)
            self.stdout.write(f"市级规模演示数据用时 {time.perf_counter() - start:.0f} 秒。")
        campaign, created = demo_load()
        verb = "已建立" if created else "已存在，未改动"
        self.stdout.write(
            f"演示评议活动“{campaign.name}”{verb}（当前：{campaign.get_stage_display()}）。"
        )
        self.stdout.write(f"演示账号（密码均为 {DEMO_PASSWORD}）：")
        for role, username in LOGINS:
            self.stdout.write(f"  {username:<10} {role}")
        if campaign.subjects.filter(opinion__isnull=False).exists():
            self.stdout.write(
                "整改：s04（县发改委主任）的整改方案待 liaison 审核；s08 的方案被退回；s01 正在填报整改情况。"
            )
        survey = demo_questionnaire_codes(campaign.year)
        if survey:
            path, codes = survey
            self.stdout.write(
                f"人大代表征求意见问卷（手机打开）：http://127.0.0.1:8000{path}  可用答题码：{'、'.join(codes)}"
            )
        folder = demo_tellers_dir()
        if folder.exists():
            self.stdout.write(
                f"监票人（{'、'.join(DEMO_TELLERS)}）的演示监票密钥文件在 {folder}"
                f"（口令均为 {DEMO_TELLER_PASSPHRASE}）：以监票人登录，在“我的工作”载入即可试解密。"
            )
