"""The dossier of a case: the bundle ``distillguard case export`` writes for counsel.

The bundle holds the case's records (JSON Lines, full or redacted), a report for a lawyer
(HTML, and PDF with the ``[pdf]`` extra), STIX 2.1 indicators for sharing, and a manifest
that ties every file to the evidence ledger under a signed tree head; ``case verify`` checks
it all offline. Every figure in the report is a query over the records in the bundle.
"""
