"""Pure-Python engine for the SOSE schede di monitoraggio (no Django imports in this package).

* ``core.numbers`` (re-exported here) - Italian number parsing/formatting on ``Decimal`` (round half up),
  shared with the forms;
* :mod:`.formulas` - the formula language, :func:`compile_template` and :meth:`CompiledTemplate.compute`;
* :mod:`.template` - the template structure parsed from ``fixtures/schede/*.json``;
* :mod:`.sentences` - the sentences the scheda prints, with ``{ROW.COL}`` placeholders;
* :mod:`.loader` - JSON loading helpers.
"""

from core.numbers import NumberParseError, format_it, parse_decimal, round_half_up

from .errors import FormulaError, TemplateError
from .formulas import CompiledTemplate, Message, RenderedSentence, Result, compile_template
from .loader import flatten_values, load_template, load_values, nest_values

__all__ = [
    "CompiledTemplate",
    "FormulaError",
    "Message",
    "NumberParseError",
    "RenderedSentence",
    "Result",
    "TemplateError",
    "compile_template",
    "flatten_values",
    "format_it",
    "load_template",
    "load_values",
    "nest_values",
    "parse_decimal",
    "round_half_up",
]
