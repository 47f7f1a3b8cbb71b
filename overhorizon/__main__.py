"""Allow ``python -m overhorizon``."""

from overhorizon.cli import main

if __name__ == "__main__":
    main()
