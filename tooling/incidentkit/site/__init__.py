"""The playbook site: page builders and charts (plain functions), and the thin mkdocs plugin."""
