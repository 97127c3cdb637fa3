"""A red-team test world: attackers who know the documented rules, and legitimate customers
whose ordinary workloads trip them. Written without the detector's or simulator's code."""
