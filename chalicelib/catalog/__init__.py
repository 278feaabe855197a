"""The catalog: its model, the table's keys and item format, reads, and the importer."""
