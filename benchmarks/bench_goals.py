"""How parse_goal's time grows with the length of the text: it must stay linear (no regex backtracking).

Run: python benchmarks/bench_goals.py
Each row parses a text of the given size (the articles' example goal repeated, then a hostile string of digits,
separators and time words); the ratio column compares the time per kilobyte with the 1 kB row of the same run.
"""

import timeit
from datetime import date

from mopskit.goals import assess_goal, parse_goal

TODAY = date(2026, 11, 1)
GOAL = "We will increase total email clicks by 25% within a year. "
HOSTILE = "1,2.3 - / next of Q $ % by the end of "


def per_call(text: str, func) -> float:
    runs = max(1, int(2_000 / max(len(text) / 1_000, 1)))
    return min(timeit.repeat(lambda: func(text, today=TODAY), number=max(1, runs // 20), repeat=3)) / max(1, runs // 20)


if __name__ == "__main__":
    print("| text | size | parse_goal (ms) | ms per kB | per kB vs 1 kB | assess_goal (ms) |")
    print("|---|---|---|---|---|---|")
    for name, unit in (("goal sentences", GOAL), ("hostile", HOSTILE)):
        base = None
        for size in (1_000, 10_000, 100_000):
            text = (unit * (size // len(unit) + 1))[:size]
            parse = per_call(text, parse_goal) * 1000
            assess = per_call(text, assess_goal) * 1000
            per_kb = parse / (size / 1000)
            base = base or per_kb
            print(f"| {name} | {size // 1000} kB | {parse:.1f} | {per_kb:.2f} | {per_kb / base:.2f}x | {assess:.1f} |")
    single = per_call(GOAL.strip(), parse_goal) * 1e6
    print(f"\nOne goal sentence ({len(GOAL.strip())} characters): {single:.0f} µs per parse_goal call.")
