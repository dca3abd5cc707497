"""Where a workbook password comes from: --password (prompt or piped), PAXL_PASSWORD, neither."""

from __future__ import annotations

import argparse
import io

import pytest

from addin.commands._book_args import (
    PASSWORD_ENV,
    add_password_arguments,
    output_password,
    password_from,
)
from addin.errors import PaxlError


def parse(*argv: str, encrypt_output: bool = False) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    add_password_arguments(parser, encrypt_output=encrypt_output)
    return parser.parse_args(argv)


def test_no_option_and_no_environment_means_no_password():
    assert password_from(parse(), "b.xlsx", environ={}) is None


def test_the_environment_variable_is_used_without_asking():
    stdin = io.StringIO("typed\n")
    assert password_from(parse(), environ={PASSWORD_ENV: "env pw"}, stdin=stdin) == "env pw"
    assert stdin.read() == "typed\n"  # nothing was read


def test_a_blank_environment_variable_counts_as_none():
    assert password_from(parse(), environ={PASSWORD_ENV: ""}) is None


def test_password_option_reads_one_line_from_a_pipe_and_wins_over_the_environment():
    stdin = io.StringIO("piped pw\r\nsecond line\n")
    args = parse("--password")
    assert password_from(args, environ={PASSWORD_ENV: "env pw"}, stdin=stdin) == "piped pw"


def test_password_option_with_nothing_to_read_is_an_error_naming_the_workbook():
    with pytest.raises(PaxlError, match=r"No password was given for book\.xlsx"):
        password_from(parse("--password"), "/data/book.xlsx", environ={}, stdin=io.StringIO(""))


def test_a_password_is_never_a_command_line_value():
    with pytest.raises(SystemExit):
        parse("--password", "secret", "extra")


def test_encrypt_output_needs_a_password():
    args = parse("--encrypt-output", encrypt_output=True)
    with pytest.raises(PaxlError, match="--encrypt-output needs a password"):
        output_password(args, None)
    assert output_password(args, "pw") == "pw"


def test_without_encrypt_output_outputs_are_plain_even_with_a_password():
    assert output_password(parse(encrypt_output=True), "pw") is None
    assert output_password(parse(), "pw") is None
