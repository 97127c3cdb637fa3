"""The data model: the Arrow schemas of distillguard's tables, one module per kind of table.

Each table is a tuple of :class:`~distillguard.schema.column.Column` rows (name, Arrow type,
nullability, group, meaning), with the ``pa.Schema`` built from them: the calls of the log
(``interactions``), the data given beside it (``accounts``, ``ip_info``), labels
(``labels``), the records ingest refused (``quarantine``) and what a scan writes
(``results``). ``catalogue.TABLES`` lists them for ``docs/data-model.md``, which is generated
from these rows (``distillguard.reference``), so the documentation cannot drift from the code.
"""
