"""Detection: signals, account features, links, clusters, scores (the batch scan)."""
