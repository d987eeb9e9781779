"""The periodic commands (jobs_watchdog, pianifica_promemoria: core.commands.PeriodicCommand) refuse a bad
--interval with an Italian message before their first round."""

import pytest
from django.core.management import CommandError, call_command


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("abc", "--interval: «abc» non è un numero."),
        ("nan", "--interval: «nan» non è un numero."),
        ("-5", "--interval: «-5» è fuori dall'intervallo ammesso (da 0,1 a 86.400)."),
    ],
    ids=["text", "nan", "negative"],
)
def test_watchdog_refuses_a_bad_interval(value, message):
    with pytest.raises(CommandError) as excinfo:
        call_command("jobs_watchdog", "--once", "--interval", value)
    assert str(excinfo.value) == message
