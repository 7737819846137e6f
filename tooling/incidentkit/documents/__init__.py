"""Reading and writing playbook files: front matter with key lines, sections, atomic writes."""
