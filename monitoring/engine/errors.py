"""Exceptions raised by the scheda engine when a template definition is invalid."""


class TemplateError(ValueError):
    """A template definition (JSON) is malformed: the message is in Italian and names the element."""


class FormulaError(TemplateError):
    """A formula, rule, condition or sentence of a template cannot be compiled (syntax, unknown code, cycle)."""
