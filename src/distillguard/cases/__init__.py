"""Cases: a flagged cluster's evidence, frozen when an analyst opens a case on it.

A case is a folder under ``<workspace>/cases/<case_id>/`` holding copies of everything the
latest scan knew about the cluster (its row, its members' scores and attributes, every call
of the accounts in the case, the shared entities, the features, the analysts' labels) as
Parquet files, and ``case.json``, which names them with their SHA-256. Opening, attaching and
exporting are recorded in the evidence ledger as ``case`` entries, so the frozen files can be
shown later to be the ones recorded when the case was opened.
"""
