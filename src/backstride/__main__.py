"""Run backstride as `python -m backstride`."""

from backstride.cli.app import main

if __name__ == "__main__":
    main()
