"""The rules of `incident check`: one small unit per rule, stable codes IK1xx-IK6xx."""

from incidentkit.rules.engine import CheckResult, check
from incidentkit.rules.finding import Finding
from incidentkit.rules.registry import RULES, Rule

__all__ = ["RULES", "CheckResult", "Finding", "Rule", "check"]
