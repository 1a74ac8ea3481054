"""`python -m bot`, the twin of the `release-train` console script."""

from bot.cli import main

if __name__ == "__main__":
    main()
