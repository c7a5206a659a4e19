"""Speed figures of Smarketing Desktop, printed as JSON.

Every ``benchmarks/bench_*.py`` module has ``run(args) -> dict``; each figure is reported
beside a baseline measured in the same run on the same machine (an empty plan, the bare
library doing the same work, a plainly written reference), so the comparison holds
however fast the machine is. Targets come from the issues and are printed with the
figures; nothing here fails a build.

Run: ``python benchmarks/run.py [--only NAME] [--items N] [--repeat N]``.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def main() -> int:
    parser = argparse.ArgumentParser(description="Print Smarketing Desktop speed figures as JSON.")
    parser.add_argument("--only", action="append", help="run only bench_NAME (repeatable)")
    parser.add_argument("--items", type=int, default=10_000, help="items in the big plan")
    parser.add_argument("--repeat", type=int, default=7, help="repetitions per figure")
    args = parser.parse_args()
    names = sorted(p.stem for p in Path(__file__).parent.glob("bench_*.py"))
    if args.only:
        names = [n for n in names if n.removeprefix("bench_") in args.only]
    results = {}
    for name in names:
        module = importlib.import_module(f"benchmarks.{name}")
        results[name.removeprefix("bench_")] = module.run(args)
        print(f"benchmarks: {name} done", file=sys.stderr)
    print(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
