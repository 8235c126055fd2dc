import signal
import sys

try:
    from .cli import main

    status = main()
except KeyboardInterrupt:  # also while the heavy libraries are still loading
    print("interrupted; the previous site was left as it was", file=sys.stderr)
    status = 130
# The work is done (or abandoned) by now: a Ctrl-C during the interpreter's
# teardown would otherwise kill the process silently with the wrong status.
signal.signal(signal.SIGINT, signal.SIG_IGN)
raise SystemExit(status)
