"""Print every indicator of a year with its published and computed values, and
mark each difference."""

from django.core.management.base import BaseCommand

from gender.selectors import indicator_lines


def _fmt(value) -> str:
    return "-" if value is None else f"{value.normalize():f}"


class Command(BaseCommand):
    help = "Compare the published and the computed value of every indicator for a year."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True)

    def handle(self, *args, year: int, **options):
        lines = indicator_lines(year=year)
        width = max(len(line.indicator.code) for line in lines)
        self.stdout.write(f"{'indicator':<{width}}  {'computed':>10}  {'published':>10}  section")
        differences = 0
        for line in lines:
            computed = _fmt(line.computed) if not line.indicator.is_manual else "manual"
            if line.manual is not None:
                computed = f"{_fmt(line.manual.value)} (m)"
            published = line.published or [None]
            for value in published:
                differs = value is not None and value in line.differences
                differences += differs
                mark = "  DIFFERS" if differs else ""
                self.stdout.write(
                    f"{line.indicator.code:<{width}}  {computed:>10}  "
                    f"{_fmt(value.value) if value else '-':>10}  {value.section if value else ''}{mark}"
                )
        self.stdout.write(f"{len(lines)} indicators, {differences} published values differ from the records.")
