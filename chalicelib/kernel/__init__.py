"""The shared kernel: markets, money, stages, settings and AWS clients; it imports no product."""
