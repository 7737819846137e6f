"""incidentkit: git-native incident response as front-matter Markdown."""

__version__ = "0.1.0"
