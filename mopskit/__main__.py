"""Run the mopskit command: python -m mopskit."""

from mopskit.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
