"""Peak memory and time of `mopskit data generate` at growing scales, each run in its own process.

Run: python benchmarks/bench_generate.py [SCALE ...]   (default: 1 22 220; 220 writes ~10 million email events)
The ratio column compares each run with the scale-1 run of the same invocation.
"""

import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def measure(scale: float) -> tuple[int, float, float]:
    with tempfile.TemporaryDirectory() as out:
        code = f"from mopskit.data.generate import generate; generate(scale={scale}, out_dir={out!r})"
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True)
        seconds = time.perf_counter() - started
        rows = sum(1 for _ in (Path(out) / "email_events.csv").open()) - 1
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # largest child so far
    return rows, seconds, peak_mb


if __name__ == "__main__":
    scales = [float(s) for s in sys.argv[1:]] or [1, 22, 220]
    base = None
    print("| scale | email events | seconds | time vs scale 1 | peak RSS (MB, max so far) |")
    print("|---|---|---|---|---|")
    for scale in scales:
        rows, seconds, peak = measure(scale)
        base = base or seconds
        print(f"| {scale:g} | {rows:,} | {seconds:.1f} | {seconds / base:.1f}x | {peak:.0f} |")
