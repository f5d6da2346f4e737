"""Vendor exports read into the kit's tables: recognised by their headers, no configuration needed.

The kit recognises HubSpot contacts and email events, Mailchimp audience exports (subscribed, unsubscribed and
cleaned), Salesforce campaign members, Marketo bulk activity extracts, GA4 BigQuery event exports (JSON lines
or Parquet) and its own stack inventory. Each file is read into one of the tables in :data:`TABLES` (DuckDB, so
a file of millions of rows never enters pandas) with a note of the columns read and ignored; a file the kit
does not recognise is read through a mapping file (see :mod:`mopskit.data.exports._mapping`).

>>> from mopskit.data.exports import LAYOUTS
>>> [layout.vendor for layout in LAYOUTS][:3]
['HubSpot', 'HubSpot', 'Mailchimp']
"""

from __future__ import annotations

from ._import import INVENTORY, ImportedFile, Imports, import_exports, read_export, recognise
from ._layout import Field, Layout, valid_email_sql
from ._mapping import MappedFile, load_mapping
from ._tables import TABLES, table_columns
from .vendors import LAYOUTS, STAGES, describe_layouts, layout

__all__ = [
    "INVENTORY",
    "LAYOUTS",
    "STAGES",
    "TABLES",
    "Field",
    "ImportedFile",
    "Imports",
    "Layout",
    "MappedFile",
    "describe_layouts",
    "import_exports",
    "layout",
    "load_mapping",
    "read_export",
    "recognise",
    "table_columns",
    "valid_email_sql",
]
