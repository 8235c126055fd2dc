"""Charts: compute the plotted numbers, describe them in words, draw them once.

Each chart kind has its own module with ``prepare`` (the numbers to plot, the
table beneath and the alt text, all computed without matplotlib) and
``draw`` (the figure). Drawing is deterministic and cached by ``cache``.
"""
