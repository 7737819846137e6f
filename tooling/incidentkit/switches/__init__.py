"""Kill switches: the inventory, one small module per kind, flip + read back + record."""
