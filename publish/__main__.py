import sys

from .cli import main

# Guarded: a worker process started fresh (spawn) imports the main module again.
if __name__ == "__main__":
    sys.exit(main())
