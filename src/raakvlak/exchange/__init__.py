"""Exchange: REFI-QDA export and import, tables and reports for analysis and writing.

* :func:`export_qdpx`, :func:`export_qdc`: a project or its codebook as REFI-QDA.
* :func:`import_qdpx`, :func:`import_qdc`: REFI-QDA files from ATLAS.ti, MAXQDA,
  NVivo, QualCoder (or raakvlak) into a project; see :class:`RefiImportReport`.
* :func:`quote_table`, :func:`write_quotes`, :func:`write_matrices`: tables for
  analysis (CSV, XLSX).
* :func:`write_report`: a Word report per code with definition, counts and quotes.
"""

from raakvlak.exchange.refi_export import export_qdc, export_qdpx
from raakvlak.exchange.refi_import import RefiImportReport, import_qdc, import_qdpx
from raakvlak.exchange.report import write_report
from raakvlak.exchange.tables import quote_table, write_matrices, write_quotes

__all__ = [
    "RefiImportReport",
    "export_qdc",
    "export_qdpx",
    "import_qdc",
    "import_qdpx",
    "quote_table",
    "write_matrices",
    "write_quotes",
    "write_report",
]
