import sys

try:
    from .cli import main

    status = main()
except KeyboardInterrupt:  # also while the heavy libraries are still loading
    print("interrupted; the previous site was left as it was", file=sys.stderr)
    status = 130
raise SystemExit(status)
