import time

from django.core.management.base import BaseCommand, CommandParser

from apps.support.fake import generate


class Command(BaseCommand):
    help = (
        "Create N made-up customer profiles (organisations, contacts, recipient accounts and "
        "domains with gateway facts, From addresses, some history) for demos and benchmarks. "
        "Every domain is under .example."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("count", type=int, help="How many profiles to create.")
        parser.add_argument("--seed", type=int, default=None, help="Repeatable output.")
        parser.add_argument("--batch-size", type=int, default=2000)
        parser.add_argument(
            "--history-sample",
            type=int,
            default=50,
            help="How many profiles to create the slow way, with a history of changes.",
        )

    def handle(self, *args: object, **options: int) -> None:
        started = time.monotonic()
        count = max(options["count"], 0)
        step = max(count // 10, options["batch_size"])

        def progress(done: int) -> None:
            if done % step < options["batch_size"] or done == count:
                self.stdout.write(f"  {done:,} / {count:,}")

        created = generate(
            count,
            seed=options["seed"],
            batch_size=max(options["batch_size"], 1),
            history_sample=max(options["history_sample"], 0),
            progress=progress if options["verbosity"] > 1 or count >= 10_000 else None,
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Created {created:,} profiles in {time.monotonic() - started:.1f} s."
            )
        )
